"""Date rules, one table per rule, each case named after its contractual source.

``schedule_``: which reports a convention expects and when (conventions.lifecycle.reports),
the one schedule that the calendar, the reminders and the statistics module read.
``payment_``: when a year's payment is due (conventions.funding.rules.due_date).
Amendments (``amendment_…``): a signed amendment changes the end, the duration, the
renewal or notice terms and the amounts from the day it takes effect; an unsigned one is
a draft and changes nothing. Termination (``termination_…``): a termination that is not
a notice at the expiry of the period, sent in time, is an agreement or an early
termination, which the user chooses and the convention records. Then the term rule
(a term ends the day before its anniversary; 29 February) and the dates of the past
that cannot be typed in the future.
"""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from activity.schedule import quarter_due_date
from config.core.dates import anniversary, term_end
from config.core.idempotency import SUBMISSION_FIELD, new_token
from conventions.agreements.documents import render_convention_pdf
from conventions.calendar.events import events_for_user
from conventions.calendar.reminders import due_reminders
from conventions.enums import (
    ConventionStatus,
    PaymentState,
    RenewalMode,
    ReportKind,
    StartRule,
    TermGovernedBy,
)
from conventions.funding.build import funding_plan
from conventions.funding.due import funding_due
from conventions.funding.rules import binding_from, due_date
from conventions.history import convention_history
from conventions.lifecycle.deadlines import convention_deadlines
from conventions.lifecycle.reports import expected_reports
from conventions.lifecycle.services import (
    ContributionChangeSpec,
    TermChangeSpec,
    amendment_create,
    convention_terminate,
)
from conventions.models import Amendment, Convention
from partners.enums import Role
from tests.conventions.factories import (
    AmendmentFactory,
    ContributionFactory,
    ConventionFactory,
    DeliberationFactory,
    PartyFactory,
    PaymentFactory,
    RenewalFactory,
    ReportingRuleFactory,
)
from tests.conventions.pdftext import pdf_pages
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
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
    assert not quarter_due_date([convention], 2021, 3, post=convention.single_post).expected


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


# The day the amendments of Niort 2021 are recorded: it is in force (an ended convention
# takes no amendment, conventions.lifecycle.services.amendment_create).
WHILE_IN_FORCE = D(2023, 11, 20)


@pytest.fixture
def niort():
    """Niort 2021: from 12 October 2021 « jusqu'au 31 décembre 2023 », the written end
    governing; termination by registered letter three months before expiry; the Ville pays
    5 000 € a year for 2021–2023."""
    convention = ConventionFactory(
        reference="niort-2021",
        start_rule=StartRule.STATED_DATE,
        stated_start_date=D(2021, 10, 12),
        end_date=D(2023, 12, 31),
        duration_years=3,
        term_governed_by=TermGovernedBy.END_DATE,
        notice_months=3,
    )
    city = OrganisationFactory(name="Commune de Niort", short_name="Ville de Niort")
    PartyFactory(convention=convention, organisation=city, signed_on=D(2021, 10, 1), order=0)
    PartyFactory(
        convention=convention,
        organisation__name="Préfecture des Deux-Sèvres",
        signed_on=D(2021, 10, 12),
        order=1,
    )
    ContributionFactory(
        convention=convention,
        organisation=city,
        amount=Decimal("5000"),
        source="budget communal",
        first_year=2021,
        last_year=2023,
    )
    return convention


def fresh(convention):
    return Convention.objects.for_detail().get(pk=convention.pk)


def city_contribution(convention):
    return convention.contributions.get(organisation__short_name="Ville de Niort")


# Amendments: dates --------------------------------------------------------------------

# name: (amendments, recorded renewals, day considered, end in force, notice deadline)
AMENDMENT_DATE_CASES = {
    "sans avenant: article 12 « jusqu'au 31 décembre 2023 » → fin 31/12/2023": (
        [],
        [],
        D(2023, 3, 1),
        D(2023, 12, 31),
        D(2023, 9, 30),
    ),
    "avenant n° 1, article 12 « jusqu'au 31 décembre 2024 » → fin 31/12/2024": (
        [{"signed_on": D(2023, 6, 1), "new_end_date": D(2024, 12, 31)}],
        [],
        D(2023, 7, 1),
        D(2024, 12, 31),
        D(2024, 9, 30),
    ),
    "avenant signé, non encore en vigueur → dates inchangées": (
        [
            {
                "signed_on": D(2023, 6, 1),
                "effective_on": D(2023, 11, 1),
                "new_end_date": D(2024, 12, 31),
            }
        ],
        [],
        D(2023, 7, 1),
        D(2023, 12, 31),
        D(2023, 9, 30),
    ),
    "avenant signé, prise d'effet le 01/11/2023 atteinte → fin 31/12/2024": (
        [
            {
                "signed_on": D(2023, 6, 1),
                "effective_on": D(2023, 11, 1),
                "new_end_date": D(2024, 12, 31),
            }
        ],
        [],
        D(2023, 11, 1),
        D(2024, 12, 31),
        D(2024, 9, 30),
    ),
    "avenant non signé (projet) → dates inchangées": (
        [{"signed_on": None, "new_end_date": D(2024, 12, 31)}],
        [],
        D(2023, 7, 1),
        D(2023, 12, 31),
        D(2023, 9, 30),
    ),
    "avenant portant le préavis à six mois → dénonciation au plus tard le 30/06/2023": (
        [{"signed_on": D(2023, 1, 10), "new_notice_months": 6}],
        [],
        D(2023, 3, 1),
        D(2023, 12, 31),
        D(2023, 6, 30),
    ),
    "avenant portant la durée à quatre ans à compter du 12/10/2021 → fin 11/10/2025": (
        [{"signed_on": D(2023, 1, 10), "new_duration_years": 4}],
        [],
        D(2024, 6, 1),
        D(2025, 10, 11),
        D(2025, 7, 11),
    ),
    "avenant n° 2 « jusqu'au 30 juin 2024 » après l'avenant n° 1 → le dernier en vigueur": (
        [
            {"signed_on": D(2023, 2, 1), "new_end_date": D(2024, 12, 31)},
            {"signed_on": D(2023, 5, 1), "new_end_date": D(2024, 6, 30)},
        ],
        [],
        D(2023, 7, 1),
        D(2024, 6, 30),
        D(2024, 3, 30),
    ),
    "avenant instaurant la reconduction tacite annuelle → période suivante jusqu'au 31/12/2024": (
        [{"signed_on": D(2023, 5, 1), "new_renewal_mode": "tacit", "new_renewal_period_years": 1}],
        [],
        D(2024, 3, 1),
        D(2024, 12, 31),
        D(2024, 9, 30),
    ),
    "reconduction 2024–2026 puis avenant « jusqu'au 30 juin 2025 » → période n° 2 écourtée": (
        [{"signed_on": D(2024, 9, 1), "new_end_date": D(2025, 6, 30)}],
        [(D(2024, 1, 1), D(2026, 12, 31))],
        D(2025, 1, 1),
        D(2025, 6, 30),
        D(2025, 3, 30),
    ),
}


@pytest.mark.parametrize(
    "amendments,renewals,day,end,notice",
    list(AMENDMENT_DATE_CASES.values()),
    ids=list(AMENDMENT_DATE_CASES),
)
def test_amendment_dates_follow_the_amendments_in_force(
    niort, amendments, renewals, day, end, notice
):
    for number, fields in enumerate(amendments, start=1):
        AmendmentFactory(convention=niort, number=number, **fields)
    for number, (start, last) in enumerate(renewals, start=1):
        RenewalFactory(convention=niort, number=number, start=start, end=last)
    convention = fresh(niort)
    assert convention.current_end_date(day) == end
    assert convention.notice_deadline(day) == notice


def test_amendment_extending_the_term_keeps_the_convention_in_force(niort):
    on = D(2024, 3, 1)
    assert fresh(niort).status(on) == ConventionStatus.EXPIRED
    AmendmentFactory(convention=niort, signed_on=D(2023, 6, 1), new_end_date=D(2024, 12, 31))
    assert fresh(niort).status(on) == ConventionStatus.IN_FORCE


def test_amendment_extension_is_found_by_the_sql_narrowing_of_the_dashboards(niort):
    AmendmentFactory(convention=niort, signed_on=D(2023, 6, 1), new_end_date=D(2024, 12, 31))
    found = Convention.objects.may_end_between(D(2024, 12, 1), D(2024, 12, 31))
    assert niort in found
    assert niort not in Convention.objects.with_one_written_period()


# Amendments: amounts ------------------------------------------------------------------

# name: (amendment signed on, change: (from year, until year, amount), expected by year)
AMENDMENT_FUNDING_CASES = {
    "avenant n° 1 : participation de la Ville portée à 12 000 € à compter de 2023": (
        D(2023, 1, 15),
        (2023, None, "12000"),
        {2021: "5000.00", 2022: "5000.00", 2023: "12000.00"},
    ),
    "avenant prolongeant à 2024 : 12 000 € à compter de 2024 → une année 2024 de plus": (
        D(2023, 6, 1),
        (2024, None, "12000"),
        {2021: "5000.00", 2022: "5000.00", 2023: "5000.00", 2024: "12000.00"},
    ),
    "avenant : 6 000 € pour 2022 seulement → 2021 et 2023 inchangés": (
        D(2022, 1, 15),
        (2022, 2022, "6000"),
        {2021: "5000.00", 2022: "6000.00", 2023: "5000.00"},
    ),
    "avenant non signé (projet) : 12 000 € à compter de 2023 → plan inchangé": (
        None,
        (2023, None, "12000"),
        {2021: "5000.00", 2022: "5000.00", 2023: "5000.00"},
    ),
}


@pytest.mark.parametrize(
    "signed_on,change,expected",
    list(AMENDMENT_FUNDING_CASES.values()),
    ids=list(AMENDMENT_FUNDING_CASES),
)
def test_amendment_amounts_follow_the_signed_amendments(niort, signed_on, change, expected):
    from_year, until_year, amount = change
    amendment_create(
        convention=niort,
        number=1,
        signed_on=signed_on,
        today=WHILE_IN_FORCE,
        object="Revalorisation de la participation de la Ville",
        changes=[],
        contribution_changes=[
            ContributionChangeSpec(
                contribution=city_contribution(niort),
                from_year=from_year,
                until_year=until_year,
                amount=Decimal(amount),
            )
        ],
    )
    convention = Convention.objects.with_funding().get(pk=niort.pk)
    plan = funding_plan(convention, today=D(2023, 1, 1))
    assert {row.year: str(row.cells[0].amount) for row in plan.rows} == expected


def test_amendment_payments_of_an_amended_year_still_count(niort):
    contribution = city_contribution(niort)
    PaymentFactory(contribution=contribution, year=2023, amount=Decimal("12000"))
    amendment_create(
        convention=niort,
        number=1,
        signed_on=D(2023, 1, 15),
        today=WHILE_IN_FORCE,
        object="Revalorisation",
        changes=[],
        contribution_changes=[
            ContributionChangeSpec(contribution, from_year=2023, amount=Decimal("12000"))
        ],
    )
    plan = funding_plan(Convention.objects.with_funding().get(pk=niort.pk), today=D(2023, 9, 1))
    cell = plan.row(2023).cells[0]
    assert (cell.amount, cell.paid, cell.remaining) == (
        Decimal("12000"),
        Decimal("12000"),
        Decimal("0"),
    )


# Amendments: validation, text and history ---------------------------------------------

AMENDMENT_REFUSALS = {
    "nouvelle fin avant la prise d'effet de la convention": (
        {"terms": TermChangeSpec(new_end_date=D(2021, 1, 1))},
        "new_end_date",
        "La nouvelle date de fin doit être postérieure à la prise d'effet de la convention, "
        "le 12/10/2021.",
    ),
    "prise d'effet de l'avenant avant celle de la convention": (
        {"effective_on": D(2021, 1, 1)},
        "effective_on",
        "La convention prend effet le 12/10/2021 : un avenant ne peut prendre effet avant elle.",
    ),
    "nouvelle participation avant la première année de la contribution": (
        {"contribution_changes": "2020"},
        "from_year",
        "Cette contribution commence en 2021 : le nouveau montant ne peut s'appliquer avant.",
    ),
}


@pytest.mark.parametrize(
    "arguments,field,message", list(AMENDMENT_REFUSALS.values()), ids=list(AMENDMENT_REFUSALS)
)
def test_amendment_service_refuses_impossible_changes(niort, arguments, field, message):
    if "contribution_changes" in arguments:
        arguments = {
            "contribution_changes": [
                ContributionChangeSpec(
                    city_contribution(niort),
                    from_year=int(arguments["contribution_changes"]),
                    amount=Decimal("1"),
                )
            ]
        }
    with pytest.raises(ValidationError) as refused:
        amendment_create(
            convention=niort,
            number=1,
            signed_on=D(2023, 1, 1),
            today=WHILE_IN_FORCE,
            object="x",
            changes=[],
            **arguments,
        )
    assert refused.value.message_dict[field] == [message]
    assert not Amendment.objects.filter(convention=niort).exists()


def extend_to_2024(niort, **kwargs):
    return amendment_create(
        convention=niort,
        number=1,
        signed_on=D(2023, 11, 20),
        today=WHILE_IN_FORCE,
        object="Prolongation d'un an",
        changes=[],
        effective_on=D(2024, 1, 1),
        terms=TermChangeSpec(new_end_date=D(2024, 12, 31)),
        contribution_changes=[
            ContributionChangeSpec(
                city_contribution(niort), from_year=2024, amount=Decimal("12000")
            )
        ],
        **kwargs,
    )


SUMMARY = (
    "Avenant n° 1 (prise d'effet le 01/01/2024) : date de fin portée au 31/12/2024 ; "
    "participation de Ville de Niort portée à 12 000 € à compter de 2024"
)


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def test_amendment_summary_is_on_the_consolidated_text_and_in_its_pdf(client, niort):
    extend_to_2024(niort)
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("conventions:consolidated_text", args=[niort.reference]))
    assert SUMMARY.replace("'", "&#x27;") in normalised(page.content.decode())
    text = normalised(" ".join(pdf_pages(render_convention_pdf(fresh(niort)))))
    # The PDF hyphenates long lines (« partici‐ pation »).
    assert SUMMARY in text.replace("\u2010 ", "")


def test_amendment_rows_appear_in_the_convention_history(niort):
    extend_to_2024(niort)
    subjects = [entry.subject for entry in convention_history(niort)]
    assert (
        "Modification de contribution : participation de Ville de Niort portée à 12 000 € à "
        "compter de 2024"
    ) in [normalised(s) for s in subjects]
    assert "Avenant : Avenant n° 1" in subjects


# Amendments: the form -----------------------------------------------------------------


@pytest.fixture
def editor(niort, monkeypatch):
    """Works while Niort 2021 is in force: an ended convention takes no amendment."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: WHILE_IN_FORCE)
    city = niort.parties.get(order=0).organisation
    return UserFactory(organisation=city, role=Role.LOCAL_AUTHORITY)


def amendment_form(niort, **fields):
    data = {
        "number": "1",
        "signed_on": "2023-11-20",
        "effective_on": "2024-01-01",
        "object": "Prolongation d'un an",
        "new_end_date": "2024-12-31",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "contributions-TOTAL_FORMS": "1",
        "contributions-INITIAL_FORMS": "0",
        "contributions-0-contribution": str(city_contribution(niort).pk),
        "contributions-0-from_year": "2024",
        "contributions-0-amount": "12000",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "new_contributions-TOTAL_FORMS": "1",
        "new_contributions-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_amendment_form_records_the_structured_changes_once(client, niort, editor):
    client.force_login(editor)
    url = reverse("conventions:amendment_create", args=[niort.reference])
    data = amendment_form(niort, **{SUBMISSION_FIELD: new_token()})
    first = client.post(url, data)
    again = client.post(url, data)  # a double click
    assert first.status_code == again.status_code == 302
    amendment = Amendment.objects.get(convention=niort)
    assert (amendment.effective_on, amendment.new_end_date) == (D(2024, 1, 1), D(2024, 12, 31))
    assert [str(c.amount) for c in amendment.contribution_changes.all()] == ["12000.00"]
    page = client.get(reverse("conventions:lifecycle", args=[niort.reference]))
    assert "date de fin portée au 31/12/2024" in page.content.decode()


AMENDMENT_FORM_REFUSALS = {
    "nouvelle fin avant le début": (
        {"new_end_date": "2020-12-31"},
        "new_end_date",
        "La nouvelle date de fin doit être postérieure à la prise d'effet de la convention, "
        "le 12/10/2021.",
    ),
    "prise d'effet avant le début": (
        {"effective_on": "2021-01-01"},
        "effective_on",
        "La convention prend effet le 12/10/2021 : un avenant ne peut prendre effet avant elle.",
    ),
    "reconduction tacite sans durée": (
        {"new_renewal_mode": "tacit"},
        "new_renewal_period_years",
        "Indiquez la durée d'une reconduction (par exemple 3 ans).",
    ),
}


@pytest.mark.parametrize(
    "fields,field,message",
    list(AMENDMENT_FORM_REFUSALS.values()),
    ids=list(AMENDMENT_FORM_REFUSALS),
)
def test_amendment_form_says_what_is_wrong_next_to_the_field(
    client, niort, editor, fields, field, message
):
    client.force_login(editor)
    url = reverse("conventions:amendment_create", args=[niort.reference])
    response = client.post(url, amendment_form(niort, **fields))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Amendment.objects.filter(convention=niort).exists()


def test_amendment_form_refuses_a_contribution_of_another_convention(client, niort, editor):
    other = ContributionFactory()
    client.force_login(editor)
    url = reverse("conventions:amendment_create", args=[niort.reference])
    response = client.post(url, amendment_form(niort, **{"contributions-0-contribution": other.pk}))
    assert response.status_code == 200
    assert response.context["contribution_formset"].forms[0].errors["contribution"]
    assert not Amendment.objects.filter(convention=niort).exists()


# Termination ----------------------------------------------------------------------------

CLAUSE = (
    "La clause de dénonciation permet de mettre fin à la convention à l'échéance du "
    "31/12/2023, par lettre recommandée avec accusé de réception envoyée au plus tard le "
    "30/09/2023 (3 mois avant l'échéance)."
)
CHOOSE = (
    " : ce n'est pas une dénonciation à l'échéance. Choisissez « Résiliation d'un commun "
    "accord » ou « Résiliation anticipée »."
)

# name: (letter, end, kind chosen, error on termination_kind or the kind recorded)
TERMINATION_CASES = {
    "article 12 : lettre du 15/09/2023 pour l'échéance du 31/12/2023 → dénonciation": (
        D(2023, 9, 15),
        D(2023, 12, 31),
        "",
        "notice",
    ),
    "lettre du 15/11/2023, après le 30/09/2023 → le choix est exigé": (
        D(2023, 11, 15),
        D(2023, 12, 31),
        "",
        f"{CLAUSE} Ici, la lettre du 15/11/2023 est envoyée après le délai{CHOOSE}",
    ),
    "fin au 30/06/2023, en milieu de période → le choix est exigé": (
        D(2023, 3, 1),
        D(2023, 6, 30),
        "",
        f"{CLAUSE} Ici, la fin demandée, le 30/06/2023, n'est pas l'échéance de la période en "
        f"cours{CHOOSE}",
    ),
    "fin au 30/06/2023 présentée comme une dénonciation à l'échéance → refusée": (
        D(2023, 3, 1),
        D(2023, 6, 30),
        "notice",
        f"{CLAUSE} Ici, la fin demandée, le 30/06/2023, n'est pas l'échéance de la période en "
        f"cours{CHOOSE}",
    ),
    "fin au 30/06/2023 d'un commun accord → résiliation d'un commun accord": (
        D(2023, 3, 1),
        D(2023, 6, 30),
        "agreement",
        "agreement",
    ),
    "lettre tardive, résiliation anticipée choisie → résiliation anticipée": (
        D(2023, 11, 15),
        D(2023, 12, 31),
        "early",
        "early",
    ),
}


@pytest.mark.parametrize(
    "letter,end,kind,expected", list(TERMINATION_CASES.values()), ids=list(TERMINATION_CASES)
)
def test_termination_outside_the_clause_needs_its_kind(niort, letter, end, kind, expected):
    arguments = {
        "convention": niort,
        "letter_date": letter,
        "terminated_by": niort.parties.get(order=0).organisation,
        "end_date": end,
        "termination_kind": kind,
    }
    if expected in ("notice", "agreement", "early"):
        convention_terminate(**arguments)
        convention = Convention.objects.get(pk=niort.pk)
        assert (convention.terminated_on, convention.termination_kind) == (end, expected)
        return
    with pytest.raises(ValidationError) as refused:
        convention_terminate(**arguments)
    assert refused.value.message_dict["termination_kind"] == [expected]
    assert Convention.objects.get(pk=niort.pk).terminated_on is None


def test_termination_clause_follows_an_amended_notice_period(niort):
    AmendmentFactory(convention=niort, signed_on=D(2023, 1, 10), new_notice_months=6)
    with pytest.raises(ValidationError) as refused:
        convention_terminate(
            convention=niort,
            letter_date=D(2023, 9, 15),
            terminated_by=niort.parties.get(order=0).organisation,
            end_date=D(2023, 12, 31),
        )
    assert (
        "envoyée au plus tard le 30/06/2023 (6 mois avant l'échéance)"
        in (refused.value.message_dict["termination_kind"][0])
    )


def terminate_form(niort, **fields):
    return {
        "letter_date": "2023-03-01",
        "terminated_by": niort.parties.get(order=0).organisation.pk,
        "end_date": "2023-06-30",
        **fields,
    }


def test_termination_form_warns_next_to_the_kind_and_records_nothing(client, niort, editor):
    client.force_login(editor)
    url = reverse("conventions:terminate", args=[niort.reference])
    response = client.post(url, terminate_form(niort))
    assert response.status_code == 200
    assert response.context["form"].errors["termination_kind"] == [
        f"{CLAUSE} Ici, la fin demandée, le 30/06/2023, n'est pas l'échéance de la période en "
        f"cours{CHOOSE}"
    ]
    assert Convention.objects.get(pk=niort.pk).terminated_on is None


def test_termination_form_records_the_kind_once_and_the_convention_page_shows_it(
    client, niort, editor
):
    client.force_login(editor)
    url = reverse("conventions:terminate", args=[niort.reference])
    data = terminate_form(niort, termination_kind="agreement", **{SUBMISSION_FIELD: new_token()})
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # sent again: the first answer, no error
    convention = Convention.objects.get(pk=niort.pk)
    assert (convention.terminated_on, convention.termination_kind) == (D(2023, 6, 30), "agreement")
    page = client.get(convention.get_absolute_url()).content.decode()
    assert "<dt>Résiliation d&#x27;un commun accord</dt><dd>fin au 30 juin 2023" in page


def test_amendment_page_of_an_unsigned_amendment_shows_what_it_would_change(client, niort):
    AmendmentFactory(convention=niort, number=1, signed_on=None, new_end_date=D(2024, 12, 31))
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(reverse("conventions:amendment_detail", args=[niort.reference, 1]))
    content = page.content.decode()
    assert "Ce qu'il changera une fois signé" in content
    assert "Date de fin portée au 31/12/2024" in content
    assert fresh(niort).current_end_date(D(2023, 7, 1)) == D(2023, 12, 31)


def test_amendment_admin_edits_the_structured_changes_inline(client, niort):
    amendment = extend_to_2024(niort)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:conventions_amendment_change", args=[amendment.pk]))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Nouvelle date de fin" in content
    assert "Modifications de contribution" in content
    assert "Modifications des parties" in content


def test_amendment_amounts_are_the_ones_the_dashboards_find_unpaid(niort):
    contribution = city_contribution(niort)
    contribution.due_month, contribution.due_day = 6, 30
    contribution.save()
    PaymentFactory(contribution=contribution, year=2023, amount=Decimal("5000"))
    amendment_create(
        convention=niort,
        number=1,
        signed_on=D(2023, 1, 15),
        today=WHILE_IN_FORCE,
        object="Revalorisation",
        changes=[],
        contribution_changes=[
            ContributionChangeSpec(contribution, from_year=2023, amount=Decimal("12000"))
        ],
    )
    cells, _, _ = funding_due(Convention.objects.filter(pk=niort.pk), today=D(2023, 9, 1))
    plan = funding_plan(Convention.objects.with_funding().get(pk=niort.pk), today=D(2023, 9, 1))
    assert (
        [(c.year, c.amount, c.paid) for c in cells if c.year == 2023]
        == [(2023, plan.row(2023).cells[0].amount, Decimal("5000"))]
        == [(2023, Decimal("12000"), Decimal("5000"))]
    )


# The term (config.core.dates.term_end), written once and used everywhere: a term of N
# years ends the day before the anniversary of its start; a 29 February start has its
# anniversary on 1 March in a common year.

TERMS = {
    "Niort, article 12: three years from 12 October 2021": (D(2021, 10, 12), 3, D(2024, 10, 11)),
    "Ermont: one year from 1 January 2022": (D(2022, 1, 1), 1, D(2022, 12, 31)),
    "signed on 29 February 2024 for three years": (D(2024, 2, 29), 3, D(2027, 2, 28)),
    "signed on 29 February 2024 for four years (a leap year again)": (
        D(2024, 2, 29),
        4,
        D(2028, 2, 28),
    ),
    "signed on 1 March 2023 for one year (across 29 February 2024)": (
        D(2023, 3, 1),
        1,
        D(2024, 2, 29),
    ),
    "signed on 28 February 2023 for one year": (D(2023, 2, 28), 1, D(2024, 2, 27)),
}


@pytest.mark.parametrize("start,years,end", list(TERMS.values()), ids=list(TERMS))
def test_a_term_ends_the_day_before_its_anniversary(start, years, end):
    assert term_end(start, years) == end


def test_the_anniversary_of_29_february_is_1_march_in_a_common_year():
    assert anniversary(D(2024, 2, 29), 1) == D(2025, 3, 1)
    assert anniversary(D(2024, 2, 29), 4) == D(2028, 2, 29)


def leap_day_convention(**fields):
    return ConventionFactory(
        start_rule=StartRule.STATED_DATE,
        end_date=None,
        stated_start_date=D(2024, 2, 29),
        duration_years=3,
        notice_months=3,
        **fields,
    )


@pytest.mark.django_db
def test_a_convention_signed_on_29_february_ends_on_28_february_three_years_later():
    convention = leap_day_convention()
    assert convention.initial_end_date == D(2027, 2, 28)
    # The notice deadline follows the end (three months before it).
    assert convention.notice_deadline(convention.initial_end_date) == D(2026, 11, 28)


@pytest.mark.django_db
def test_tacit_one_year_renewals_from_29_february_keep_no_drift():
    convention = leap_day_convention(renewal_mode=RenewalMode.TACIT, renewal_period_years=1)
    periods = convention.periods(until=D(2031, 1, 1))
    assert [(p.start, p.end) for p in periods[:4]] == [
        (D(2024, 2, 29), D(2027, 2, 28)),
        (D(2027, 3, 1), D(2028, 2, 29)),
        (D(2028, 3, 1), D(2029, 2, 28)),
        (D(2029, 3, 1), D(2030, 2, 28)),
    ]


# Dates of the past (a signature, a payment, a convocation) cannot be typed in the
# future: each case is named after what a wrong date would do on the pages.


def in_years(years):
    today = timezone.localdate()
    return today.replace(year=today.year + years)


def errors_of(instance):
    with pytest.raises(ValidationError) as error:
        instance.full_clean()
    return error.value.message_dict


def test_a_signature_dated_in_2031_would_make_the_convention_signed_and_is_refused():
    party = PartyFactory(signed_on=None)
    party.signed_on = in_years(5)
    assert errors_of(party)["signed_on"] == [
        "La date de signature ne peut pas être postérieure à aujourd'hui "
        f"({timezone.localdate():%d/%m/%Y})."
    ]


def test_a_signature_of_today_is_accepted():
    party = PartyFactory(signed_on=timezone.localdate())
    party.full_clean()


def test_a_payment_dated_in_ten_years_is_refused():
    payment = PaymentFactory.build(contribution=PaymentFactory().contribution)
    payment.date = in_years(10)
    assert "date" in errors_of(payment)


def test_a_convocation_after_the_session_is_refused_next_to_the_field():
    deliberation = DeliberationFactory()
    deliberation.convocation_date = deliberation.session_date + datetime.timedelta(days=3)
    assert errors_of(deliberation)["convocation_date"] == [
        "La convocation ne peut pas suivre la séance."
    ]
