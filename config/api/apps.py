from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "config.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        # Subscribes the webhooks to the services' events (config.core.events).
        from config.api import webhooks  # noqa: F401
