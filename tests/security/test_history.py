"""Every change is kept (who, when, before → after) and shown in the "Historique" sections."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity.history import quarter_history
from activity.models import MonthlyValue, QuarterReport
from config.core.history import HISTORY_LIMIT
from conventions.history import convention_history, funding_history
from conventions.models import Convention, Party
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, month_values
from tests.conventions.factories import (
    ArticleFactory,
    ContributionFactory,
    DecisionFactory,
    DeliberationFactory,
    PaymentFactory,
    PostCostFactory,
)
from tests.conventions.test_convention_form import page_data

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world(two_departements):
    return two_departements["79"]


@pytest.fixture
def editor(client, world):
    user = world["users"][Role.LOCAL_AUTHORITY]
    user.first_name, user.last_name = "Claire", "Martin"
    user.save()
    client.force_login(user)
    return user


def history_section(response) -> str:
    content = response.content.decode()
    return content[content.index('id="historique-titre"') :]


def edit_convention(client, convention, **changes):
    url = reverse("conventions:edit", args=[convention.reference])
    data = page_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302
    return response


# What is recorded ---------------------------------------------------------------------


def test_an_edit_is_recorded_with_its_author_and_the_values_before_and_after(client, world, editor):
    convention = world["convention"]
    before = convention.title
    edit_convention(client, convention, title="Convention modifiée")
    record = Convention.history.filter(id=convention.pk).latest("history_date")
    assert record.history_type == "~"
    assert record.history_user == editor
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "title"] == [
        ("title", before, "Convention modifiée")
    ]


def test_a_party_s_signature_date_is_recorded_by_the_same_save(client, world, editor):
    convention = world["convention"]
    party = convention.parties.get(organisation__name="Commune 79")
    index = list(convention.parties.order_by("order", "pk")).index(party)
    edit_convention(client, convention, **{f"parties-{index}-signed_on": "2021-10-12"})
    record = Party.history.filter(id=party.pk).latest("history_date")
    assert (record.history_user, record.signed_on) == (editor, D(2021, 10, 12))
    assert record.prev_record.signed_on is None


def test_a_deleted_article_keeps_its_last_text_in_the_history(client, world, editor):
    convention = world["convention"]
    article = ArticleFactory(convention=convention, number=1, body="Texte supprimé.")
    edit_convention(client, convention, **{"articles-0-DELETE": "on"})
    record = article.history.latest("history_date")
    assert (record.history_type, record.body, record.history_user) == (
        "-",
        "Texte supprimé.",
        editor,
    )


def test_a_corrected_count_is_recorded_as_an_update_of_the_same_value(client, world):
    report = QuarterReportFactory(post=world["post"], filled=True, filled__persons=20)
    user = world["users"][Role.DDSP_SECRETARIAT]
    client.force_login(user)
    url = reverse("activity:quarter_entry", args=[world["post"].pk, 2025, 1])
    values = month_values(persons=21)
    data = {"version": report.version}
    data.update({f"m1_{code}": value for code, value in values.items()})
    assert client.post(url, data).status_code == 302
    value = MonthlyValue.objects.get(
        record__report=report, record__month=1, indicator__code="personnes_rencontrees"
    )
    latest = value.history.latest("history_date")
    assert (latest.history_type, latest.value, latest.history_user) == ("~", 21, user)
    assert latest.prev_record.value == 20


# What the pages show ------------------------------------------------------------------


def test_the_convention_page_shows_who_changed_what_before_and_after(client, world, editor):
    convention = world["convention"]
    before = convention.title
    edit_convention(client, convention, title="Convention modifiée")
    section = history_section(client.get(convention.get_absolute_url()))
    assert "Claire Martin" in section
    assert (
        f"<strong>Titre</strong> : {before} "
        '<span aria-hidden="true">→</span><span class="visually-hidden">devient</span> '
        "Convention modifiée"
    ) in section


def test_the_convention_page_shows_the_changes_of_its_contributions(client, world, editor):
    contribution = ContributionFactory(
        convention=world["convention"],
        organisation=world["convention"].parties.get(organisation__name="Commune 79").organisation,
        amount=Decimal("5000"),
    )
    url = reverse("conventions:contribution_update", args=[contribution.pk])
    data = {
        "organisation": contribution.organisation_id,
        "source": contribution.source,
        "rule": contribution.rule,
        "amount": "6 000",
        "first_year": contribution.first_year,
        "last_year": contribution.last_year,
        "prorata": contribution.prorata,
        "version": contribution.version,
    }
    assert client.post(url, data).status_code == 302
    section = history_section(client.get(world["convention"].get_absolute_url()))
    assert "Contribution : Commune 79" in section
    assert "5\u00a0000\u00a0€" in section and "6\u00a0000\u00a0€" in section


def test_entries_are_listed_newest_first(world):
    convention = world["convention"]
    for title in ("Premier titre", "Deuxième titre"):
        convention.title = title
        convention.save()
    changes = [e.changes[0].after for e in convention_history(convention)[:2]]
    assert changes == ["Deuxième titre", "Premier titre"]


def test_a_save_that_changes_nothing_visible_is_not_listed(world):
    convention = world["convention"]
    count = len(convention_history(convention))
    convention.version += 1
    convention.save()
    assert len(convention_history(convention)) == count


def test_the_history_is_limited_to_the_latest_entries(world):
    convention = world["convention"]
    for number in range(1, HISTORY_LIMIT + 10):
        ArticleFactory(convention=convention, number=number)
    entries = convention_history(convention)
    assert len(entries) == HISTORY_LIMIT
    assert entries[0].subject.startswith(f"Article : Article {HISTORY_LIMIT + 9} ")


def test_the_history_costs_the_same_queries_whatever_the_number_of_entries(world):
    convention = world["convention"]
    ArticleFactory(convention=convention, number=1)
    # One query tells which of the 13 history tables (convention, parties, associated
    # partners, visas, articles, annexes, amendments, renewals, reporting rules, committee
    # members, contributions, article changes, payments) hold records of the convention,
    # then one query reads each of those: here the convention, its parties and articles.
    with CaptureQueriesContext(connection) as few:
        convention_history(convention)
    assert len(few) == 1 + 3, [q["sql"][:60] for q in few]
    for number in range(2, 80):
        article = ArticleFactory(convention=convention, number=number)
        article.title = "Titre corrigé"
        article.save()
    with CaptureQueriesContext(connection) as many:
        assert len(convention_history(convention)) == HISTORY_LIMIT
    assert len(many) == len(few)


def test_the_funding_plan_shows_the_history_of_the_post_costs(client, world, editor):
    PostCostFactory(post=world["post"], year=2024, total=Decimal("45000"))
    response = client.get(reverse("conventions:funding_plan", args=["convention-79"]))
    section = history_section(response)
    assert "Historique du financement" in section
    assert "Coût du poste" in section and "45\u00a0000\u00a0€" in section


def test_the_post_page_shows_the_history_of_its_holders(client, world, editor):
    section = history_section(client.get(world["post"].get_absolute_url()))
    assert "Titulaire du poste : Intervenant" in section


def test_the_deliberation_page_shows_the_history_of_its_decisions(client, world, editor):
    commune = world["convention"].parties.get(organisation__name="Commune 79").organisation
    deliberation = DeliberationFactory(council__organisation=commune)
    decision = DecisionFactory(deliberation=deliberation, text="approuver la convention ;")
    decision.text = "approuver la convention modifiée ;"
    decision.save()
    section = history_section(client.get(deliberation.get_absolute_url()))
    assert "approuver la convention ;" in section
    assert "approuver la convention modifiée ;" in section


def test_the_quarter_page_shows_the_corrected_counts(client, world):
    QuarterReportFactory(post=world["post"], filled=True, filled__persons=20)
    report = QuarterReport.objects.get()
    value = MonthlyValue.objects.get(
        record__report=report, record__month=2, indicator__code="personnes_rencontrees"
    )
    value.value = 25
    value.save()
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    response = client.get(reverse("activity:quarter_entry", args=[world["post"].pk, 2025, 1]))
    content = response.content.decode()
    section = content[content.index('id="historique-saisies-titre"') :]
    assert "Historique des saisies" in section
    assert "février 2025" in section
    assert (
        '<strong>Valeur</strong> : 20 <span aria-hidden="true">→</span>'
        '<span class="visually-hidden">devient</span> 25'
    ) in section


TRACKED = [
    "conventions.Convention",
    "conventions.Party",
    "conventions.LegalReference",
    "conventions.Article",
    "conventions.Annex",
    "conventions.Amendment",
    "conventions.ArticleChange",
    "conventions.Renewal",
    "conventions.ReportingRule",
    "conventions.CommitteeMember",
    "conventions.AssociatedPartner",
    "conventions.Post",
    "conventions.PostHolder",
    "conventions.Contribution",
    "conventions.Payment",
    "conventions.PostCost",
    "conventions.Deliberation",
    "conventions.Attendance",
    "conventions.Decision",
    "conventions.DecidedAmount",
    "activity.QuarterReport",
    "activity.MonthlyRecord",
    "activity.MonthlyValue",
    "activity.GridVersion",
    "activity.IndicatorGroup",
    "activity.Indicator",
    "partners.Organisation",
    "partners.Representative",
]


@pytest.mark.parametrize("label", TRACKED)
def test_every_model_whose_changes_matter_keeps_a_history(label):
    model = apps.get_model(label)
    assert model._meta.simple_history_manager_attribute == "history"


# Objects older than the history -------------------------------------------------------------


def test_a_change_to_an_object_older_than_the_history_lists_the_values_it_took(
    client, world, editor
):
    convention = world["convention"]
    Convention.history.filter(id=convention.pk).delete()  # as if created before the history
    edit_convention(client, convention, title="Convention modifiée")
    entry = next(e for e in convention_history(convention) if e.subject.startswith("Convention"))
    assert entry.first_known
    assert ("Titre", "Convention modifiée") in [(c.field, c.after) for c in entry.changes]
    section = history_section(client.get(convention.get_absolute_url()))
    assert "l'état antérieur n'était pas conservé" in section


def test_the_payments_of_a_contribution_older_than_the_history_are_listed(world, editor):
    contribution = ContributionFactory(
        convention=world["convention"],
        organisation=world["convention"].parties.get(organisation__name="Commune 79").organisation,
    )
    contribution.history.all().delete()
    PaymentFactory(contribution=contribution, year=2022)
    assert any(e.subject.startswith("Versement") for e in funding_history(world["convention"]))


def test_an_edit_does_not_save_again_a_text_whose_line_breaks_the_browser_sent_as_crlf(
    client, world, editor
):
    convention = world["convention"]
    article = ArticleFactory(convention=convention, number=1, body="Première ligne.\nSeconde.")
    url = reverse("conventions:edit", args=[convention.reference])
    data = page_data(client.get(url))
    data["articles-0-body"] = "Première ligne.\r\nSeconde."
    data["subtitle"] = "Un autre sous-titre"
    assert client.post(url, data).status_code == 302
    assert list(article.history.values_list("history_type", flat=True)) == ["+"]


# Kept in the cache ---------------------------------------------------------------------


def test_a_history_asked_again_is_read_back_until_what_it_names_changes(client, world, editor):
    """Kept under the last entry of each of its sources and of each table its entries
    name: asked again, it costs two queries (that version, the authors' names); a renamed
    funder or author shows at once though no entry of the convention changed."""
    convention = world["convention"]
    commune = convention.parties.get(organisation__name="Commune 79").organisation
    ContributionFactory(convention=convention, organisation=commune, amount=Decimal("5000"))
    edit_convention(client, convention, title="Convention modifiée")
    first = convention_history(convention)
    with CaptureQueriesContext(connection) as again:
        assert convention_history(convention) == first
    assert len(again) == 2, [q["sql"][:60] for q in again]
    commune.name = "Commune renommée"
    commune.save()
    editor.last_name = "Durand"
    editor.save()
    entries = convention_history(convention)
    assert any(entry.subject.startswith("Contribution : Commune renommée") for entry in entries)
    assert entries[0].user == "Claire Durand"


def test_a_change_rolled_back_leaves_nothing_in_the_kept_history(world):
    """SQLite gives the id of a history entry rolled back to the next one written: the
    version holds the entry's date too."""
    convention = world["convention"]
    convention_history(convention)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        convention.title = "Titre abandonné"
        convention.save()
        assert convention_history(convention)[0].changes[0].after == "Titre abandonné"
        raise RuntimeError
    convention.refresh_from_db()
    convention.title = "Titre retenu"
    convention.save()
    assert convention_history(convention)[0].changes[0].after == "Titre retenu"


def test_a_quarter_s_kept_history_outlives_the_entries_of_other_quarters(client, world):
    """The secretariats save quarters all day: another quarter's save leaves this one's
    history kept, its own save shows at once."""
    report = QuarterReportFactory(post=world["post"], filled=True, filled__persons=20)
    other = QuarterReportFactory(post=world["post"], quarter=2, filled=True, filled__persons=5)
    assert quarter_history(report)
    value = MonthlyValue.objects.get(
        record__report=other, record__month=4, indicator__code="personnes_rencontrees"
    )
    value.value = 6
    value.save()
    with CaptureQueriesContext(connection) as again:
        quarter_history(report)
    # The version, the post's sites for the wording (the page has them already); no
    # author to name.
    assert len(again) == 2, [q["sql"][:200] for q in again]
    value = MonthlyValue.objects.get(
        record__report=report, record__month=2, indicator__code="personnes_rencontrees"
    )
    value.value = 25
    value.save()
    assert quarter_history(report)[0].changes[0].after == "25"
