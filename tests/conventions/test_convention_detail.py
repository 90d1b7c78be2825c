"""The convention page: every fact of the convention, at a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from conventions.enums import ArticleChangeAction, ReferenceKind, Side, TermGovernedBy
from partners.enums import Role
from tests.conventions.factories import (
    AmendmentFactory,
    AnnexFactory,
    ArticleChangeFactory,
    ArticleFactory,
    AssociatedPartnerFactory,
    CommitteeMemberFactory,
    ConventionFactory,
    DeliberationFactory,
    LegalReferenceFactory,
    PartyFactory,
    PostHolderFactory,
    RenewalFactory,
    ReportingRuleFactory,
)
from tests.partners.factories import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def detail_url(convention):
    return reverse("conventions:detail", args=[convention.reference])


def furnish(convention, *, parties, articles):
    """Give a convention ``parties`` more parties, ``articles`` articles and one of each
    other kind of content, so that every section of the page has something to show."""
    for i in range(parties):
        PartyFactory(convention=convention, order=10 + i, signed_on=D(2021, 10, 5 + i))
    for number in range(1, articles + 1):
        ArticleFactory(convention=convention, number=number, title=f"Titre {number}")
    LegalReferenceFactory(convention=convention)
    LegalReferenceFactory(convention=convention, kind=ReferenceKind.CONSIDERANT)
    amendment = AmendmentFactory(convention=convention, number=1)
    ArticleChangeFactory(amendment=amendment, article_number=1)
    ArticleChangeFactory(amendment=amendment, article_number=2)
    AnnexFactory(convention=convention)
    ReportingRuleFactory(convention=convention)
    CommitteeMemberFactory(convention=convention)
    AssociatedPartnerFactory(convention=convention)
    RenewalFactory(convention=convention, start=D(2024, 1, 1), end=D(2026, 12, 31))
    PostHolderFactory(post=convention.single_post, start=D(2021, 1, 1))
    ConventionFactory(post=convention.single_post, renews=convention)


@pytest.mark.parametrize("parties,articles", [(2, 3), (6, 12)])
def test_the_page_runs_the_same_queries_whatever_the_number_of_articles_and_parties(
    client, two_departements, django_assert_num_queries, parties, articles
):
    world = two_departements["79"]
    convention = world["convention"]
    furnish(convention, parties=parties, articles=articles)
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    # 1 session, 2 user, 3 savepoint, 4 user's organisation,
    # 5 convention with relay, renewed convention;
    # prefetches: 6 parties, 7 their organisations, 8 their representatives,
    # 9 associated partners, 10 their organisations, 11 visas, 12 articles, 13 annexes,
    # 14 amendments, 15 their article changes, 16 their contribution changes (none here, so
    # no query for the contributions), 17 their party changes (what each one changes),
    # 18 the contributions they add (none here, so no query for their organisations),
    # 19 renewals, 20 reporting rules,
    # 21 committee members, 22 their organisations (none names its representative here,
    # so no query for them), 23 sections (posts covered) with their
    # post, its employer and the amendments adding or removing it, 24 post sites with
    # their functional authorities, 25 post holders,
    # 26 renewing conventions, 27 their parties, 28 linked deliberations (approval);
    # funding summary: 29 contributions (none here, so no payments query), 30 post costs,
    # 31 amounts decided by linked deliberations; 32 signed scan versions with who
    # uploaded them;
    # history: 33 which of the 15 history tables hold records of the convention, then the
    # latest entries with the states they follow of the 11 that do here (all but article,
    # contribution and party changes and payments): 34 to 44;
    # actions the status allows: 45 the posts of the convention, 46 the conventions
    # following it (a renewal or a later one on its posts); 47 release savepoint.
    # (A convention in force whose notice has passed adds one: the conventions following it.)
    with django_assert_num_queries(47):
        response = client.get(detail_url(convention))
    assert response.status_code == 200


def test_the_page_shows_each_party_with_its_representative_side_roles_and_signature(
    client, two_departements
):
    world = two_departements["79"]
    convention = ConventionFactory(post=world["post"], reference="niort-like")
    prefecture = OrganisationFactory(prefecture=True, name="Préfecture des Deux-Sèvres")
    PartyFactory(
        convention=convention,
        organisation=prefecture,
        representative=RepresentativeFactory(
            organisation=prefecture, first_name="Emmanuel", last_name="Aubry", title="Préfet"
        ),
        designation="L'État",
        side=Side.FIRST,
        is_funder=True,
        signed_on=D(2021, 10, 12),
    )
    PartyFactory(
        convention=convention,
        organisation=world["post"].employer,
        side=Side.SECOND,
        is_employer=True,
        signed_on=None,
    )
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(convention)).content.decode()
    first, second = content.split("<caption>D'autre part</caption>")
    assert "<caption>D'une part</caption>" in first
    assert "L&#x27;État" in first and "Emmanuel AUBRY, Préfet" in first
    assert "Financeur" in first and "Signée le 12 octobre 2021" in first
    assert world["post"].employer.name in second
    assert "Employeur (autorité hiérarchique)" in second and "Pas encore signée" in second


def test_a_disagreement_between_duration_and_end_date_is_shown_in_a_warning_box(
    client, two_departements
):
    world = two_departements["79"]
    convention = ConventionFactory(
        post=world["post"],
        end_date=D(2023, 12, 31),
        duration_years=3,
        term_governed_by=TermGovernedBy.END_DATE,
    )
    PartyFactory(convention=convention, signed_on=D(2021, 10, 12))
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(convention)).content.decode()
    box = content[content.index('<div class="warning"') :]
    box = box[: box.index("</div>")]
    assert "ne correspond pas" in box and "31/12/2023" in box
    assert "c&#x27;est la date de fin écrite qui est retenue".lower() in box.lower()


def test_the_text_shows_articles_as_amended(client, two_departements):
    world = two_departements["79"]
    convention = world["convention"]
    ArticleFactory(convention=convention, number=1, title="Objet", body="Texte initial.")
    ArticleFactory(convention=convention, number=2, title="Durée", body="Trois ans.")
    amendment = AmendmentFactory(convention=convention, number=1, signed_on=D(2022, 6, 1))
    ArticleChangeFactory(
        amendment=amendment, article_number=2, new_title="Durée", new_body="Quatre ans."
    )
    ArticleChangeFactory(amendment=amendment, article_number=1, action=ArticleChangeAction.DELETE)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(convention)).content.decode()
    # The text section only: the history further down keeps the former wording.
    content = content.split('id="text-title"')[1].split('id="amendments-title"')[0]
    assert "Quatre ans." in content and "Trois ans." not in content
    assert "Texte initial." not in content
    assert "Rédaction issue de l'avenant n° 1" in content


def test_the_page_shows_the_post_and_its_current_holder(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(world["convention"])).content.decode()
    assert world["post"].site_names in content
    # The fixture's holder started on 1 January 2021 and has not left.
    assert "Intervenant, depuis le 1er janvier 2021" in content


@pytest.mark.parametrize("members", [1, 3])
def test_the_representatives_of_the_committee_cost_one_query_whatever_their_number(
    client, two_departements, django_assert_num_queries, members
):
    world = two_departements["79"]
    convention = world["convention"]
    furnish(convention, parties=1, articles=1)
    for order in range(members):
        organisation = OrganisationFactory(departement="79")
        CommitteeMemberFactory(
            convention=convention,
            organisation=organisation,
            representative=RepresentativeFactory(organisation=organisation),
            order=order,
        )
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    # The 47 queries of the page with a committee, and one for the representatives named.
    with django_assert_num_queries(48):
        response = client.get(detail_url(convention))
    assert response.status_code == 200


def test_the_page_lists_the_deliberations_that_approve_the_convention(client, two_departements):
    world = two_departements["79"]
    convention = world["convention"]
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(convention)).content.decode()
    assert "Aucune délibération n'est encore liée à cette convention." in content
    DeliberationFactory(
        number="D-2026-42",
        session_date=datetime.date(2026, 11, 20),
        object="Convention de partenariat pour un intervenant social",
        result="adopted",
        conventions=[convention],
    )
    content = client.get(detail_url(convention)).content.decode()
    assert "Délibération n° D-2026-42 du 20/11/2026</a> : Convention de partenariat" in content
    assert "Adoptée" in content


def test_a_user_of_the_other_departement_gets_404(client, two_departements):
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    response = client.get(detail_url(two_departements["79"]["convention"]))
    assert response.status_code == 404


def test_the_edit_and_renew_actions_are_offered_to_editors_only(client, two_departements):
    world = two_departements["79"]
    edit_url = reverse("conventions:edit", args=[world["convention"].reference])
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    assert edit_url in client.get(detail_url(world["convention"])).content.decode()
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    assert edit_url not in client.get(detail_url(world["convention"])).content.decode()


def test_the_reporting_schedule_gives_due_days_in_words(client, two_departements):
    world = two_departements["79"]
    ReportingRuleFactory(convention=world["convention"], recipients="secrétariat de la DDSP")
    ReportingRuleFactory(
        convention=world["convention"], kind="annual", period="year", due_month=1, due_day=1
    )
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(world["convention"])).content.decode()
    assert "<td>le 15 avril</td><td>secrétariat de la DDSP</td>" in content
    assert "<td>le 1er janvier</td>" in content


def test_a_footnote_typed_in_the_text_is_shown_as_a_note_not_as_its_markup(
    client, two_departements
):
    world = two_departements["79"]
    convention = world["convention"]
    ArticleFactory(
        convention=convention,
        number=1,
        title="Missions",
        body="Une prise en charge globale[^Cf. fiche de poste <annexe>].",
    )
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(convention)).content.decode()
    text = content.split('id="text-title"')[1].split('id="amendments-title"')[0]
    assert "[^" not in text
    # The note is where it was typed, its text escaped like any typed text.
    assert 'globale<span class="footnote">Cf. fiche de poste &lt;annexe&gt;</span>.' in text
    consolidated = client.get(
        reverse("conventions:consolidated_text", args=[convention.reference])
    ).content.decode()
    assert "[^" not in consolidated
    assert '<span class="footnote">Cf. fiche de poste &lt;annexe&gt;</span>' in consolidated


def history_rows(content):
    # The history is the last panel of the page: one row heading per change.
    return content.split('class="history-fold"')[1].count('<th scope="row">')


def test_the_history_is_folded_and_shows_twenty_changes_a_page(client, two_departements):
    world = two_departements["79"]
    convention = world["convention"]
    for number in range(1, 26):
        ArticleFactory(convention=convention, number=number, title=f"Titre {number}")
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    first = client.get(detail_url(convention)).content.decode()
    assert '<details class="history-fold">' in first  # folded
    assert history_rows(first) == 20
    assert "?historique=2#panneau-historique" in first
    # The fixture's convention and its 4 parties, and 25 articles: 30 changes.
    second = client.get(detail_url(convention), {"historique": 2}).content.decode()
    assert '<details class="history-fold" open>' in second
    assert history_rows(second) == 10
    assert "?historique=1#panneau-historique" in second and "historique=3" not in second
    # The page asked for opens on the history tab.
    assert 'aria-selected="true" aria-controls="panneau-historique"' in second
    assert 'fr-tabs__panel--selected" role="tabpanel" aria-labelledby="onglet-historique"' in second


@pytest.mark.parametrize("page", ["abc", "0", "-1", "²", "99999999999"])
def test_a_bad_history_page_number_gives_the_first_page(client, two_departements, page):
    world = two_departements["79"]
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    response = client.get(detail_url(world["convention"]), {"historique": page})
    assert response.status_code == 200
    assert "Voir les modifications enregistrées</summary>" in response.content.decode()


def test_a_later_history_page_runs_as_many_queries_as_the_first(
    client, two_departements, django_assert_num_queries
):
    world = two_departements["79"]
    convention = world["convention"]
    furnish(convention, parties=6, articles=30)
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    # The same 47 queries as the first page (see the test above): the page only reads
    # more history records.
    with django_assert_num_queries(47):
        response = client.get(detail_url(convention), {"historique": 2})
    assert history_rows(response.content.decode()) == 20


def test_the_pdf_and_the_consolidated_text_are_offered_at_the_top(client, two_departements):
    world = two_departements["79"]
    convention = world["convention"]
    AmendmentFactory(convention=convention, number=1)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(detail_url(convention)).content.decode()
    summary, tabs = content.split('class="fr-tabs convention-tabs"')
    pdf = reverse("conventions:convention_pdf", args=[convention.reference])
    assert f'href="{pdf}">Convention (PDF)</a>' in summary
    assert f'href="{pdf}?texte=initial">Texte initial (PDF)</a>' in summary
    consolidated = reverse("conventions:consolidated_text", args=[convention.reference])
    assert f'href="{consolidated}">Texte consolidé</a>' in summary
    # Every section is in a tab panel, in this order.
    labels = ["Parties et postes", "Texte et avenants", "Financement", "Délibérations"]
    labels += ["Échéances", "Statistiques et suivi", "Historique"]
    positions = [tabs.index(f">{label}</button>") for label in labels]
    assert positions == sorted(positions)
    assert tabs.count('role="tabpanel"') == len(labels)
