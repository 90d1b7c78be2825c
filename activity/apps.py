from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "activity"
    verbose_name = "Statistiques d'activité"

    def ready(self):
        # Names months and counts in every "Historique" (config.core.history).
        import activity.history  # noqa: F401
