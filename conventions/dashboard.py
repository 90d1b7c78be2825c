"""What each role finds on its home page: dated items, overdue first.

Each section is built by one function from data already scoped by
``scope_for``; ``config.dashboard`` picks the sections that fit the user's role,
with those of the statistics app.
"""

import datetime

from django.db.models import Count
from django.urls import reverse

from config.core.dashboard import Item, Section
from config.core.dates import add_months
from config.core.formats import euros, french_date
from conventions.enums import ConventionStatus
from conventions.funding.due import funding_due
from conventions.lifecycle.deadlines import convention_deadlines
from conventions.lifecycle.overdue import PassedDeadline, has_successor, passed_deadlines
from conventions.models import Convention, Post
from conventions.models.convention_queries import not_fully_signed

HORIZON_DAYS = 365
# A notice period is a few months: a convention whose period ends later than this cannot
# have passed its notice deadline yet (SQL leaves it out, Python decides for the rest).
LONGEST_NOTICE_MONTHS = 24
EXPIRY_WATCH_DAYS = 183  # "the next 6 months"


def _scoped_conventions(scope):
    return conventions_in_scope(scope).for_list()


def convention_sections(scope, *, today) -> list[Section]:
    """Conventions in force (or awaiting signature) and their next events."""
    in_force, events, signatures = [], [], []
    for convention in _scoped_conventions(scope):
        status = convention.status(today)
        url = convention.get_absolute_url()
        if status in (ConventionStatus.DRAFT, ConventionStatus.APPROVED):
            missing = [p.display_designation for p in convention.signing_parties if not p.signed_on]
            if missing:
                signatures.append(
                    Item(
                        f"{convention.reference} : signature attendue de {', '.join(missing)}",
                        url,
                    )
                )
            continue
        if status not in (ConventionStatus.IN_FORCE, ConventionStatus.SIGNED):
            continue
        end = convention.current_end_date(today)
        in_force.append(
            Item(
                f"{convention.title} ({convention.reference})",
                url,
                end,
                detail=f"{status.label} — jusqu'au {end:%d/%m/%Y}" if end else status.label,
            )
        )
        for event in convention_deadlines(convention, today=today, horizon_days=HORIZON_DAYS):
            events.append(Item(f"{event.label} — {convention.reference}", url, event.date))
    sections = [
        Section(
            "conventions",
            "Conventions en vigueur",
            in_force,
            "Aucune convention en vigueur pour votre organisation.",
        ),
        Section(
            "events",
            "Prochaines échéances des conventions",
            events,
            "Aucune échéance dans l'année.",
        ),
    ]
    if signatures:
        sections.append(Section("signatures", "Signatures attendues", signatures))
    return sections


def funding_sections(conventions, *, today, gaps=False) -> list[Section]:
    """Contributions not fully paid, this year's and past years' (late ones first)."""
    cells, deficits, posts_assessed = funding_due(conventions, today=today)
    plan_urls = {}

    def plan_url(reference):
        if reference not in plan_urls:
            plan_urls[reference] = reverse("conventions:funding_plan", args=[reference])
        return plan_urls[reference]

    unpaid = [
        Item(
            f"{cell.organisation_name} — {cell.year} : reste {euros(cell.remaining)} à verser "
            f"({cell.reference})",
            plan_url(cell.reference),
            cell.due_date,
            overdue=cell.is_late,
            # A late item already says "En retard" in front.
            detail="" if cell.is_late else cell.state.label,
            late_since=cell.due_date + datetime.timedelta(days=1) if cell.is_late else None,
            late_reason=f"la contribution {cell.year} de {cell.organisation_name} devait être "
            f"versée au plus tard le {french_date(cell.due_date)} et "
            f"{euros(cell.remaining)} restent dus"
            if cell.is_late
            else "",
        )
        for cell in cells
    ]
    overview = reverse("conventions:funding_overview")
    sections = [
        Section(
            "funding",
            "Financements dus et non versés",
            unpaid,
            "Toutes les contributions dues sont versées.",
            more_url=overview,
        )
    ]
    if gaps:
        deficit_items = [
            Item(
                f"{deficit.reference} : {euros(deficit.amount)} non financés en {deficit.year}"
                if deficit.amount is not None
                else f"{deficit.reference} : financement {deficit.year} inconnu "
                f"({deficit.missing}), l'écart ne peut pas être calculé",
                plan_url(deficit.reference),
            )
            for deficit in deficits
        ]
        sections.append(
            Section(
                "gaps",
                "Écarts de financement",
                deficit_items,
                # Said only of the posts whose gap was computed, and how many they are:
                # an unknown cost or amount is an item above, a post without any money
                # contribution this year is not among them.
                f"Aucun poste sous-financé cette année ({posts_assessed} "
                f"{'postes' if posts_assessed > 1 else 'poste'} dont le financement "
                f"{today.year} est saisi)."
                if posts_assessed
                else f"Aucun montant en numéraire n'est saisi pour {today.year} : le "
                "sous-financement des postes ne peut pas être calculé.",
                more_url=overview,
            )
        )
    return sections


def deliberation_sections(scope, *, today) -> list[Section]:
    """The organisation's deliberations not yet sent to the préfecture, when they must be."""
    pending = (
        scope.deliberations()
        .filter(transmitted_on__isnull=True, transmission_required=True, is_reference_only=False)
        .order_by("session_date")
    )
    if not scope.is_admin:
        pending = pending.filter(organisation=scope.organisation)
    items = [
        Item(
            f"Délibération {d.number} du {d.session_date:%d/%m/%Y} non transmise en préfecture",
            d.get_absolute_url(),
            d.session_date,
            overdue=True,
            late_since=d.session_date,
            late_reason=f"adoptée le {french_date(d.session_date)}, elle n'est exécutoire "
            "qu'une fois transmise au contrôle de légalité (CGCT, art. L2131-1)",
        )
        for d in pending
    ]
    return [
        Section(
            "deliberations",
            "Délibérations à transmettre au contrôle de légalité",
            items,
            "Toutes les délibérations sont transmises.",
        )
    ]


def report_and_meeting_sections(scope, *, today, within_days=30) -> list[Section]:
    """Bilans due soon and review meetings, for the police secretariat."""
    due, meetings = [], []
    for convention in _scoped_conventions(scope):
        url = convention.get_absolute_url()
        for event in convention_deadlines(convention, today=today, horizon_days=HORIZON_DAYS):
            item = Item(f"{event.label} — {convention.reference}", url, event.date)
            if event.kind == "report" and event.date <= today + datetime.timedelta(
                days=within_days
            ):
                due.append(item)
            elif event.kind == "review":
                meetings.append(item)
    return [
        Section("reports", f"Bilans dus dans les {within_days} jours", due, "Aucun bilan dû."),
        Section("reviews", "Réunions annuelles de bilan", meetings, "Aucune réunion prévue."),
    ]


def national_sections(*, today) -> list[Section]:
    by_departement = Post.objects.order_by().values_list("departement").annotate(Count("pk"))
    table = (
        ["Département", "Postes d'ISC"],
        [[dep, str(count)] for dep, count in sorted(by_departement)],
    )
    expiring = []
    limit = today + datetime.timedelta(days=EXPIRY_WATCH_DAYS)
    # SQL keeps the conventions whose period may end in the window; Python decides.
    candidates = Convention.objects.agreements().may_end_between(today, limit)
    for convention in Convention.objects.filter(pk__in=candidates.values("pk")).for_list():
        end = convention.current_end_date(today)
        if end and today <= end <= limit and convention.status(today) == ConventionStatus.IN_FORCE:
            expiring.append(
                Item(
                    f"{convention.title} ({convention.reference})",
                    convention.get_absolute_url(),
                    end,
                    detail="fin de la période en cours",
                )
            )
    return [
        Section("posts", "Postes par département", table=table, empty="Aucun poste."),
        Section(
            "expiring",
            "Conventions arrivant à échéance dans les 6 mois",
            expiring,
            "Aucune convention n'arrive à échéance dans les 6 mois.",
            more_url=f"{reverse('conventions:list')}?status={ConventionStatus.IN_FORCE}",
        ),
    ]


def passed_deadline_alerts(scope, *, today) -> list[PassedDeadline]:
    """« Dépassé »: the conventions in scope, in force, whose notice or concertation
    deadline has passed with nothing to follow them (conventions.lifecycle.overdue).

    SQL keeps the signed, not terminated conventions that no other follows and whose period
    may end within the longest notice; Python decides, reading only what dates need: the
    same number of queries whatever the number of conventions and alerts."""
    candidates = (
        conventions_in_scope(scope)
        .filter(terminated_on__isnull=True)
        .exclude(not_fully_signed())
        .exclude(has_successor())
        .may_end_between(today, add_months(today, LONGEST_NOTICE_MONTHS))
    )
    conventions = Convention.objects.filter(pk__in=candidates.values("pk")).prefetch_related(
        "parties", "renewals", "amendments"
    )
    return passed_deadlines(conventions, today=today, unfollowed=True)


def conventions_in_scope(scope):
    # A cancelled convention leaves the dashboard: nothing is due under it any more.
    return Convention.objects.filter(
        pk__in=scope.conventions().agreements().values("pk")
    ).not_cancelled()
