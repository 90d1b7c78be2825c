from django.contrib import admin

from ..models import Post, PostHolder
from .scoping import ScopedAdminMixin


class PostHolderInline(ScopedAdminMixin, admin.TabularInline):
    model = PostHolder
    extra = 0
    scope_lookup = ("post", "posts")
    coordinator_actions = frozenset({"view", "change", "add"})
    fields = ["name", "start", "end", "user"]


@admin.register(Post)
class PostAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_lookup = ("pk", "posts")
    coordinator_actions = frozenset({"view", "change"})
    list_display = ["name", "host_site", "departement", "fte", "employer"]
    list_filter = ["departement", "force"]
    list_select_related = ["employer"]
    search_fields = ["name", "host_site", "employer__name"]
    inlines = [PostHolderInline]
