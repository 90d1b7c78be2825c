from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "config.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        # Hears the services' events (config.core.events) and tells the people concerned.
        from config.notifications import listeners  # noqa: F401
