from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from conventions.calendar.feed import user_calendar
from partners.models import User


@login_not_required
@require_GET
def calendar_feed(request, token):
    """Public by design: the secret token in the address is the credential."""
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    if user is None:
        raise Http404("Adresse de calendrier inconnue ou révoquée.")
    response = HttpResponse(
        user_calendar(user, today=timezone.localdate()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="echeances-iscg.ics"'
    return response
