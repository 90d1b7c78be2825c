"""Date rules, one table per rule, each case named after its contractual source.

``schedule_``: which reports a convention expects and when (conventions.lifecycle.reports),
the one schedule that the calendar, the reminders and the statistics module read.
``payment_``: when a year's payment is due (conventions.funding.rules.due_date).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from activity.schedule import quarter_due_date
from conventions.calendar.events import events_for_user
from conventions.calendar.reminders import due_reminders
from conventions.enums import PaymentState, RenewalMode, ReportKind, StartRule
from conventions.funding.build import funding_plan
from conventions.funding.rules import binding_from, due_date
from conventions.lifecycle.deadlines import convention_deadlines
from conventions.lifecycle.reports import expected_reports
from conventions.models import Convention
from partners.enums import Role
from tests.conventions.factories import ContributionFactory, ReportingRuleFactory

D = datetime.date

# Niort, article 11: quarterly bilans for 15 April, 15 July and 15 October, the annual
# bilan for 7 January, a review meeting at the end of the first quarter.
NIORT_RULES = [
    (ReportKind.QUARTERLY_BILAN, "Q1", 4, 15),
    (ReportKind.QUARTERLY_BILAN, "Q2", 7, 15),
    (ReportKind.QUARTERLY_BILAN, "Q3", 10, 15),
    (ReportKind.ANNUAL_BILAN, "year", 1, 7),
    (ReportKind.REVIEW_MEETING, "year", 3, 31),
]
NIORT_SIGNED = D(2021, 10, 12)


def niort_like(convention, *, signed=NIORT_SIGNED, **fields):
    """Niort's article 11 schedule; article 12: from the signature until 31/12/2023."""
    values = {"end_date": D(2023, 12, 31), "duration_years": None, **fields}
    Convention.objects.filter(pk=convention.pk).update(**values)
    convention.parties.update(signed_on=signed)
    for kind, period, month, day in NIORT_RULES:
        ReportingRuleFactory(
            convention=convention, kind=kind, period=period, due_month=month, due_day=day
        )
    return Convention.objects.prefetch_related("parties", "renewals", "reporting_rules").get(
        pk=convention.pk
    )


# (convention fields, kind, period covered, year) → due date, or None when not expected
SCHEDULE_CASES = {
    "Niort art. 11, Q3 2021 due 15/10/2021, convention from 12/10/2021 → not expected": (
        {},
        ReportKind.QUARTERLY_BILAN,
        "Q3",
        2021,
        None,
    ),
    "Niort art. 11, annual bilan 2021 due 07/01/2022, convention from 12/10/2021 → expected": (
        {},
        ReportKind.ANNUAL_BILAN,
        "year",
        2021,
        D(2022, 1, 7),
    ),
    "Niort art. 11, Q1 2022 due 15/04/2022 → expected": (
        {},
        ReportKind.QUARTERLY_BILAN,
        "Q1",
        2022,
        D(2022, 4, 15),
    ),
    "Niort art. 11, review meeting on 2021's activity, 31/03/2022 → expected": (
        {},
        ReportKind.REVIEW_MEETING,
        "year",
        2021,
        D(2022, 3, 31),
    ),
    "Niort art. 12, until 31/12/2023: annual bilan 2023 due 07/01/2024 → expected": (
        {},
        ReportKind.ANNUAL_BILAN,
        "year",
        2023,
        D(2024, 1, 7),
    ),
    "Niort art. 12, until 31/12/2023: Q1 2024 due 15/04/2024 → not expected": (
        {},
        ReportKind.QUARTERLY_BILAN,
        "Q1",
        2024,
        None,
    ),
    "Niort art. 12, terminated on 30/06/2022: Q2 2022 due 15/07/2022 → expected": (
        {"terminated_on": D(2022, 6, 30)},
        ReportKind.QUARTERLY_BILAN,
        "Q2",
        2022,
        D(2022, 7, 15),
    ),
    "Niort art. 12, terminated on 30/06/2022: Q3 2022 due 15/10/2022 → not expected": (
        {"terminated_on": D(2022, 6, 30)},
        ReportKind.QUARTERLY_BILAN,
        "Q3",
        2022,
        None,
    ),
    "Tacit renewal by one year after 31/12/2023: Q1 2024 due 15/04/2024 → expected": (
        {"renewal_mode": RenewalMode.TACIT, "renewal_period_years": 1},
        ReportKind.QUARTERLY_BILAN,
        "Q1",
        2024,
        D(2024, 4, 15),
    ),
    "Effect stated for 01/07/2021, before the signature: Q3 2021 due 15/10/2021 → expected": (
        {"start_rule": StartRule.STATED_DATE, "stated_start_date": D(2021, 7, 1)},
        ReportKind.QUARTERLY_BILAN,
        "Q3",
        2021,
        D(2021, 10, 15),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields,kind,period,year,due", list(SCHEDULE_CASES.values()), ids=list(SCHEDULE_CASES)
)
def test_schedule_expected_reports(two_departements, fields, kind, period, year, due):
    convention = niort_like(two_departements["79"]["convention"], **fields)
    reports = expected_reports(convention, until=D(2025, 12, 31))
    found = [r.due for r in reports if (r.rule.kind, r.rule.period, r.year) == (kind, period, year)]
    assert found == ([due] if due else [])
    # The calendar and the reminders read the same schedule.
    stated = next(
        r for r in convention.reporting_rules.all() if (r.kind, r.period) == (kind, period)
    )
    day = stated.due_date(year)
    keys = {e.key for e in convention_deadlines(convention, today=day, horizon_days=0)}
    assert (
        f"{'review' if kind == ReportKind.REVIEW_MEETING else 'report'}-{stated.pk}-{year}" in keys
    ) == (due is not None)


@pytest.mark.django_db
def test_schedule_the_calendar_the_reminders_and_the_statistics_agree(client, two_departements):
    """Niort signed on 12/10/2021: over 2021–2024, the same due dates on the three."""
    world = two_departements["79"]
    convention = niort_like(world["convention"])
    ddsp = world["users"][Role.DDSP_SECRETARIAT]

    statistics = set()
    client.force_login(ddsp)
    for year in (2021, 2022, 2023, 2024):
        response = client.get(reverse("activity:status_board") + f"?annee={year}")
        for cell in response.context["rows"][0]["cells"]:
            if cell["due"].expected:
                statistics.add(cell["due"].date)

    calendar = {
        e.date
        for e in events_for_user(ddsp, start=D(2021, 1, 1), end=D(2025, 12, 31))
        if e.kind == "report" and e.convention.pk == convention.pk
    }
    # Quarterly and annual bilans (the review meeting is not a quarter's figures).
    assert calendar == statistics
    assert D(2021, 10, 15) not in calendar  # Q3 2021, before the convention
    assert D(2022, 1, 7) in calendar and D(2024, 1, 7) in calendar
    assert D(2024, 4, 15) not in calendar  # after the end

    organisation = convention.parties.first().organisation
    organisation.email = "mairie@example.fr"
    organisation.save()

    def reminded(day):
        return {
            r.key.split(":")[1]
            for r in due_reminders(today=day)
            if r.key.startswith(f"{convention.pk}:report-")
        }

    for day in sorted(statistics):
        assert reminded(day), day
    assert not reminded(D(2021, 10, 15))
    assert not quarter_due_date([convention], 2021, 3).expected


# Payments ------------------------------------------------------------------------------


def contribution(month=6, day=30):
    return SimpleNamespace(due_month=month, due_day=day)


# (stated due day and month, budget year, last signature, effective date) → due date
PAYMENT_CASES = {
    "30 June stated, Niort signed on 12/10/2021: 2021 → due at signature, 12/10/2021": (
        (6, 30),
        2021,
        NIORT_SIGNED,
        NIORT_SIGNED,
        D(2021, 10, 12),
    ),
    "30 June stated, Niort signed on 12/10/2021: 2022 → 30/06/2022": (
        (6, 30),
        2022,
        NIORT_SIGNED,
        NIORT_SIGNED,
        D(2022, 6, 30),
    ),
    "30 November stated, signed on 12/10/2021: 2021 → 30/11/2021, after the signature": (
        (11, 30),
        2021,
        NIORT_SIGNED,
        NIORT_SIGNED,
        D(2021, 11, 30),
    ),
    "Effect stated for 01/01/2021, signed on 12/10/2021: 2021 → due at signature": (
        (6, 30),
        2021,
        NIORT_SIGNED,
        D(2021, 1, 1),
        D(2021, 10, 12),
    ),
    "Effect stated for 01/01/2022, signed on 12/10/2021: 31 March 2022 → 31/03/2022": (
        (3, 31),
        2022,
        NIORT_SIGNED,
        D(2022, 1, 1),
        D(2022, 3, 31),
    ),
    "30 June stated, a party yet to sign → no due date, nothing can be late": (
        (6, 30),
        2021,
        None,
        None,
        None,
    ),
    "Niort art. 6 and Ermont art. 7 state no date → no due date": (
        (None, None),
        2022,
        NIORT_SIGNED,
        NIORT_SIGNED,
        None,
    ),
}


@pytest.mark.parametrize(
    "stated,year,signed,effective,due", list(PAYMENT_CASES.values()), ids=list(PAYMENT_CASES)
)
def test_payment_due_date(stated, year, signed, effective, due):
    assert due_date(contribution(*stated), year, binding_from(signed, effective)) == due


@pytest.mark.django_db
def test_payment_the_first_year_is_due_at_signature_and_never_late_before_it(two_departements):
    world = two_departements["79"]
    convention = world["convention"]
    convention.parties.update(signed_on=NIORT_SIGNED)
    state = convention.parties.get(order=0).organisation
    ContributionFactory(
        convention=convention,
        organisation=state,
        first_year=2021,
        last_year=2023,
        due_month=6,
        due_day=30,
    )
    fresh = Convention.objects.with_funding().get(pk=convention.pk)

    before = funding_plan(fresh, today=D(2021, 10, 1)).cell(2021, state.pk)
    assert before.state == PaymentState.DUE
    assert before.due_label == "exigible à la signature (le 12/10/2021)"

    plan = funding_plan(fresh, today=D(2021, 10, 13))
    assert plan.cell(2021, state.pk).state == PaymentState.LATE
    late = [w.text for w in plan.warnings if w.kind == "late"]
    assert "restent dus depuis la signature (le 12/10/2021)." in late[0]


@pytest.mark.django_db
def test_payment_a_convention_not_yet_signed_has_nothing_late(two_departements):
    convention = two_departements["79"]["convention"]  # no party has signed
    state = convention.parties.get(order=0).organisation
    ContributionFactory(
        convention=convention,
        organisation=state,
        first_year=2021,
        last_year=2021,
        due_month=6,
        due_day=30,
    )
    plan = funding_plan(
        Convention.objects.with_funding().get(pk=convention.pk), today=D(2022, 1, 1)
    )
    assert plan.cell(2021, state.pk).state == PaymentState.DUE
    assert not [w for w in plan.warnings if w.kind == "late"]
