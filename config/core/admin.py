"""What every app's admin shares: a changelist that answers odd filters with the
admin's own « wrong filter » notice, and the read-only history page of an object
(django-simple-history)."""

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

# The largest key a database stores (a signed 64-bit integer).
MAX_KEY = 2**63 - 1


class SturdyChangeList(ChangeList):
    """A changelist for which an absurd filter is a wrong filter, not a server error.

    Django's date hierarchy computes the next year, month or day of the one asked
    outside its guard (« ?date__year=99999999999 » overflows), and SQLite refuses a
    number above 2^63 in any lookup (« ?post=99999999999999999999 »). Both answer
    like any wrong filter: the list, with « ?e=1 ».
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (OverflowError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error

    def get_queryset(self, request, exclude_parameters=None):
        for name, values in self.params.items():
            if name == SEARCH_VAR:
                continue  # searched as text, never as a key
            for value in values if isinstance(values, list) else [values]:
                digits = str(value).strip().lstrip("+-")
                if digits.isascii() and digits.isdigit() and int(digits) > MAX_KEY:
                    raise IncorrectLookupParameters(f"Nombre trop grand : {value}")
        return super().get_queryset(request, exclude_parameters)


class SturdyChangeListMixin:
    def get_changelist(self, request, **kwargs):
        return SturdyChangeList


class HistoryAdmin(SturdyChangeListMixin, SimpleHistoryAdmin):
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
