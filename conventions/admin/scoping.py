"""Admin access for the *Coordination employeur* role, through the one scope.

Superusers see everything. A coordinator sees and changes only what
``scope_for(user)`` grants: no Django permission rows to keep in sync.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from django.utils.html import format_html

from config.core.admin import CheckedFileInput, SturdyChangeList
from conventions.access import scope_for
from partners.enums import Role


class ScopedValuesListFilter(admin.AllValuesFieldListFilter):
    """Offers the values found in the rows the user may see.

    For a path through a relation ("post__departement") Django lists the values
    of the whole related table: a coordinator would learn the départements of
    every post.
    """

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.lookup_choices = (
            model_admin.get_queryset(request)
            .order_by(field_path)
            .values_list(field_path, flat=True)
            .distinct()
        )


def scoped_list_filter(model, entry):
    """The list filter ``entry`` of ``model``, offering only what the scope holds."""
    if not isinstance(entry, str):
        return entry
    field = get_fields_from_path(model, entry)[-1]
    if field.is_relation:
        return (entry, admin.RelatedOnlyFieldListFilter)
    if field.choices or isinstance(field, models.BooleanField | models.DateField):
        return entry  # a fixed list of values, the same for everyone
    return (entry, ScopedValuesListFilter)


def view_on_site(request, content_type_id, object_id):
    """The admin's "Voir sur le site" redirect, for the objects the user's admin shows.

    Django's own redirect answers for any object: a coordinator would learn the
    reference of another département's convention from the address it leads to.
    """
    if not request.user.is_superuser:
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            model_admin = admin.site._registry.get(model)
            if model_admin is None or not model_admin.has_view_permission(request):
                raise Http404
            model_admin.get_queryset(request).get(pk=object_id)
        except (ObjectDoesNotExist, ValueError, ValidationError) as error:
            raise Http404 from error
    return shortcut(request, content_type_id, object_id)


class ScopedAdminMixin:
    """Limit an admin to the user's scope.

    ``scope_lookup`` is a (lookup, scope method) pair: ("post", "posts") keeps
    the objects whose post is in ``scope.posts()``; ("pk", "conventions") keeps
    the conventions themselves. ``coordinator_actions`` lists what a
    coordinator may do here. ``scope_fields`` are the fields that decide who sees
    an object (a post's département, employer, functional authority): only the
    national administrator changes them, or a coordinator could hand her post, its
    conventions, files and statistics to another département.
    """

    scope_lookup: tuple[str, str] = ("pk", "conventions")
    coordinator_actions = frozenset({"view"})
    scope_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return [*readonly, *(f for f in self.scope_fields if f not in readonly)]

    def get_changelist(self, request, **kwargs):
        return SturdyChangeList

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [scoped_list_filter(self.model, entry) for entry in filters]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        lookup, method = self.scope_lookup
        allowed = getattr(scope_for(request.user), method)()
        return queryset.filter(**{f"{lookup}__in": allowed.values("pk")})

    def _coordinator_may(self, request, action):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and user.role == Role.EMPLOYER_COORDINATION
            and action in self.coordinator_actions
        )

    def has_module_permission(self, request):
        return request.user.is_superuser or self._coordinator_may(request, "view")

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._coordinator_may(request, "view")

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or self._coordinator_may(request, "change")

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser or self._coordinator_may(request, "add")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser or self._coordinator_may(request, "delete")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """Offer only in-scope posts and conventions in the coordinator's forms."""
        if not request.user.is_superuser:
            scope = scope_for(request.user)
            model = db_field.related_model._meta.label
            if model == "conventions.Post":
                kwargs["queryset"] = scope.posts()
            elif model == "conventions.Convention":
                kwargs["queryset"] = scope.conventions()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _swap_file_fields(fields, names):
    return [
        _swap_file_fields(field, names)
        if isinstance(field, list | tuple)
        else (f"{field}_download" if field in names else field)
        for field in fields
    ]


class CheckedFilesMixin:
    """Links uploaded files through the views that check access, never at MEDIA_URL.

    ``checked_files`` maps a file field to the function giving an object's download
    address. Editable, the file input links there; read only (a coordinator), the
    field is shown by the admin's ``<field>_download`` method.
    """

    checked_files: dict = {}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, url_of in self.checked_files.items():
            if name in form.base_fields:
                url = url_of(obj) if obj is not None and getattr(obj, name) else None
                form.base_fields[name].widget = CheckedFileInput(download_url=url)
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        return [
            (title, {**options, "fields": _swap_file_fields(options["fields"], self.checked_files)})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        downloads = [f"{name}_download" for name in self.checked_files]
        return [*super().get_readonly_fields(request, obj), *downloads]

    def file_link(self, obj, name):
        if obj is None or not getattr(obj, name):
            return "—"
        return format_html('<a href="{}">Télécharger le PDF</a>', self.checked_files[name](obj))
