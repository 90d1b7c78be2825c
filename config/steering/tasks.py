"""The steering reports kept ready (Celery beat, settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from config.jobs.tasks import Job
from config.steering.area import Area
from config.steering.report import steering_report_refresh
from conventions.models import Post


@shared_task(base=Job, name="steering.refresh_reports")
def refresh_reports() -> int:
    """The current year's report of the country and of each département that has posts,
    computed again before the cached one expires (the national one takes a few seconds:
    a worker pays it, not the first reader). Useful with a cache shared by the servers
    and the workers (``CACHE_URL``)."""
    today = timezone.localdate()
    departements = Post.objects.order_by().values_list("departement", flat=True).distinct()
    areas = [Area(None), *(Area(code) for code in sorted(departements))]
    for area in areas:
        steering_report_refresh(area, year=today.year, today=today)
    return len(areas)
