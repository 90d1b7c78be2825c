"""What each role finds on its home page: dated items, overdue first.

Each section is built by one function from data already scoped by
``scope_for``; the view only picks the sections that fit the user's role.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.urls import reverse

from partners.enums import Role
from partners.formats import euros

from .deadlines import convention_deadlines
from .enums import ConventionStatus, PaymentState
from .funding import plans_for, with_funding
from .models import Convention, Post

HORIZON_DAYS = 365
EXPIRY_WATCH_DAYS = 183  # "the next 6 months"


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    date: datetime.date | None = None
    overdue: bool = False
    detail: str = ""

    def sort_key(self):
        # Overdue first, then by date; undated items last.
        return (not self.overdue, self.date or datetime.date.max, self.text)


@dataclass
class Section:
    slug: str
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = "Rien à signaler."
    table: tuple[list[str], list[list[str]]] | None = None

    def __post_init__(self):
        self.items.sort(key=Item.sort_key)


def _scoped_conventions(scope):
    return _in_scope(scope).for_list()


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


UNPAID_STATES = (PaymentState.DUE, PaymentState.PARTLY_PAID, PaymentState.LATE)


def funding_sections(conventions, *, today, gaps=False) -> list[Section]:
    """This year's contributions not fully paid, and late ones of any year."""
    unpaid, deficits = [], []
    plans = plans_for(with_funding(conventions), today=today)
    for plan in plans:
        url = reverse("conventions:funding_plan", args=[plan.convention.reference])
        for cell in plan.cells:
            if cell.state not in UNPAID_STATES or (cell.year != today.year and not cell.is_late):
                continue
            unpaid.append(
                Item(
                    f"{cell.contribution.organisation} — {cell.year} : reste "
                    f"{euros(cell.remaining)} à verser ({plan.convention.reference})",
                    url,
                    cell.due_date,
                    overdue=cell.is_late,
                    # A late item already says "En retard" in front.
                    detail="" if cell.is_late else cell.state.label,
                )
            )
        row = plan.row(today.year)
        if gaps and row is not None and row.deficit:
            deficits.append(
                Item(
                    f"{plan.convention.reference} : {euros(row.deficit)} non financés en "
                    f"{today.year}",
                    url,
                )
            )
    sections = [
        Section(
            "funding",
            "Financements dus et non versés",
            unpaid,
            "Toutes les contributions dues sont versées.",
        )
    ]
    if gaps:
        sections.append(
            Section(
                "gaps", "Écarts de financement", deficits, "Aucun poste sous-financé cette année."
            )
        )
    return sections


def deliberation_sections(scope, *, today) -> list[Section]:
    """The organisation's deliberations not yet sent to the préfecture."""
    pending = (
        scope.deliberations()
        .filter(transmitted_on__isnull=True, is_reference_only=False)
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
    by_departement = Counter(Post.objects.values_list("departement", flat=True))
    table = (
        ["Département", "Postes d'ISC"],
        [[dep, str(count)] for dep, count in sorted(by_departement.items())],
    )
    expiring = []
    limit = today + datetime.timedelta(days=EXPIRY_WATCH_DAYS)
    for convention in Convention.objects.filter(is_template=False).for_list():
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
        ),
    ]


def dashboard_sections(scope, *, today) -> list[Section]:
    # The statistics app builds on conventions; imported here to keep that direction.
    from activity import dashboard as activity

    if scope.is_admin:
        return [
            *national_sections(today=today),
            activity.late_bilans_section(scope.user, today=today),
            *funding_sections(
                Convention.objects.filter(is_template=False).not_cancelled(), today=today, gaps=True
            ),
        ]
    match scope.role:
        case Role.DDSP_SECRETARIAT:
            return [
                *activity.statistics_sections(scope.user, today=today),
                *report_and_meeting_sections(scope, today=today),
            ]
        case Role.SOCIAL_WORKER:
            return [
                activity.month_section(scope.user, list(scope.posts()), today=today),
                *activity.statistics_sections(scope.user, today=today),
            ]
        case Role.READ_ONLY_PARTNER:
            return [
                *convention_sections(scope, today=today)[:1],
                activity.validated_bilans_section(
                    list(scope.posts().order_by("name")), today=today
                ),
            ]
        case Role.LOCAL_AUTHORITY:
            return [
                *convention_sections(scope, today=today),
                *funding_sections(_in_scope(scope), today=today),
                *deliberation_sections(scope, today=today),
            ]
        case Role.EMPLOYER_COORDINATION:
            return [
                *convention_sections(scope, today=today),
                *funding_sections(_in_scope(scope), today=today),
                *activity.statistics_sections(scope.user, today=today),
            ]
    return []


def _in_scope(scope):
    # A cancelled convention leaves the dashboard: nothing is due under it any more.
    return Convention.objects.filter(
        pk__in=scope.conventions().filter(is_template=False).values("pk")
    ).not_cancelled()
