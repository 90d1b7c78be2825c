"""A new convention step by step: parties, posts, text, duration, funding, reporting,
a summary, « Terminer »; a draft from the first valid step, resumed where it was left."""

from decimal import Decimal

import pytest
from django.urls import reverse

from config.core.formats import euros
from config.core.idempotency import SUBMISSION_FIELD
from conventions.agreements.services import ENTRY_SUMMARY_STEP
from conventions.entry.views import STEPS
from conventions.enums import ConventionStatus
from conventions.models import Convention
from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PartyFactory
from tests.conventions.test_convention_form import page_data
from tests.partners.factories import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("conventions:create")


def step_url(convention, slug):
    return reverse("conventions:entry_step", args=[convention.reference, slug])


def summary_url(convention):
    return reverse("conventions:entry_summary", args=[convention.reference])


@pytest.fixture
def local_authority(two_departements):
    return two_departements["79"]["users"][Role.LOCAL_AUTHORITY]


def step_one_data(client, **fields):
    data = page_data(client.get(CREATE_URL))
    data.update({"reference": "chauray-2025", "title": "Convention de Chauray", **fields})
    return data


def draft_at(step, local_authority, **fields):
    """A draft entered up to ``step`` (its first step not saved), the local authority a party."""
    convention = ConventionFactory(post=None, entry_step=step, **fields)
    PartyFactory(convention=convention, organisation=local_authority.organisation)
    return convention


def test_step_one_saves_a_draft_and_leads_to_the_posts(client, local_authority):
    client.force_login(local_authority)
    response = client.post(CREATE_URL, step_one_data(client))
    convention = Convention.objects.get(reference="chauray-2025")
    assert response.status_code == 302
    assert response["Location"] == step_url(convention, "postes")
    assert convention.entry_step == 2
    assert convention.status(convention.created_at.date()) == ConventionStatus.DRAFT
    assert [p.organisation for p in convention.parties.all()] == [local_authority.organisation]


def test_step_one_sent_twice_makes_one_draft(client, local_authority):
    client.force_login(local_authority)
    data = step_one_data(client)
    assert data[SUBMISSION_FIELD]
    first = client.post(CREATE_URL, data)
    second = client.post(CREATE_URL, data)
    assert Convention.objects.filter(reference="chauray-2025").count() == 1
    assert second["Location"] == first["Location"]


def test_an_invalid_step_comes_back_with_400_french_errors_and_what_was_typed(
    client, local_authority
):
    client.force_login(local_authority)
    response = client.post(CREATE_URL, step_one_data(client, title="", subtitle="Ce que j'ai tapé"))
    page = response.content.decode()
    assert response.status_code == 400
    assert not Convention.objects.filter(reference="chauray-2025").exists()
    assert "Le formulaire contient 1 erreur" in page
    assert "Ce champ est obligatoire." in page
    assert "Ce que j&#x27;ai tapé" in page


def test_a_representative_of_another_organisation_is_refused_in_french(client, local_authority):
    client.force_login(local_authority)
    stranger = RepresentativeFactory(organisation=OrganisationFactory())
    response = client.post(
        CREATE_URL, step_one_data(client, **{"parties-0-representative": stranger.pk})
    )
    assert response.status_code == 400
    assert "Ce représentant n&#x27;appartient pas à cette organisation." in (
        response.content.decode()
    )


def test_each_representative_says_its_organisation_for_the_filtering_script(
    client, local_authority
):
    representative = RepresentativeFactory(organisation=local_authority.organisation)
    client.force_login(local_authority)
    page = client.get(CREATE_URL).content.decode()
    assert f'value="{representative.pk}" data-organisation="{representative.organisation_id}"' in (
        page
    )
    assert "js/representatives.js" in page
    assert "---------" not in page


def test_the_stepper_says_the_step_and_the_next_one(client, local_authority):
    client.force_login(local_authority)
    page = client.get(CREATE_URL).content.decode()
    assert "Étape 1 sur 6" in page
    assert 'data-fr-current-step="1"' in page
    assert "Étape suivante :</span> Poste(s)" in page


def test_step_two_requires_a_post_in_the_users_scope(client, local_authority, two_departements):
    convention = draft_at(2, local_authority)
    client.force_login(local_authority)
    url = step_url(convention, "postes")
    data = page_data(client.get(url))
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Choisissez au moins un poste" in response.content.decode()
    other = two_departements["95"]["post"]
    response = client.post(url, {**data, "posts": [other.pk]})
    assert response.status_code == 400
    assert not convention.sections.exists()
    mine = two_departements["79"]["post"]
    response = client.post(url, {**data, "posts": [mine.pk]})
    assert response["Location"] == step_url(convention, "texte")
    assert [s.post for s in convention.sections.all()] == [mine]


def test_going_back_saves_the_step_and_shows_the_previous_one(
    client, local_authority, two_departements
):
    convention = draft_at(2, local_authority)
    client.force_login(local_authority)
    url = step_url(convention, "postes")
    data = page_data(client.get(url))
    data.update({"posts": [two_departements["79"]["post"].pk], "direction": "back"})
    response = client.post(url, data)
    assert response["Location"] == step_url(convention, "parties")
    convention.refresh_from_db()
    assert convention.entry_step == 3
    assert convention.sections.count() == 1
    # The previous step shows what was saved there.
    form = client.get(response["Location"]).context["form"]
    assert form["title"].value() == convention.title


def test_a_step_not_reached_yet_leads_to_the_first_one_not_saved(client, local_authority):
    convention = draft_at(3, local_authority)
    client.force_login(local_authority)
    assert client.get(step_url(convention, "suivi"))["Location"] == step_url(convention, "texte")
    assert client.get(summary_url(convention))["Location"] == step_url(convention, "texte")
    resume = reverse("conventions:entry_resume", args=[convention.reference])
    assert client.get(resume)["Location"] == step_url(convention, "texte")


def test_a_draft_being_entered_offers_to_resume_on_its_page_and_in_the_list(
    client, local_authority
):
    convention = draft_at(4, local_authority)
    client.force_login(local_authority)
    resume = reverse("conventions:entry_resume", args=[convention.reference])
    assert "Reprendre la saisie" in client.get(convention.get_absolute_url()).content.decode()
    assert resume in client.get(reverse("conventions:list")).content.decode()


def test_the_steps_of_a_convention_out_of_scope_are_not_found(client, two_departements):
    other = two_departements["95"]["users"][Role.LOCAL_AUTHORITY]
    convention = draft_at(3, other)
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    for slug in ("parties", "texte"):
        assert client.get(step_url(convention, slug)).status_code == 404
    assert client.get(summary_url(convention)).status_code == 404


def test_a_read_only_partner_may_not_enter_a_convention(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.READ_ONLY_PARTNER])
    assert client.get(CREATE_URL).status_code == 403


def test_a_finished_convention_has_no_steps(client, local_authority):
    convention = draft_at(None, local_authority)
    client.force_login(local_authority)
    assert client.get(step_url(convention, "parties")).status_code == 404


def test_an_unknown_step_is_not_found(client, local_authority):
    convention = draft_at(3, local_authority)
    client.force_login(local_authority)
    assert client.get(step_url(convention, "signatures")).status_code == 404


def test_the_whole_entry_from_the_parties_to_the_convention_page(
    client, local_authority, two_departements
):
    client.force_login(local_authority)
    employer = two_departements["79"]["post"].employer
    client.post(
        CREATE_URL,
        step_one_data(
            client,
            **{
                "parties-TOTAL_FORMS": "2",
                "parties-1-organisation": employer.pk,
                "parties-1-side": "second",
                "parties-1-is_employer": "on",
                "parties-1-signs": "on",
            },
        ),
    )
    convention = Convention.objects.get(reference="chauray-2025")

    url = step_url(convention, "postes")
    data = {**page_data(client.get(url)), "posts": [two_departements["79"]["post"].pk]}
    assert client.post(url, data)["Location"] == step_url(convention, "texte")

    url = step_url(convention, "texte")
    data = page_data(client.get(url))
    data.update(
        {
            "references-0-kind": "vu",
            "references-0-text": "la loi du 5 mars 2007 ;",
            "references-0-order": "0",
            "articles-0-number": "1",
            "articles-0-title": "Objet",
            "articles-0-body": "La présente convention a pour objet…",
        }
    )
    assert client.post(url, data)["Location"] == step_url(convention, "duree")

    url = step_url(convention, "duree")
    data = {**page_data(client.get(url)), "duration_years": "4", "renewal_mode": "none"}
    assert client.post(url, data)["Location"] == step_url(convention, "financement")

    url = step_url(convention, "financement")
    response = client.get(url)
    form = response.context["form"]
    data = dict.fromkeys(form.fields, "")
    data.update(
        {
            "action": "add",
            SUBMISSION_FIELD: form[SUBMISSION_FIELD].value(),
            "organisation": local_authority.organisation.pk,
            "nature": "money",
            "source": "Budget communal",
            "rule": "fixed",
            "amount": "25 350",
            "first_year": "2026",
            "last_year": "2029",
            "prorata": form["prorata"].value(),
            "parts-TOTAL_FORMS": "1",
            "parts-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == url
    assert convention.contributions.get().amount == 25350
    assert client.post(url, {"direction": "next"})["Location"] == step_url(convention, "suivi")

    url = step_url(convention, "suivi")
    data = page_data(client.get(url))
    data.update(
        {
            "reporting-0-kind": "annual",
            "reporting-0-period": "year",
            "reporting-0-due_day": "15",
            "reporting-0-due_month": "4",
        }
    )
    assert client.post(url, data)["Location"] == summary_url(convention)

    summary = client.get(summary_url(convention))
    page = summary.content.decode()
    assert "Convention de Chauray" in page
    assert "Article 1 — Objet" in page
    assert euros(Decimal("25350")) in page
    for step in STEPS:
        assert step_url(convention, step.slug) in page
    token = summary.context["form"][SUBMISSION_FIELD].value()
    response = client.post(summary_url(convention), {SUBMISSION_FIELD: token})
    assert response["Location"] == convention.get_absolute_url()
    convention.refresh_from_db()
    assert convention.entry_step is None
    assert convention.duration_years == 4
    assert convention.reporting_rules.get().due_day == 15


def test_an_invalid_contribution_comes_back_with_400_and_saves_nothing(client, local_authority):
    convention = draft_at(5, local_authority)
    client.force_login(local_authority)
    url = step_url(convention, "financement")
    response = client.post(
        url,
        {
            "action": "add",
            "organisation": local_authority.organisation.pk,
            "rule": "fixed",
            "first_year": "deux mille",
            "parts-TOTAL_FORMS": "1",
            "parts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "Saisissez un nombre entier." in response.content.decode()
    assert not convention.contributions.exists()


def test_terminer_sent_twice_finishes_once(client, local_authority):
    convention = draft_at(ENTRY_SUMMARY_STEP, local_authority)
    client.force_login(local_authority)
    token = client.get(summary_url(convention)).context["form"][SUBMISSION_FIELD].value()
    first = client.post(summary_url(convention), {SUBMISSION_FIELD: token})
    second = client.post(summary_url(convention), {SUBMISSION_FIELD: token})
    assert first["Location"] == second["Location"] == convention.get_absolute_url()
    convention.refresh_from_db()
    assert convention.entry_step is None


def test_terminer_without_a_token_still_finishes(client, local_authority):
    convention = draft_at(ENTRY_SUMMARY_STEP, local_authority)
    client.force_login(local_authority)
    assert client.post(summary_url(convention), {})["Location"] == convention.get_absolute_url()


def test_terminer_before_every_step_is_saved_is_refused(client, local_authority):
    convention = draft_at(6, local_authority)
    client.force_login(local_authority)
    response = client.post(summary_url(convention), {})
    assert response["Location"] == step_url(convention, "suivi")
    convention.refresh_from_db()
    assert convention.entry_step == 6


# The queries of each step page, pinned: a select's choices read once a row, or a
# relation read without its prefetch, fails the test. Every step reads the session, the
# user and the scope, then the convention with its parties (scoped, with the edit right);
# then what the step shows:
QUERIES = {
    # the party rows, the organisations and the representatives (once for all rows and
    # the blank row of « Ajouter »).
    "parties": 12,
    # the posts in scope and those chosen, the relay and validator organisations.
    "postes": 12,
    # the visas and the articles.
    "texte": 10,
    # nothing more: the convention's own fields.
    "duree": 8,
    # the contributions, the funders (parties), the beneficiaries, the deliberations.
    "financement": 12,
    # the committee with its organisations, the representatives it may name (read with
    # their organisations, once for all rows and the blank row), the reporting rules.
    "suivi": 11,
}


@pytest.mark.parametrize("step", [step.slug for step in STEPS])
def test_every_step_page_answers_in_a_fixed_number_of_queries(
    client, local_authority, django_assert_num_queries, step
):
    convention = draft_at(ENTRY_SUMMARY_STEP, local_authority)
    client.force_login(local_authority)
    with django_assert_num_queries(QUERIES[step]):
        assert client.get(step_url(convention, step)).status_code == 200


def test_the_summary_answers_in_a_fixed_number_of_queries(
    client, local_authority, django_assert_num_queries
):
    convention = draft_at(ENTRY_SUMMARY_STEP, local_authority)
    client.force_login(local_authority)
    # Session, user, scope, the convention with its parties (scope check), then the
    # convention again with its parties, their organisations and representatives, its
    # sections and posts, visas, articles, contributions (organisations, posts),
    # committee (organisations) and reporting rules.
    with django_assert_num_queries(17):
        assert client.get(summary_url(convention)).status_code == 200
