"""The Celery application (README « Tâches de fond »): its settings are Django's CELERY_*
ones; every installed app's ``tasks`` module is found. Start a worker and the scheduler
with ``celery -A config worker`` and ``celery -A config beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
