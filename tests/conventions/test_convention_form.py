"""Creating a convention (step 1 of the step-by-step entry: its parties; the other steps
are in test_convention_entry.py) and editing it on one page with its parties, visas and
articles."""

import datetime

import pytest
from django.forms import CheckboxInput, SelectMultiple
from django.urls import reverse

from conventions.agreements.forms import MAX_ARTICLES, MAX_PARTIES
from conventions.models import Convention
from partners.enums import Role
from tests.conventions.factories import ArticleFactory, ConventionFactory, PartyFactory
from tests.partners.factories import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("conventions:create")


def edit_url(convention):
    return reverse("conventions:edit", args=[convention.reference])


def page_data(response):
    """What the browser would send back for the form as rendered, unchanged."""
    data = {}

    def add(bound_field):
        value = bound_field.value()
        if isinstance(bound_field.field.widget, CheckboxInput):
            if value:
                data[bound_field.html_name] = "on"
        elif isinstance(bound_field.field.widget, SelectMultiple):
            # Nothing chosen in a multiple choice (the posts): the browser sends nothing.
            if value:
                data[bound_field.html_name] = value
        else:
            data[bound_field.html_name] = "" if value is None else value

    for bound_field in response.context["form"]:
        add(bound_field)
    for formset in response.context["formsets"].values():
        for bound_field in formset.management_form:
            add(bound_field)
        for form in formset.forms:
            for bound_field in form:
                add(bound_field)
    return data


def new_convention_data(client, **fields):
    data = page_data(client.get(CREATE_URL))
    data.update({"reference": "chauray-2025", "title": "Convention de Chauray", **fields})
    return data


def edit_data(client, convention, **fields):
    return {**page_data(client.get(edit_url(convention))), **fields}


@pytest.fixture
def local_authority(two_departements):
    return two_departements["79"]["users"][Role.LOCAL_AUTHORITY]


def test_a_local_authority_creates_a_draft_with_its_parties(
    client, local_authority, two_departements
):
    client.force_login(local_authority)
    employer = two_departements["79"]["post"].employer
    data = new_convention_data(
        client,
        **{
            "parties-TOTAL_FORMS": "2",
            "parties-1-organisation": employer.pk,
            "parties-1-side": "second",
            "parties-1-is_employer": "on",
            "parties-1-signs": "on",
        },
    )
    response = client.post(CREATE_URL, data)
    convention = Convention.objects.get(reference="chauray-2025")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "conventions:entry_step", args=[convention.reference, "postes"]
    )
    parties = list(convention.parties.all())
    assert [p.organisation for p in parties] == [local_authority.organisation, employer]
    assert parties[1].is_employer and parties[1].side == "second"


def test_the_new_convention_starts_with_the_creators_organisation_as_party(client, local_authority):
    client.force_login(local_authority)
    response = client.get(CREATE_URL)
    first_party = response.context["formsets"]["parties"].forms[0]
    assert first_party["organisation"].value() == local_authority.organisation.pk


def test_a_local_authority_cannot_leave_out_its_own_organisation(client, local_authority):
    client.force_login(local_authority)
    data = new_convention_data(client)
    data["parties-0-organisation"] = OrganisationFactory().pk
    data["parties-0-representative"] = ""
    response = client.post(CREATE_URL, data)
    assert not Convention.objects.filter(reference="chauray-2025").exists()
    assert (
        f"Votre organisation ({local_authority.organisation.name}) doit être partie"
        in response.content.decode()
    )


def test_a_blank_domicile_becomes_the_organisations_premises_and_address(client, local_authority):
    organisation = local_authority.organisation
    organisation.premises = "la Mairie de Chauray"
    organisation.save()
    client.force_login(local_authority)
    client.post(CREATE_URL, new_convention_data(client, **{"parties-0-domicile": ""}))
    party = Convention.objects.get(reference="chauray-2025").parties.get()
    assert party.domicile == "à la Mairie de Chauray, 1 place de la Mairie - 79000 NIORT"


def errors_of(response, prefix_field):
    """The error messages shown next to a field (its bound field's errors)."""
    form_name, _, field = prefix_field.rpartition(".")
    if form_name:
        formset, index = form_name.split("-")
        form = response.context["formsets"][formset].forms[int(index)]
    else:
        form = response.context["form"]
    return list(form[field].errors)


def test_it_rejects_an_end_date_before_the_stated_start_with_a_french_message(
    client, local_authority, two_departements
):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    data = edit_data(
        client, convention, start_rule="date", stated_start_date="2025-01-01", end_date="2024-12-31"
    )
    response = client.post(edit_url(convention), data)
    assert errors_of(response, "end_date") == [
        "La date de fin doit être postérieure à la date de début."
    ]
    assert 'id="id_end_date_error"' in response.content.decode()
    convention.refresh_from_db()
    assert convention.end_date is None


def test_it_rejects_the_same_organisation_twice(client, local_authority):
    client.force_login(local_authority)
    data = new_convention_data(
        client,
        **{
            "parties-TOTAL_FORMS": "2",
            "parties-1-organisation": local_authority.organisation.pk,
            "parties-1-side": "second",
            "parties-1-signs": "on",
        },
    )
    response = client.post(CREATE_URL, data)
    assert errors_of(response, "parties-1.organisation") == [
        "Cette organisation est déjà partie à la convention."
    ]


def test_it_rejects_a_representative_of_another_organisation(client, local_authority):
    client.force_login(local_authority)
    stranger = RepresentativeFactory(title="Président d'une autre organisation")
    response = client.post(
        CREATE_URL, new_convention_data(client, **{"parties-0-representative": stranger.pk})
    )
    assert errors_of(response, "parties-0.representative") == [
        "Ce représentant n'appartient pas à cette organisation."
    ]


def test_it_rejects_two_articles_with_the_same_number(client, local_authority, two_departements):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    data = edit_data(
        client,
        convention,
        **{
            "articles-TOTAL_FORMS": "2",
            "articles-0-number": "1",
            "articles-0-title": "Objet",
            "articles-0-body": "…",
            "articles-1-number": "1",
            "articles-1-title": "Missions",
            "articles-1-body": "…",
        },
    )
    response = client.post(edit_url(convention), data)
    assert errors_of(response, "articles-1.number") == [
        "Deux articles ne peuvent pas porter le même numéro."
    ]


def test_nothing_typed_is_lost_when_the_form_is_invalid(client, local_authority, two_departements):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    data = edit_data(
        client,
        convention,
        title="Titre tapé à la main",
        end_date="2024-12-31",
        start_rule="date",
        stated_start_date="2025-01-01",
        **{
            "articles-0-number": "4",
            "articles-0-title": "Profil du poste",
            "articles-0-body": "Une fiche de poste est annexée.",
        },
    )
    content = client.post(edit_url(convention), data).content.decode()
    for typed in ("Titre tapé à la main", "Profil du poste", "Une fiche de poste est annexée."):
        assert typed in content


def test_a_user_who_may_not_create_gets_403(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert client.get(CREATE_URL).status_code == 403


# Editing ------------------------------------------------------------------------


def test_an_edit_saves_the_changes_and_bumps_the_version(client, local_authority, two_departements):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    data = page_data(client.get(edit_url(convention)))
    data["title"] = "Nouveau titre"
    response = client.post(edit_url(convention), data)
    assert response.status_code == 302
    convention.refresh_from_db()
    assert convention.title == "Nouveau titre"
    assert convention.version == 2
    assert convention.parties.count() == 4


def test_an_edit_can_delete_an_article(client, local_authority, two_departements):
    convention = two_departements["79"]["convention"]
    ArticleFactory(convention=convention, number=1)
    ArticleFactory(convention=convention, number=2)
    client.force_login(local_authority)
    data = page_data(client.get(edit_url(convention)))
    data["articles-1-DELETE"] = "on"
    client.post(edit_url(convention), data)
    assert list(convention.articles.values_list("number", flat=True)) == [1]


def test_a_concurrent_edit_is_refused_with_a_french_message_and_the_input_kept(
    client, local_authority, two_departements
):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    data = page_data(client.get(edit_url(convention)))
    # Someone else saves in between.
    other = page_data(client.get(edit_url(convention)))
    other["title"] = "Titre de l'autre personne"
    client.post(edit_url(convention), other)

    data["title"] = "Mon titre"
    response = client.post(edit_url(convention), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Quelqu&#x27;un d&#x27;autre a enregistré cette convention" in content
    assert 'value="Mon titre"' in content
    convention.refresh_from_db()
    assert convention.title == "Titre de l'autre personne"
    assert convention.version == 2


def test_a_read_only_partner_gets_403_on_edit(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    assert client.get(edit_url(world["convention"])).status_code == 403
    assert client.post(edit_url(world["convention"]), {}).status_code == 403


def test_a_user_of_the_other_departement_gets_404_on_edit(client, two_departements):
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(edit_url(two_departements["79"]["convention"])).status_code == 404


def test_a_local_authority_that_is_not_party_cannot_edit(client, two_departements):
    world = two_departements["79"]
    convention = ConventionFactory(post=world["post"])
    PartyFactory(convention=convention, organisation=world["post"].employer)
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    # Not party and not its post: it does not even see the convention.
    assert client.get(edit_url(convention)).status_code == 404


def test_a_reference_shadowing_a_page_is_refused(client, local_authority):
    client.force_login(local_authority)
    response = client.post(CREATE_URL, new_convention_data(client, reference="nouvelle"))
    assert errors_of(response, "reference") == [
        "Cette référence est réservée ; choisissez-en une autre."
    ]


def test_only_an_administrator_may_publish_a_model_convention(client, local_authority, admin_user):
    client.force_login(local_authority)
    assert "is_template" not in client.get(CREATE_URL).context["form"].fields
    client.force_login(admin_user)
    assert "is_template" in client.get(CREATE_URL).context["form"].fields


def test_dates_typed_in_the_form_are_saved_as_dates(client, local_authority, two_departements):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    client.post(
        edit_url(convention),
        edit_data(
            client, convention, end_date="2027-12-31", **{"parties-0-signed_on": "2025-01-02"}
        ),
    )
    convention.refresh_from_db()
    assert convention.end_date == datetime.date(2027, 12, 31)
    assert convention.parties.first().signed_on == datetime.date(2025, 1, 2)


def articles(count: int) -> dict:
    data = {"articles-TOTAL_FORMS": str(count)}
    for index in range(count):
        data |= {
            f"articles-{index}-number": str(index + 1),
            f"articles-{index}-title": f"Article {index + 1}",
            f"articles-{index}-body": "Texte.",
        }
    return data


def test_the_largest_number_of_articles_allowed_is_saved(client, local_authority, two_departements):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    data = edit_data(client, convention, **articles(MAX_ARTICLES))
    response = client.post(edit_url(convention), data)
    assert response.status_code == 302
    assert convention.articles.count() == MAX_ARTICLES


def test_one_article_more_than_allowed_is_refused_in_french_and_nothing_saved(
    client, local_authority, two_departements
):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    data = edit_data(client, convention, **articles(MAX_ARTICLES + 1))
    response = client.post(edit_url(convention), data)
    assert response.status_code == 200
    assert f"Veuillez soumettre au plus {MAX_ARTICLES} formulaires." in response.content.decode()
    assert not convention.articles.exists()


def test_a_form_claiming_two_thousand_parties_builds_no_more_than_allowed(client, local_authority):
    client.force_login(local_authority)
    data = new_convention_data(client, **{"parties-TOTAL_FORMS": "2001"})
    response = client.post(CREATE_URL, data)
    assert response.status_code == 400
    assert len(response.context["formsets"]["parties"].forms) == MAX_PARTIES
    assert f"Veuillez soumettre au plus {MAX_PARTIES} formulaires." in response.content.decode()


# How the parties and the signatures are printed -------------------------------


def two_parties(employer, **fields):
    return {
        "parties-TOTAL_FORMS": "2",
        "parties-1-organisation": employer.pk,
        "parties-1-side": "second",
        "parties-1-signs": "on",
        **fields,
    }


def test_the_parties_layout_and_signature_cells_typed_in_the_form_are_saved(
    client, local_authority, two_departements
):
    client.force_login(local_authority)
    employer = two_departements["79"]["post"].employer
    data = new_convention_data(
        client,
        **two_parties(
            employer,
            parties_opening="Entre",
            parties_member_link="",
            parties_group_link="Et",
            first_side_closing="",
            second_side_closing="",
            **{
                "parties-0-signature_row": "1",
                "parties-0-signature_column": "2",
                "parties-1-signature_row": "1",
                "parties-1-signature_column": "1",
            },
        ),
    )
    assert client.post(CREATE_URL, data).status_code == 302
    convention = Convention.objects.get(reference="chauray-2025")
    assert (
        convention.parties_opening,
        convention.parties_member_link,
        convention.parties_group_link,
        convention.first_side_closing,
        convention.second_side_closing,
    ) == ("Entre", "", "Et", "", "")
    cells = [(p.signature_row, p.signature_column) for p in convention.parties.all()]
    assert cells == [(1, 2), (1, 1)]


def test_a_new_convention_offers_the_common_french_layout(client, local_authority):
    client.force_login(local_authority)
    form = client.get(CREATE_URL).context["form"]
    assert [
        form[name].value()
        for name in (
            "parties_opening",
            "parties_member_link",
            "parties_group_link",
            "first_side_closing",
            "second_side_closing",
        )
    ] == ["ENTRE", "ET", "ET", "D’une part,", "D’autre part."]


def test_it_rejects_two_parties_signing_in_the_same_cell(client, local_authority, two_departements):
    client.force_login(local_authority)
    employer = two_departements["79"]["post"].employer
    cell = {
        "parties-0-signature_row": "1",
        "parties-0-signature_column": "1",
        "parties-1-signature_row": "1",
        "parties-1-signature_column": "1",
    }
    response = client.post(CREATE_URL, new_convention_data(client, **two_parties(employer, **cell)))
    assert response.status_code == 400
    assert errors_of(response, "parties-1.signature_column") == [
        "Une autre partie signe déjà dans cette case (même ligne, même colonne)."
    ]
    assert not Convention.objects.filter(reference="chauray-2025").exists()


@pytest.mark.parametrize(
    ("row", "column", "field", "message"),
    [
        (
            "2",
            "",
            "signature_column",
            "Indiquez la ligne et la colonne de signature, ou aucune des deux.",
        ),
        ("0", "1", "signature_row", "Les lignes sont numérotées à partir de 1."),
        ("1", "5", "signature_column", "Une page tient 4 colonnes de signature au plus."),
    ],
)
def test_it_rejects_an_incomplete_or_impossible_signature_cell_next_to_the_field(
    client, local_authority, row, column, field, message
):
    client.force_login(local_authority)
    data = new_convention_data(
        client, **{"parties-0-signature_row": row, "parties-0-signature_column": column}
    )
    response = client.post(CREATE_URL, data)
    assert response.status_code == 400
    assert errors_of(response, f"parties-0.{field}") == [message]
