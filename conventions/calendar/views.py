import hashlib

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from conventions.calendar.feed import user_calendar
from partners.models import User


def calendar_version(user, body: bytes) -> tuple[str, int]:
    """The feed's ETag, and since when it holds (Last-Modified, as a timestamp): the
    fingerprint is kept on the user, and its date moves only when the content does."""
    etag = hashlib.sha256(body).hexdigest()[:32]
    changed_at = user.calendar_changed_at
    if etag != user.calendar_etag or changed_at is None:
        changed_at = timezone.now()
        User.objects.filter(pk=user.pk).update(calendar_etag=etag, calendar_changed_at=changed_at)
    return quote_etag(etag), int(changed_at.timestamp())


@login_not_required
@require_GET
def calendar_feed(request, token):
    """Public by design: the secret token in the address is the credential. A client
    that sends back the ETag (If-None-Match) or the date (If-Modified-Since) of the feed
    it holds gets 304 while nothing in it changed."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("Adresse de calendrier inconnue ou révoquée.")
    body = user_calendar(user, today=timezone.localdate())
    etag, last_modified = calendar_version(user, body)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="echeances-iscg.ics"'
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=etag, last_modified=last_modified, response=response
    )
