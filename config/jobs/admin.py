"""The outbox and the failed tasks, for the national administrator only."""

from celery import current_app
from django.contrib import admin, messages
from django.utils import timezone

from config.jobs.models import Email, Run, TaskFailure
from config.jobs.tasks import send_email


class SuperuserOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(TaskFailure)
class TaskFailureAdmin(SuperuserOnlyAdmin):
    list_display = ["task", "error", "failed_at", "relaunched_at"]
    list_filter = ["task"]
    search_fields = ["task", "error"]
    readonly_fields = [f.name for f in TaskFailure._meta.fields]
    actions = ["relaunch"]

    @admin.action(description="Relancer les tâches choisies")
    def relaunch(self, request, queryset):
        count = 0
        for failure in queryset.filter(relaunched_at__isnull=True):
            # Through the task itself: inline when no broker is configured.
            current_app.tasks[failure.task].apply_async(
                args=failure.arguments.get("args", []),
                kwargs=failure.arguments.get("kwargs", {}),
            )
            failure.relaunched_at = timezone.now()
            failure.save(update_fields=["relaunched_at"])
            count += 1
        messages.success(request, f"{count} tâche(s) relancée(s).")


@admin.register(Email)
class EmailAdmin(SuperuserOnlyAdmin):
    list_display = ["subject", "created_at", "sent_at", "attempts", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject"]
    readonly_fields = [f.name for f in Email._meta.fields]
    actions = ["send_again"]

    @admin.action(description="Envoyer les courriels choisis qui attendent")
    def send_again(self, request, queryset):
        ids = list(queryset.filter(sent_at__isnull=True).values_list("pk", flat=True))
        for pk in ids:
            send_email.delay(pk)
        messages.success(request, f"{len(ids)} courriel(s) remis à l'envoi.")


@admin.register(Run)
class RunAdmin(SuperuserOnlyAdmin):
    """The imports and exports asked for: who asked, what, and how it ended."""

    list_display = ["label", "user", "state", "created_at", "finished_at"]
    list_filter = ["state"]
    search_fields = ["label", "user__username", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Run._meta.fields if f.name != "params"]
    exclude = ["params"]  # an import's cells, kept only until the run
