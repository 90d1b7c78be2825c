"""The commands around make loadtest: its fixtures, and the check of its saves."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from activity.services import quarter_report_get_or_create, quarter_save
from config.devtools.management.commands.prepare_loadtest import ACCOUNT, DEPARTEMENT
from conventions.models import Post
from partners.enums import Role
from partners.models import User

pytestmark = pytest.mark.django_db


def prepare(posts=3):
    call_command("prepare_loadtest", posts=posts, stdout=io.StringIO())


def test_the_load_test_posts_are_made_once_in_their_own_departement():
    prepare()
    prepare()
    assert Post.objects.filter(departement=DEPARTEMENT).count() == 3
    account = User.objects.get(username=ACCOUNT)
    assert account.role == Role.DDSP_SECRETARIAT
    assert account.organisation.departement == DEPARTEMENT


def locust_stats(tmp_path, failures=0):
    path = tmp_path / "locust.json"
    entries = [
        {
            "name": "conventions : liste",
            "num_requests": 4,
            "num_failures": failures,
            "response_times": {"100": 3, "900": 1},
        }
    ]
    path.write_text(json.dumps(entries))
    return path


def saves_file(tmp_path, post, values, *, confirmed=True):
    path = tmp_path / "writes.jsonl"
    lines = [{"post": post.pk, "year": 2026, "quarter": 3, "save": 1, "values": values}]
    path.write_text(
        "".join(
            json.dumps({**line, "confirmed": state}) + "\n"
            for line in lines
            for state in ([False, True] if confirmed else [False])
        )
    )
    return path


@pytest.fixture
def saved_quarter():
    prepare(posts=1)
    post = Post.objects.get(departement=DEPARTEMENT)
    report = quarter_report_get_or_create(post=post, year=2026, quarter=3)
    report.post = post
    quarter_save(
        report=report,
        values={7: {"personnes_rencontrees": 17}},
        user=User.objects.get(username=ACCOUNT),
        expected_version=0,
    )
    return post


def test_the_check_finds_a_confirmed_save_and_prints_the_figures(tmp_path, saved_quarter):
    out = io.StringIO()
    call_command(
        "check_loadtest",
        stats=locust_stats(tmp_path),
        writes=saves_file(tmp_path, saved_quarter, {"7": {"personnes_rencontrees": 17}}),
        stdout=out,
    )
    text = out.getvalue()
    assert "conventions : liste         4        0      100      900" in text
    assert "Saisies confirmées : 1, retrouvées en base : 1, manquantes : 0." in text


def test_the_check_fails_when_a_confirmed_save_is_not_in_the_database(tmp_path, saved_quarter):
    writes = saves_file(tmp_path, saved_quarter, {"7": {"personnes_rencontrees": 18}})
    with pytest.raises(CommandError, match="1 saisie"):
        call_command(
            "check_loadtest",
            stats=locust_stats(tmp_path),
            writes=writes,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )


def test_the_check_fails_on_any_request_error(tmp_path, saved_quarter):
    writes = saves_file(tmp_path, saved_quarter, {"7": {"personnes_rencontrees": 17}})
    with pytest.raises(CommandError, match="1 erreur"):
        call_command(
            "check_loadtest",
            stats=locust_stats(tmp_path, failures=1),
            writes=writes,
            stdout=io.StringIO(),
        )
