"""purge_submissions: the traces of forms sent long ago go, the recent ones stay and
still protect against a second send."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from partners.models import Submission
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


def submission(user, token, age_days):
    row = Submission.objects.create(token=token * 32, user=user, url="/financements/")
    # created_at is auto_now_add: set it afterwards.
    Submission.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=age_days)
    )
    return row


def test_rows_older_than_the_retention_are_deleted_the_others_kept(settings, capsys):
    settings.SUBMISSION_RETENTION_DAYS = 30
    user = UserFactory()
    submission(user, "a", 31)
    recent = submission(user, "b", 29)
    call_command("purge_submissions")
    assert list(Submission.objects.all()) == [recent]
    assert "1 trace(s) de formulaire de plus de 30 jours supprimée(s)." in capsys.readouterr().out


def test_days_option_overrides_the_setting(settings):
    settings.SUBMISSION_RETENTION_DAYS = 30
    user = UserFactory()
    submission(user, "a", 8)
    kept = submission(user, "b", 6)
    call_command("purge_submissions", days=7)
    assert list(Submission.objects.all()) == [kept]


def test_zero_days_is_refused_rather_than_emptying_the_table():
    submission(UserFactory(), "a", 0)
    with pytest.raises(CommandError, match="au moins 1 jour"):
        call_command("purge_submissions", days=0)
    assert Submission.objects.count() == 1
