"""Amendments: the text as amended, each change as a readable diff."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conventions.lifecycle.services import ArticleChangeSpec, amendment_create
from conventions.models import Amendment
from partners.enums import Role
from tests.conventions.factories import AmendmentFactory, ArticleFactory

pytestmark = pytest.mark.django_db
D = datetime.date

FINANCING = (
    "L'État participe à hauteur de 25 350 euros par an. La Ville de Niort verse 5 000 euros par an."
)


# The amendments are recorded while the convention is in force: signed by every party on
# 1 December 2022, for three years (a draft or an ended convention takes no amendment).
SIGNED_ON = D(2022, 12, 1)
WHILE_IN_FORCE = D(2023, 6, 1)


@pytest.fixture(autouse=True)
def while_in_force(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: WHILE_IN_FORCE)


@pytest.fixture
def convention(two_departements):
    convention = two_departements["79"]["convention"]
    convention.parties.update(signed_on=SIGNED_ON)
    ArticleFactory(convention=convention, number=1, title="Objet", body="Objet initial.")
    ArticleFactory(convention=convention, number=2, title="Financement", body=FINANCING)
    ArticleFactory(convention=convention, number=3, title="Durée", body="Trois ans.")
    return convention


@pytest.fixture
def editor(two_departements):
    return two_departements["79"]["users"][Role.LOCAL_AUTHORITY]


def create(convention, number=1, **change):
    return amendment_create(
        convention=convention,
        number=number,
        signed_on=D(2023, 3, 1),
        object="Revalorisation de la participation de la Ville",
        changes=[ArticleChangeSpec(**change)] if change else [],
    )


def texts(convention):
    convention = type(convention).objects.get(pk=convention.pk)
    return {a.number: (a.title, a.body) for a in convention.articles_as_amended()}


def test_the_consolidated_text_applies_replacements_insertions_and_deletions(convention):
    create(convention, 1, article_number=2, action="replace", new_body="6 000 euros par an.")
    amendment_create(
        convention=convention,
        number=2,
        signed_on=None,
        object="Comité de suivi",
        changes=[
            ArticleChangeSpec(4, "insert", "Comité de suivi", "Un comité se réunit."),
            ArticleChangeSpec(3, "delete"),
        ],
    )
    assert texts(convention) == {
        1: ("Objet", "Objet initial."),
        2: ("Financement", "6 000 euros par an."),  # an empty title keeps the heading
        4: ("Comité de suivi", "Un comité se réunit."),
    }


def test_the_consolidated_text_page_says_which_amendment_changed_each_article(
    client, convention, editor
):
    create(convention, 1, article_number=2, action="replace", new_body="6 000 euros par an.")
    create(convention, 2, article_number=3, action="delete")
    client.force_login(editor)
    response = client.get(reverse("conventions:consolidated_text", args=[convention.reference]))
    content = response.content.decode()
    assert "6 000 euros par an." in content and "25 350" not in content
    assert "Rédaction issue de l'" in content and ">avenant n° 1</a> du 1er mars 2023" in content
    assert "Article 3 (Durée), supprimé par l'" in content


def test_an_amendment_page_shows_each_change_as_a_labelled_diff(client, convention, editor):
    create(
        convention,
        1,
        article_number=2,
        action="replace",
        new_title="Financement",
        new_body=FINANCING.replace("5 000", "6 000"),
    )
    client.force_login(editor)
    response = client.get(reverse("conventions:amendment_detail", args=[convention.reference, 1]))
    content = response.content.decode()
    assert (
        '<del><span class="visually-hidden">[supprimé : </span>5<span class="visually-hidden">]'
        "</span></del>" in content
    )
    assert '<ins><span class="visually-hidden">[ajouté : </span>6<span' in content
    assert "le passage supprimé est <del>barré</del>" in content
    assert "La Ville de Niort verse" in content  # unchanged words are shown as they are


def test_the_diff_escapes_the_text(client, convention, editor):
    create(convention, 1, article_number=1, action="replace", new_body="<script>x</script>")
    client.force_login(editor)
    content = client.get(
        reverse("conventions:amendment_detail", args=[convention.reference, 1])
    ).content.decode()
    assert "<script>x" not in content and "&lt;script&gt;" in content


def test_an_inserted_article_is_shown_as_added_text_only(client, convention, editor):
    create(convention, 1, article_number=4, action="insert", new_title="Suivi", new_body="Neuf.")
    client.force_login(editor)
    response = client.get(reverse("conventions:amendment_detail", args=[convention.reference, 1]))
    diff = response.context["diffs"][0]
    assert "<del>" not in diff.body_diff and "Neuf." in diff.body_diff


def test_it_rejects_replacing_an_article_that_does_not_exist(convention):
    with pytest.raises(ValidationError) as error:
        create(convention, article_number=9, action="replace", new_body="…")
    assert "L'article 9 n'existe pas dans le texte en vigueur (articles : 1, 2, 3)" in str(
        error.value
    )
    assert not Amendment.objects.exists()


# The form -------------------------------------------------------------------------


def create_url(convention, **query):
    url = reverse("conventions:amendment_create", args=[convention.reference])
    return url + ("?articles=" + str(query["articles"]) if query else "")


def form_data(**changes):
    data = {
        "number": "1",
        "signed_on": "2023-03-01",
        "object": "Revalorisation",
        "changes-TOTAL_FORMS": "2",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
        "changes-0-article_number": "2",
        "changes-0-action": "replace",
        "changes-0-new_title": "",
        "changes-0-new_body": "6 000 euros par an.",
        "changes-1-action": "replace",
        # The structured changes (dates, contributions, parties), left blank.
        "contributions-TOTAL_FORMS": "1",
        "contributions-INITIAL_FORMS": "0",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "new_contributions-TOTAL_FORMS": "1",
        "new_contributions-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_form_suggests_the_next_free_number(client, convention, editor):
    AmendmentFactory(convention=convention, number=1)
    AmendmentFactory(convention=convention, number=2)
    client.force_login(editor)
    response = client.get(create_url(convention))
    assert response.context["form"]["number"].value() == 3


def test_the_form_prefills_an_article_to_replace_with_its_text_in_force(client, convention, editor):
    create(convention, 1, article_number=2, action="replace", new_body="6 000 euros par an.")
    client.force_login(editor)
    response = client.get(create_url(convention, articles=2))
    first = response.context["formset"].forms[0]
    assert first["action"].value() == "replace"
    assert first["new_body"].value() == "6 000 euros par an."
    assert first["new_title"].value() == "Financement"


def test_an_editor_records_an_amendment_through_the_form(client, convention, editor):
    client.force_login(editor)
    response = client.post(create_url(convention), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "conventions:amendment_detail", args=[convention.reference, 1]
    )
    assert texts(convention)[2] == ("Financement", "6 000 euros par an.")


def errors_of(response, index=0):
    return response.context["formset"].forms[index].errors


def test_the_form_rejects_inserting_an_article_that_exists(client, convention, editor):
    client.force_login(editor)
    response = client.post(create_url(convention), form_data(**{"changes-0-action": "insert"}))
    assert errors_of(response)["article_number"] == [
        "L'article 2 existe déjà : pour changer son texte, choisissez « Remplace l'article »."
    ]


def test_the_form_rejects_a_replacement_without_text(client, convention, editor):
    client.force_login(editor)
    response = client.post(create_url(convention), form_data(**{"changes-0-new_body": ""}))
    assert errors_of(response)["new_body"] == ["Indiquez le nouveau texte de l'article."]


def test_the_form_rejects_the_same_article_changed_twice(client, convention, editor):
    client.force_login(editor)
    response = client.post(
        create_url(convention),
        form_data(**{"changes-1-article_number": "2", "changes-1-new_body": "Autre."}),
    )
    assert (
        "L'article 2 est déjà modifié par une autre ligne"
        in (errors_of(response, 1)["article_number"][0])
    )
    assert not Amendment.objects.exists()


def test_the_form_rejects_a_number_already_used_and_keeps_what_was_typed(
    client, convention, editor
):
    AmendmentFactory(convention=convention, number=1)
    client.force_login(editor)
    response = client.post(create_url(convention), form_data())
    assert response.context["form"].errors["number"] == [
        "L'avenant n° 1 existe déjà pour cette convention : le prochain numéro libre est le 2."
    ]
    assert response.context["formset"].forms[0]["new_body"].value() == "6 000 euros par an."


@pytest.mark.parametrize("role", [Role.DDSP_SECRETARIAT, Role.READ_ONLY_PARTNER])
def test_a_user_who_cannot_edit_the_convention_is_forbidden(
    client, convention, two_departements, role
):
    client.force_login(two_departements["79"]["users"][role])
    assert client.get(create_url(convention)).status_code == 403
    assert client.post(create_url(convention), form_data()).status_code == 403
    assert not Amendment.objects.exists()


def test_a_user_out_of_scope_gets_not_found(client, convention, two_departements):
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(create_url(convention)).status_code == 404
    url = reverse("conventions:consolidated_text", args=[convention.reference])
    assert client.get(url).status_code == 404


def test_a_prefilled_article_left_as_it_was_is_not_recorded_as_a_change(client, convention, editor):
    client.force_login(editor)
    data = form_data(
        **{
            "changes-INITIAL_FORMS": "1",
            "changes-0-new_title": "Financement",
            "changes-0-new_body": FINANCING,
            "changes-1-article_number": "3",
            "changes-1-new_body": "Quatre ans.",
        }
    )
    response = client.post(create_url(convention, articles=2), data)
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert [c.article_number for c in amendment.changes.all()] == [3]
