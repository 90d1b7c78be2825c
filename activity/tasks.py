"""The statistics' background tasks: the annual bilan of a post laid out ahead of its
readers once its figures are validated (issue #24: documents of validated periods)."""

from celery import current_app, shared_task
from django.db import transaction

from activity.pdf import post_bilan_pdf
from config.jobs.tasks import Job
from conventions.models import Post


@shared_task(base=Job, name="activity.lay_out_bilan")
def lay_out_bilan(post_id: int, year: int) -> int:
    """Lay out the year's bilan of the post as its readers ask for it: the validated
    figures (the partners) and all of them (the post's team); once every quarter is
    validated the two are one document, laid out once. Kept by content
    (config.jobs.renderings): run twice, the second run lays out nothing."""
    post = Post.objects.with_sites().select_related("employer").get(pk=post_id)
    for validated_only in (True, False):
        post_bilan_pdf(post, year, validated_only=validated_only)
    return post_id


def lay_out_bilan_later(post_id: int, year: int) -> None:
    """With workers (a broker), once the change commits. Without (make run, the tests:
    tasks inline), the first reader lays it out: the person who validates does not wait
    for a document nobody has asked for yet."""
    if current_app.conf.task_always_eager:
        return
    transaction.on_commit(lambda: lay_out_bilan.delay(post_id, year))
