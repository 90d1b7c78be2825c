"""An amendment adds a post to a convention (a new annex) or removes one (issue #18,
item 3): counted from the amendment's effect once signed, said in its summary."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.lifecycle.services import amendment_create
from conventions.models import Convention
from partners.enums import Role

pytestmark = pytest.mark.django_db
D = datetime.date


# The amendments are recorded while the convention is in force: signed by every party on
# 1 December 2022, for three years (a draft or an ended convention takes no amendment).
WHILE_IN_FORCE = D(2023, 6, 1)


@pytest.fixture(autouse=True)
def while_in_force(two_departements, monkeypatch):
    two_departements["79"]["convention"].parties.update(signed_on=D(2022, 12, 1))
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: WHILE_IN_FORCE)


def create(convention, *, signed_on, added=(), removed=(), number=1):
    return amendment_create(
        convention=convention,
        number=number,
        signed_on=signed_on,
        effective_on=D(2023, 1, 1) if signed_on else None,
        object="Postes couverts",
        changes=[],
        added_posts=list(added),
        removed_posts=list(removed),
    )


def reloaded(convention):
    return Convention.objects.for_detail().get(pk=convention.pk)


def test_an_added_post_becomes_the_next_annex_counted_once_the_amendment_is_signed(
    two_departements,
):
    convention = two_departements["79"]["convention"]
    first = two_departements["79"]["post"]
    brigade = two_departements["79"]["gendarmerie_post"]
    amendment = create(convention, signed_on=None, added=[brigade])

    convention = reloaded(convention)
    section = next(s for s in convention.ordered_sections() if s.post == brigade)
    assert section.number == 2 and section.added_by == amendment
    # Unsigned: the brigade's post is not covered yet.
    assert convention.posts_in_force(D(2023, 6, 1)) == [first]

    amendment.signed_on = D(2022, 12, 15)
    amendment.effective_on = D(2023, 1, 1)
    amendment.save()
    convention = reloaded(convention)
    assert convention.posts_in_force(D(2022, 12, 31)) == [first]
    assert convention.posts_in_force(D(2023, 6, 1)) == [first, brigade]
    summary = next(a for a in convention.amendments.all()).summary()
    assert f"ajoute le poste « {brigade} » (annexe n° 2)" in summary


def test_a_removed_post_is_no_longer_covered_from_the_amendment_s_effect(two_departements):
    convention = two_departements["79"]["convention"]
    first = two_departements["79"]["post"]
    brigade = two_departements["79"]["gendarmerie_post"]
    create(convention, signed_on=D(2022, 12, 1), added=[brigade])
    create(convention, signed_on=D(2022, 12, 20), removed=[first], number=2)

    convention = reloaded(convention)
    assert convention.posts_in_force(D(2023, 6, 1)) == [brigade]
    summary = next(a for a in convention.amendments.all() if a.number == 2).summary()
    assert f"retire le poste « {first} » (annexe n° 1)" in summary


def test_an_amendment_may_not_remove_every_post_nor_add_one_already_covered(two_departements):
    convention = two_departements["79"]["convention"]
    first = two_departements["79"]["post"]
    with pytest.raises(ValidationError) as removed_all:
        create(convention, signed_on=None, removed=[first])
    assert "ne peut retirer tous les postes" in str(removed_all.value.message_dict)
    with pytest.raises(ValidationError) as twice:
        create(convention, signed_on=None, added=[first])
    assert "Déjà couvert par la convention" in str(twice.value.message_dict)
    assert not convention.amendments.exists()
    assert list(convention.sections.values_list("number", flat=True)) == [1]


def test_the_amendment_page_offers_only_the_posts_in_the_user_s_scope(
    client, two_departements, admin_user
):
    convention = two_departements["79"]["convention"]
    url = reverse("conventions:amendment_create", args=[convention.reference])
    brigade_79 = two_departements["79"]["gendarmerie_post"]
    post_95 = two_departements["95"]["post"]

    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    offered = client.get(url).context["form"].fields["added_posts"].queryset
    assert post_95 not in offered  # another département's post is never offered

    client.force_login(admin_user)
    page = client.get(url)
    assert brigade_79 in page.context["form"].fields["added_posts"].queryset
    response = client.post(
        url,
        {
            "number": "1",
            "object": "Ajout du poste de la brigade",
            "added_posts": [str(brigade_79.pk)],
            **{
                f"{prefix}-{key}": value
                for prefix in ("changes", "contributions", "parties", "new_contributions")
                for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
            },
        },
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert convention.sections.get(post=brigade_79).number == 2


def history_subjects(client, convention):
    page = client.get(reverse("conventions:detail", args=[convention.reference]))
    return [entry.subject for entry in page.context["history"]]


def test_the_history_lists_a_post_added_then_removed_at_the_amendment_s_effect(
    client, two_departements, admin_user
):
    convention = two_departements["79"]["convention"]
    first = two_departements["79"]["post"]
    brigade = two_departements["79"]["gendarmerie_post"]
    create(convention, signed_on=D(2022, 12, 1), added=[brigade])
    create(convention, signed_on=D(2022, 12, 20), removed=[first], number=2)
    client.force_login(admin_user)
    subjects = history_subjects(client, convention)
    assert (
        f"Poste de la convention : Ajout du poste {brigade} (annexe n° 2) au 01/01/2023"
    ) in subjects
    assert (
        f"Poste de la convention : Retrait du poste {first} (annexe n° 1) au 01/01/2023"
    ) in subjects


def test_the_post_page_gives_its_annex_in_each_convention_and_whether_it_is_covered(
    client, two_departements, admin_user
):
    convention = two_departements["79"]["convention"]
    first = two_departements["79"]["post"]
    brigade = two_departements["79"]["gendarmerie_post"]
    create(convention, signed_on=D(2022, 12, 1), added=[brigade])
    create(convention, signed_on=D(2022, 12, 20), removed=[first], number=2)
    client.force_login(admin_user)
    added = html.unescape(
        client.get(reverse("conventions:post_detail", args=[brigade.pk])).content.decode()
    )
    assert (
        f"Annexe n° 2 de la convention {convention.reference} : ajouté par l'avenant n° 1 "
        "depuis le 1er janvier 2023"
    ) in added
    removed = html.unescape(
        client.get(reverse("conventions:post_detail", args=[first.pk])).content.decode()
    )
    assert (
        f"Annexe n° 1 de la convention {convention.reference} : retiré par l'avenant n° 2 "
        "depuis le 1er janvier 2023"
    ) in removed
