"""Working out who is told of each event, and the Monday digest (Celery beat)."""

from celery import shared_task
from django.db.models import Q
from django.urls import reverse

from activity.enums import QuarterAction
from activity.models import QuarterEvent, QuarterReport
from activity.validation import required_authorities
from config.core.formats import euros, french_date
from config.jobs.tasks import Job
from config.notifications.models import Kind, Notification
from config.notifications.services import digest_send, notify
from conventions.models import Convention, Payment, Post
from partners.enums import AUTHORITY_SECRETARIAT_ROLES, Role
from partners.models import User

# Who works on a convention for its organisation: not the social worker (a post's
# figures are theirs, its conventions are not), nor the steering (not a party).
CONVENTION_ROLES = (
    Role.LOCAL_AUTHORITY,
    Role.DDSP_SECRETARIAT,
    Role.GENDARMERIE_SECRETARIAT,
    Role.EMPLOYER_COORDINATION,
    Role.READ_ONLY_PARTNER,
)

# A convention's deadline (conventions.lifecycle.deadlines), before it or once missed.
DEADLINE_KINDS = {
    ("renewal", "before"): Kind.RENEWAL_DUE,
    ("renewal", "missed"): Kind.RENEWAL_DUE,
    ("expiry", "before"): Kind.RENEWAL_DUE,
    ("expiry", "missed"): Kind.RENEWAL_DUE,
    ("notice", "before"): Kind.NOTICE_NEAR,
    ("notice", "missed"): Kind.NOTICE_NEAR,
    ("payment", "before"): Kind.PAYMENT_DUE,
    ("payment", "missed"): Kind.PAYMENT_OVERDUE,
}


def active_users(**filters):
    return User.objects.filter(is_active=True, **filters)


def quarter(kind: str, data: dict) -> None:
    report = QuarterReport.objects.get(
        post_id=data["poste"], year=data["annee"], quarter=data["trimestre"]
    )
    post = Post.objects.with_sites().select_related("employer").get(pk=report.post_id)
    label = f"T{report.quarter} {report.year} du poste {post}"
    path = reverse("activity:quarter_entry", args=[post.pk, report.year, report.quarter])
    key = f"{kind}:{report.pk}:{data['version']}"
    if kind == "quarter.submitted":
        authorities = [a.pk for a in required_authorities(post, report.year, report.quarter)]
        notify(
            users=active_users(
                role__in=AUTHORITY_SECRETARIAT_ROLES, organisation_id__in=authorities
            ),
            kind=Kind.QUARTER_SUBMITTED,
            key=key,
            title=f"Statistiques à valider : {label}",
            body="Le trimestre a été transmis ; il attend votre validation.",
            path=path,
        )
        return
    holders = post.holders.filter(end__isnull=True, user__isnull=False).values("user_id")
    told = active_users().filter(
        Q(pk__in=holders) | Q(role=Role.EMPLOYER_COORDINATION, organisation_id=post.employer_id)
    )
    if kind == "quarter.validated":
        notify(
            users=told,
            kind=Kind.QUARTER_VALIDATED,
            key=key,
            title=f"Statistiques validées : {label}",
            body="",
            path=path,
        )
        return
    reopening = (
        QuarterEvent.objects.filter(report=report, action=QuarterAction.REOPENED)
        .order_by("-at", "-pk")
        .first()
    )
    notify(
        users=told,
        kind=Kind.QUARTER_REOPENED,
        key=key,
        title=f"Statistiques rouvertes pour correction : {label}",
        body=f"Motif : {reopening.reason}" if reopening else "",
        path=path,
    )


def payment(kind: str, data: dict) -> None:
    recorded = Payment.objects.select_related("contribution__convention", "payer").get(
        pk=data["versement"]
    )
    convention = recorded.contribution.convention
    employers = Post.objects.filter(sections__convention=convention).values("employer_id")
    notify(
        users=active_users().filter(
            Q(organisation_id=recorded.payer_id, role__in=CONVENTION_ROLES)
            | Q(organisation_id__in=employers, role=Role.EMPLOYER_COORDINATION)
        ),
        kind=Kind.PAYMENT_RECORDED,
        key=f"{kind}:{recorded.pk}",
        title=(
            f"Versement de {euros(recorded.amount)} enregistré : {recorded.payer} pour "
            f"{recorded.year}, convention {convention.reference}"
        ),
        body=f"Versé le {french_date(recorded.date)}.",
        path=reverse("conventions:funding_plan", args=[convention.reference]),
    )


CONVENTION_TITLES = {
    "convention.signed": (Kind.CONVENTION_SIGNED, "Convention signée"),
    "convention.renewed": (Kind.CONVENTION_CHANGED, "Convention renouvelée"),
    "convention.terminated": (Kind.CONVENTION_CHANGED, "Convention résiliée"),
}


def occurrence(data: dict) -> str:
    """Which time it is: the renewing convention, the renewal period, the end date."""
    return str(data.get("par") or data.get("periode", {}).get("numero") or data.get("fin") or "")


def convention_event(kind: str, data: dict) -> None:
    convention = Convention.objects.get(reference=data["convention"])
    notification_kind, what = CONVENTION_TITLES[kind]
    notify(
        users=active_users(
            organisation_id__in=convention.parties.values("organisation_id"),
            role__in=CONVENTION_ROLES,
        ),
        kind=notification_kind,
        # Renewed twice, terminated once: each time is told.
        key=f"{kind}:{convention.pk}:{occurrence(data)}",
        title=f"{what} : {convention.title} ({convention.reference})",
        body="",
        path=convention.get_absolute_url(),
    )


def deadline(kind: str, data: dict) -> None:
    notify(
        users=active_users(organisation_id=data["organisation"], role__in=CONVENTION_ROLES),
        kind=DEADLINE_KINDS.get((data["echeance"], data["etape"]), Kind.OTHER_DEADLINE),
        key=f"{kind}:{data['cle']}",
        title=f"{data['libelle']} — {data['convention']}",
        body=data["annonce"],
        path=data["page"],
    )


def invitation(kind: str, data: dict) -> None:
    arrived = User.objects.select_related("invited_by").get(pk=data["utilisateur"])
    if arrived.invited_by is None:
        return
    notify(
        users=[arrived.invited_by],
        kind=Kind.INVITATION_ACCEPTED,
        key=f"{kind}:{arrived.pk}",
        title=(
            f"{arrived.get_full_name() or arrived.username} a accepté votre invitation "
            f"({arrived.organisation})"
        ),
        body="",
        path=reverse("partners:team", args=[arrived.organisation_id]),
    )


TOLD = {
    "quarter.submitted": quarter,
    "quarter.validated": quarter,
    "quarter.reopened": quarter,
    "payment.recorded": payment,
    **dict.fromkeys(CONVENTION_TITLES, convention_event),
    "deadline.reminder": deadline,
    "invitation.accepted": invitation,
}


@shared_task(base=Job, name="notifications.tell")
def tell(kind: str, data: dict) -> None:
    """Tell the people concerned by the event ``kind``; run twice, it tells them once
    (each notification has the event's key)."""
    TOLD[kind](kind, data)


@shared_task(base=Job, name="notifications.send_weekly_digests")
def send_weekly_digests() -> int:
    """Monday morning: each user's notifications of the kinds they read weekly."""
    users = User.objects.filter(
        pk__in=Notification.objects.filter(in_digest=True).values("user_id")
    )
    return sum(digest_send(user=user) for user in users)
