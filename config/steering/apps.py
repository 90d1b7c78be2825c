from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "config.steering"
    label = "steering"
    verbose_name = "Pilotage"
