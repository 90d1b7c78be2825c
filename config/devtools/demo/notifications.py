"""A few notifications in the demo accounts' lists, told by the same code as in use
(``config.notifications.tasks``): a quarter waiting for its validation, a quarter validated,
a payment recorded. Their e-mails are marked sent: loading the demo mails nobody."""

from django.utils import timezone

from activity.enums import QuarterState
from activity.models import QuarterReport
from config.jobs.models import Email
from config.notifications.tasks import TOLD
from conventions.models import Payment

EVENTS = {"quarter.submitted": QuarterState.SUBMITTED, "quarter.validated": QuarterState.VALIDATED}


def latest_each(rows, attribute):
    """The first row of each ``attribute`` value (rows newest first)."""
    seen = {}
    for row in rows:
        seen.setdefault(getattr(row, attribute), row)
    return seen.values()


def load():
    for kind, state in EVENTS.items():
        reports = QuarterReport.objects.filter(state=state).order_by("-year", "-quarter")
        for report in latest_each(reports, "post_id"):
            data = {"poste": report.post_id, "annee": report.year, "trimestre": report.quarter}
            TOLD[kind](kind, {**data, "version": report.version})
    payments = Payment.objects.select_related("contribution").order_by("-date", "-pk")
    for payment in latest_each(payments, "contribution"):
        TOLD["payment.recorded"]("payment.recorded", {"versement": payment.pk})
    Email.objects.filter(key__startswith="notification:", sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
