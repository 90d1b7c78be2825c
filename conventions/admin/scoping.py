"""Admin access for the *Coordination employeur* role, through the one scope.

Superusers see everything. A coordinator sees and changes only what
``scope_for(user)`` grants: no Django permission rows to keep in sync.
"""

from partners.enums import Role

from ..access import scope_for


class ScopedAdminMixin:
    """Limit an admin to the user's scope.

    ``scope_lookup`` is a (lookup, scope method) pair: ("post", "posts") keeps
    the objects whose post is in ``scope.posts()``; ("pk", "conventions") keeps
    the conventions themselves. ``coordinator_actions`` lists what a
    coordinator may do here.
    """

    scope_lookup: tuple[str, str] = ("pk", "conventions")
    coordinator_actions = frozenset({"view"})

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
