"""What every app's admin shares: a changelist that answers odd filters with the
admin's own « wrong filter » notice, the read-only history page of an object
(django-simple-history), the refusal of a stale change form (``VersionedAdminMixin``), and
the file input whose link goes through the view that checks access (``CheckedFileInput``)."""

from django import forms
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from config.core.concurrency import (
    VERSION_FIELD,
    StaleVersionError,
    VersionedFormMixin,
    check_version,
)
from config.core.forms import add_service_errors

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


def is_versioned(model) -> bool:
    """A model whose rows count their saves (``version``, config.core.concurrency)."""
    field = next((f for f in model._meta.concrete_fields if f.name == VERSION_FIELD), None)
    return field is not None and not field.is_relation


class VersionedAdminForm(VersionedFormMixin):
    """The admin's model form, carrying the version of the row it shows; a save prepared
    on an older version is refused with what changed meanwhile.

    Checked after the instance has the typed values (so that, for a row without
    history, the message can compare them with the saved row) and inside the
    transaction of the admin's save (``changeform_view`` runs in one): the row stays
    locked until the save, which writes the next version.
    """

    version_what = "cet enregistrement"

    def _post_clean(self):
        super()._post_clean()
        try:
            check_version(self.instance, self.expected_version, what=self.version_what)
        except StaleVersionError as error:
            add_service_errors(self, error)


class VersionedAdminMixin:
    """For every ModelAdmin whose model has a ``version``: the change form refuses a save
    when someone else saved the row since it was displayed (the site's mechanism, the
    site's French message). ``version_what`` names the row in that message."""

    version_what = "cet enregistrement"
    # Renders the hidden version field, which is in no fieldset.
    change_form_template = "admin/versioned_change_form.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not issubclass(form, VersionedAdminForm):
            form = type(
                form.__name__, (VersionedAdminForm, form), {"version_what": self.version_what}
            )
        return form


class CheckedFile:
    """A stored file as the file input shows it, with the address of its checked view."""

    def __init__(self, name, url):
        self.name, self.url = name, url

    def __str__(self):
        return self.name


class CheckedFileInput(forms.ClearableFileInput):
    """Django's file input whose "current file" link goes through the access check.

    The file's own address is a dead link on the disk (MEDIA_URL serves nothing, see
    settings) and, in an S3 bucket, a signed link that no access check guards.
    """

    def __init__(self, *args, download_url=None, **kwargs):
        self.download_url = download_url
        super().__init__(*args, **kwargs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = CheckedFile(str(value), self.download_url)
        return context
