"""The admin's history page of an object (django-simple-history), read-only.

Every app's admin uses it; it lives here because every app depends on partners.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Lists an object's changes with their author and before → after.

    An object the admin's queryset leaves out (out of the user's scope) is a 404, as
    on the change page. The library's "revert" form is refused: it would write behind
    the services' back (versions, checks).
    """

    def history_view(self, request, object_id, extra_context=None):
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise PermissionDenied

    def revert_disabled(self, request, obj=None):
        return True
