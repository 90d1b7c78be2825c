"""Demo statistics for the Niort and Ermont posts (load_demo).

2024 and 2025 in full (validated, annual bilans validated, so locked) and 2026
up to September: Niort's first two quarters validated and its third submitted;
Ermont's first quarter reopened with a reason then validated again, its second
validated and its third still in draft after its due date (late).

The figures are invented but plausible and consistent: every partition adds up.
They are drawn from ``random.Random`` seeded by post and month, so that loading
twice writes the same numbers. Counts only: nothing about any person.

One piece of some 400 lines: the figures of each group depend on those of the
groups they partition, and the workflow states follow the quarters in order.
"""

import datetime
import importlib
import random

from django.apps import apps as django_apps
from django.utils import timezone

from activity.enums import AnnualState, QuarterAction, QuarterState
from activity.models import (
    AnnualReport,
    GridVersion,
    Indicator,
    MonthlyRecord,
    MonthlyValue,
    QuarterEvent,
    QuarterReport,
    quarter_months,
)
from activity.selectors import snapshot
from conventions.enums import ReportKind
from conventions.models import Convention, Post, ReportingRule
from partners.models import User

# Niort, article 11: quarterly bilans for 15 April, 15 July, 15 October; annual for 7 January.
NIORT_SCHEDULE = [
    (ReportKind.QUARTERLY_BILAN, "Q1", 4, 15),
    (ReportKind.QUARTERLY_BILAN, "Q2", 7, 15),
    (ReportKind.QUARTERLY_BILAN, "Q3", 10, 15),
    (ReportKind.ANNUAL_BILAN, "year", 1, 7),
]
NIORT_RECIPIENTS = {
    ReportKind.QUARTERLY_BILAN: "Secrétariat de la DDSP ; copie à France Victimes 79",
    ReportKind.ANNUAL_BILAN: "Monsieur le Préfet (service des sécurités), le DDSP et Monsieur le "
    "Maire de Niort ; le cas échéant, le Procureur de la République",
}

# Seasonal factor per month: fewer situations in August and at Christmas.
SEASON = [1.0, 0.95, 1.05, 1.0, 1.05, 1.0, 0.95, 0.8, 1.05, 1.1, 1.05, 0.9]

PARTITIONS = {
    # total code: {indicator code: weight}
    "personnes_rencontrees": [
        {"personnes_nouvelles": 62, "personnes_deja_connues": 38},
        {"femmes": 71, "hommes": 27, "sexe_non_renseigne": 2},
        {"mineurs": 8, "age_18_25": 17, "age_26_59": 59, "age_60_plus": 12, "age_non_renseigne": 4},
        {"victimes": 74, "auteurs_presumes": 12, "autres_personnes": 14},
        {"connu_oui": 41, "connu_non": 44, "connu_inconnu": 15},
    ],
    "entretiens": [
        {
            "entretien_commissariat": 55,
            "entretien_telephone": 31,
            "entretien_domicile": 5,
            "entretien_accompagnement": 9,
        }
    ],
    "saisines_recues": [
        {"contact_72h": 86, "contact_apres_72h": 11, "contact_non_etabli": 3},
        {
            "origine_police": 60,
            "origine_gendarmerie": 3,
            "origine_auto_saisine": 8,
            "origine_services_sociaux": 10,
            "origine_associations": 5,
            "origine_justice": 5,
            "origine_personne": 7,
            "origine_autre": 2,
        },
    ],
}
# Share of the persons met concerned by each problem / oriented to each service.
MULTIPLE = {
    "pb_violences_conjugales": 0.45,
    "pb_violences_intrafamiliales": 0.15,
    "pb_violences_sexuelles": 0.08,
    "pb_conflit_familial": 0.2,
    "pb_mineurs": 0.06,
    "pb_detresse_sociale": 0.25,
    "pb_logement": 0.12,
    "pb_sante_mentale": 0.1,
    "pb_addictions": 0.07,
    "pb_personne_vulnerable": 0.06,
    "pb_conflit_voisinage": 0.05,
    "pb_harcelement": 0.07,
    "pb_radicalisation": 0.01,
    "pb_autre": 0.05,
    "or_service_social_departemental": 0.3,
    "or_ccas": 0.12,
    "or_aide_victimes": 0.4,
    "or_justice": 0.25,
    "or_sante": 0.1,
    "or_hebergement_urgence": 0.06,
    "or_logement": 0.08,
    "or_protection_enfance": 0.05,
    "or_autre": 0.05,
}

QUARTER_COMMENTS = [
    "Activité stable. Les situations de violences conjugales restent majoritaires ; les "
    "orientations vers l'association d'aide aux victimes se font dans la journée.",
    "Hausse des sollicitations des services de police après les actions de sensibilisation "
    "menées auprès des nouveaux effectifs.",
    "Période estivale : moins de permanences pendant les congés, relais assuré par le CCAS "
    "comme prévu par la convention.",
    "Plusieurs mises à l'abri en urgence ce trimestre ; coordination renforcée avec le SIAO.",
    "Davantage de personnes âgées isolées orientées par les patrouilles ; travail engagé avec "
    "les services du Département.",
]
ANNUAL_COMMENTS = {
    2024: "Année marquée par la hausse des saisines par les services de police et par le "
    "développement des accompagnements physiques vers les partenaires.",
    2025: "Activité en légère progression. Le délai de premier contact de 72 heures est tenu "
    "pour la très grande majorité des saisines. Le partenariat avec les services sociaux "
    "départementaux s'est structuré.",
}

REOPENING_REASON = (
    "Février : six saisines de la police enregistrées deux fois lors de la saisie du "
    "trimestre ; correction du nombre de saisines, de leur origine et du délai de contact."
)


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def split(total: int, weights: dict[str, float], rng: random.Random) -> dict[str, int]:
    """Share ``total`` between the codes, roughly by weight, adding up exactly."""
    noisy = {code: weight * rng.uniform(0.7, 1.3) for code, weight in weights.items()}
    scale = sum(noisy.values())
    raw = {code: total * weight / scale for code, weight in noisy.items()}
    counts = {code: int(value) for code, value in raw.items()}
    by_remainder = sorted(raw, key=lambda code: raw[code] - counts[code], reverse=True)
    for code in by_remainder[: total - sum(counts.values())]:
        counts[code] += 1
    return counts


def month_counts(key: str, base: int, year: int, month: int) -> dict[str, int]:
    rng = random.Random(f"{key}-{year}-{month:02d}")  # noqa: S311 (demo figures, not secrets)
    growth = 1 + 0.05 * (year - 2024)
    persons = max(5, round(base * SEASON[month - 1] * growth * rng.uniform(0.85, 1.15)))
    totals = {
        "personnes_rencontrees": persons,
        "entretiens": round(persons * rng.uniform(1.4, 1.9)),
        "saisines_recues": round(persons * rng.uniform(0.75, 0.95)),
    }
    values = dict(totals)
    for total_code, partitions in PARTITIONS.items():
        for weights in partitions:
            values.update(split(totals[total_code], weights, rng))
    for code, share in MULTIPLE.items():
        values[code] = sum(rng.random() < share for _ in range(persons))
    return values


def ensure_niort_schedule():
    # The seed convention states its schedule in article 11; the conventions app may
    # already hold it, so only what is missing is added.
    convention = Convention.objects.filter(reference="niort-2021").first()
    if convention is None:
        return
    for kind, period, month, day in NIORT_SCHEDULE:
        ReportingRule.objects.get_or_create(
            convention=convention,
            kind=kind,
            period=period,
            defaults={"due_month": month, "due_day": day, "recipients": NIORT_RECIPIENTS[kind]},
        )


def write_values(report: QuarterReport, month: int, values: dict[str, int], by, entered_at):
    record, _ = MonthlyRecord.objects.update_or_create(
        report=report, month=month, defaults={"entered_by": by, "entered_at": entered_at}
    )
    current = dict(record.values.values_list("indicator__code", "value"))
    if current == values:
        return
    indicators = dict(
        Indicator.objects.filter(version=report.grid_version_id).values_list("code", "pk")
    )
    record.values.all().delete()
    MonthlyValue.objects.bulk_create(
        MonthlyValue(record=record, indicator_id=indicators[code], value=value)
        for code, value in values.items()
        if code in indicators
    )


def event(report, action, when, by, **fields):
    QuarterEvent.objects.update_or_create(
        report=report, action=action, at=when, defaults={"by": by, **fields}
    )


class PostDemo:
    def __init__(self, post, key, base, entered_by, validator, due):
        self.post, self.key, self.base = post, key, base
        self.entered_by, self.validator, self.due = entered_by, validator, due

    def counts(self, year, month):
        return month_counts(self.key, self.base, year, month)

    def quarter(
        self,
        year,
        quarter,
        state,
        *,
        submitted=None,
        validated=None,
        months=None,
        values=None,
        comment="",
        first_submitted=None,
    ):
        months = months or quarter_months(quarter)
        report, _ = QuarterReport.objects.update_or_create(
            post=self.post,
            year=year,
            quarter=quarter,
            defaults={
                "grid_version": GridVersion.objects.in_force(
                    datetime.date(year, quarter_months(quarter)[0], 1)
                ),
                "state": state,
                "version": 1,
                "comment": comment,
                "first_submitted_at": first_submitted or submitted,
                "submitted_at": submitted,
                "submitted_by": self.entered_by if submitted else None,
                "validated_at": validated,
                "validated_by": self.validator if validated else None,
            },
        )
        for month in months:
            month_values = (values or {}).get(month) or self.counts(year, month)
            entered_at = at(year, month, 28) if month % 3 else at(*self.due_minus(year, quarter, 9))
            write_values(report, month, month_values, self.entered_by, entered_at)
        if submitted:
            event(report, QuarterAction.SUBMITTED, submitted, self.entered_by)
        if validated:
            event(report, QuarterAction.VALIDATED, validated, self.validator)
        return report

    def due_minus(self, year, quarter, days):
        due = self.due(year, quarter) - datetime.timedelta(days=days)
        return due.year, due.month, due.day

    def closed_year(self, year, late_quarter=None):
        """A year whose four quarters were validated, then the annual bilan (locked)."""
        rng = random.Random(f"{self.key}-{year}-dates")  # noqa: S311 (demo dates)
        reports = []
        for quarter in range(1, 5):
            due = self.due(year, quarter)
            lag = -rng.randint(2, 8) if quarter != late_quarter else rng.randint(4, 9)
            submitted_on = due + datetime.timedelta(days=lag)
            validated_on = submitted_on + datetime.timedelta(days=rng.randint(2, 6))
            reports.append(
                self.quarter(
                    year,
                    quarter,
                    QuarterState.LOCKED,
                    submitted=at(submitted_on.year, submitted_on.month, submitted_on.day),
                    validated=at(validated_on.year, validated_on.month, validated_on.day, 15),
                    comment=QUARTER_COMMENTS[(year + quarter) % len(QUARTER_COMMENTS)],
                )
            )
        validated_on = self.due(year, 4) + datetime.timedelta(days=14)
        when = at(validated_on.year, validated_on.month, validated_on.day, 11)
        AnnualReport.objects.update_or_create(
            post=self.post,
            year=year,
            defaults={
                "state": AnnualState.VALIDATED,
                "comment": ANNUAL_COMMENTS[year],
                "validated_at": when,
                "validated_by": self.validator,
            },
        )
        for report in reports:
            event(report, QuarterAction.LOCKED, when, self.validator)


def niort_due(year, quarter):
    month, day = [(4, 15), (7, 15), (10, 15), (1, 7)][quarter - 1]
    return datetime.date(year + (quarter == 4), month, day)


def default_due(year, quarter):
    """Ermont's convention states no date: the 15th of the month after the quarter."""
    month = 3 * quarter + 1
    return datetime.date(year + (month > 12), (month - 1) % 12 + 1, 15)


def load_niort(post):
    demo = PostDemo(
        post,
        "niort",
        30,
        User.objects.filter(username="intervenant.niort").first(),
        User.objects.filter(username="ddsp79").first(),
        niort_due,
    )
    demo.closed_year(2024)
    demo.closed_year(2025)
    demo.quarter(
        2026,
        1,
        QuarterState.VALIDATED,
        submitted=at(2026, 4, 9),
        validated=at(2026, 4, 14, 15),
        comment=QUARTER_COMMENTS[0],
    )
    demo.quarter(
        2026,
        2,
        QuarterState.VALIDATED,
        submitted=at(2026, 7, 8),
        validated=at(2026, 7, 13, 15),
        comment=QUARTER_COMMENTS[2],
    )
    demo.quarter(
        2026, 3, QuarterState.SUBMITTED, submitted=at(2026, 10, 12), comment=QUARTER_COMMENTS[1]
    )
    AnnualReport.objects.update_or_create(
        post=post, year=2026, defaults={"state": AnnualState.OPEN, "comment": ""}
    )


def load_ermont(post):
    ddsp95 = User.objects.filter(username="ddsp95").first()
    # The Ermont ISC has no account: the DDSP secretariat enters its monthly tool.
    demo = PostDemo(post, "ermont", 42, ddsp95, ddsp95, default_due)
    demo.closed_year(2024)
    demo.closed_year(2025, late_quarter=2)

    corrected = demo.counts(2026, 2)
    doubled = dict(corrected)
    for code in ("saisines_recues", "origine_police", "contact_72h"):
        doubled[code] += 6
    report = demo.quarter(
        2026,
        1,
        QuarterState.VALIDATED,
        submitted=at(2026, 5, 26),
        validated=at(2026, 5, 27, 15),
        comment=QUARTER_COMMENTS[3],
        first_submitted=at(2026, 4, 10),
    )
    before = snapshot(report)
    before["2"] = doubled
    event(report, QuarterAction.SUBMITTED, at(2026, 4, 10), ddsp95)
    event(report, QuarterAction.VALIDATED, at(2026, 4, 20, 15), ddsp95)
    event(
        report,
        QuarterAction.REOPENED,
        at(2026, 5, 20, 9),
        ddsp95,
        reason=REOPENING_REASON,
        values_before=before,
        values_after=snapshot(report),
    )
    demo.quarter(
        2026,
        2,
        QuarterState.VALIDATED,
        submitted=at(2026, 7, 10),
        validated=at(2026, 7, 16, 15),
        comment=QUARTER_COMMENTS[4],
    )
    # Late: due on 15 October 2026, still in draft, September half entered.
    september = {
        code: value
        for code, value in demo.counts(2026, 9).items()
        if not code.startswith(("pb_", "or_"))
    }
    demo.quarter(2026, 3, QuarterState.DRAFT, values={9: september})
    AnnualReport.objects.update_or_create(
        post=post, year=2026, defaults={"state": AnnualState.OPEN, "comment": ""}
    )


def ensure_default_grid():
    """The data migration made the default grid; a flushed test database has lost it."""
    if GridVersion.objects.exists():
        return
    default_grid = importlib.import_module("activity.migrations.0002_default_grid")
    default_grid.create_default_grid(django_apps, None)
    # And what the later data migrations did to it: its labels worded per post's force
    # (« En présentiel {au_site} »), not « au commissariat » for a gendarmerie post.
    site_wording = importlib.import_module("activity.migrations.0008_site_wording_in_grid_labels")
    site_wording.label_placeholders(django_apps, None)


def load():
    ensure_default_grid()
    ensure_niort_schedule()
    niort = Post.objects.filter(name="ISC du commissariat de Niort").first()
    ermont = Post.objects.filter(name="ISC du commissariat d'Ermont").first()
    if niort:
        load_niort(niort)
    if ermont:
        load_ermont(ermont)
