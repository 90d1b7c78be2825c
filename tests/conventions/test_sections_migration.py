"""The migration to framework conventions (issue #18 item 3): each convention's post
becomes its annex n° 1, each contribution funds that post; back and forth, nothing lost."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conventions.models import Contribution, ConventionPost

BEFORE = [("conventions", "0024_statistics_validation_rule")]


# Serialized rollback: the flush at the end empties the tables; the next tests find the
# content types, permissions and statistics grid of the migrations again.
@pytest.mark.migrations
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_turns_each_conventions_post_into_its_annex_1_and_gives_contributions_that_post():
    # The seeds only: the fictional conventions use what these migrations brought (several
    # posts, aids in kind), which the schema before them cannot hold.
    call_command("load_demo", seeds_only=True, stdout=io.StringIO())
    sections = sorted(ConventionPost.objects.values_list("convention_id", "post_id", "number"))
    assert sections and {number for *_, number in sections} == {1}
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("conventions", "Convention")
        assert sorted(old.objects.filter(post__isnull=False).values_list("pk", "post_id")) == [
            (c, p) for c, p, _ in sections
        ]
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert sorted(ConventionPost.objects.values_list("convention_id", "post_id", "number")) == (
        sections
    )
    post_of = {c: p for c, p, _ in sections}
    contributions = list(Contribution.objects.values_list("convention_id", "post_id"))
    assert contributions
    assert all(post == post_of[convention] for convention, post in contributions)
