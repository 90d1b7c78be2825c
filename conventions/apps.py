from django.apps import AppConfig


class ConventionsConfig(AppConfig):
    name = "conventions"
    verbose_name = "Conventions"

    def ready(self):
        # Names conventions and payments in every "Historique" (config.core.history).
        import conventions.history  # noqa: F401
