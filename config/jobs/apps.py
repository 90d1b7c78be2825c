from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "config.jobs"
    label = "jobs"
    verbose_name = "Tâches de fond"

    def ready(self):
        # failures records every task that fails for good; runs holds the task of the
        # imports and exports, which a worker (it imports only the apps' ``tasks``)
        # must know.
        from config.jobs import failures, runs  # noqa: F401
