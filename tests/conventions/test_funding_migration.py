"""The migration to budget lines, shares by year and aids in kind keeps every
contribution of the demo (Niort and Ermont), back and forth, and puts the FIPDR on the
FIPD line."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conventions.models import Contribution

BEFORE = [("conventions", "0019_version_for_stale_post_edits")]
KEPT = [
    "pk",
    "convention_id",
    "organisation_id",
    "source",
    "rule",
    "amount",
    "share_numerator",
    "share_denominator",
    "cap",
    "prorata",
    "first_year",
    "last_year",
    "due_month",
    "due_day",
]


# Serialized rollback: the flush at the end empties the tables; the next tests find the
# content types, permissions and statistics grid of the migrations again.
@pytest.mark.migrations
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_every_contribution_and_puts_the_fipdr_on_the_fipd_line():
    # The seeds only: the fictional conventions use what these migrations brought (several
    # posts, aids in kind), which the schema before them cannot hold.
    call_command("load_demo", seeds_only=True, stdout=io.StringIO())
    before = sorted(Contribution.objects.values_list(*KEPT))
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps.get_model("conventions", "Contribution")
        assert sorted(old.objects.values_list(*KEPT)) == before
    finally:
        MigrationExecutor(connection).migrate(latest)
    after = Contribution.objects.values_list(*KEPT, "budget_line", "nature")
    assert sorted(row[:-2] for row in after) == before
    assert {(row[KEPT.index("source")], row[-2], row[-1]) for row in after} == {
        ("FIPDR", "fipd", "money"),
        ("budget communal", "", "money"),
        ("budget départemental", "", "money"),
        ("budget communautaire", "", "money"),
    }
