from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "config.jobs"
    label = "jobs"
    verbose_name = "Tâches de fond"

    def ready(self):
        # Records every task that fails for good (config.jobs.failures).
        from config.jobs import failures  # noqa: F401
