"""The migrations of issue #18 items 4 and 6 keep every existing row: an organisation of
kind « Autre » and an assembly « Autre » get a label instead of being refused by the new
constraints, and going back removes only what was added."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("partners", "0007_single_line_fields"),
    ("conventions", "0019_version_for_stale_post_edits"),
]


# Serialized rollback: the flush at the end empties the tables; the next tests find the
# content types, permissions and statistics grid of the migrations again.
def migration_test(test):
    return pytest.mark.migrations(
        pytest.mark.django_db(transaction=True, serialized_rollback=True)(test)
    )


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(latest)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets or executor.loader.graph.leaf_nodes()).apps


@migration_test
def test_rows_of_kind_autre_get_a_label_and_lose_it_going_back(migrator):
    apps = migrator.loader.project_state(BEFORE).apps
    Organisation = apps.get_model("partners", "Organisation")
    other = Organisation.objects.create(name="Office HLM", kind="autre", departement="79")
    commune = Organisation.objects.create(name="Niort", kind="commune", departement="79")
    Council = apps.get_model("conventions", "Council")
    Deliberation = apps.get_model("conventions", "Deliberation")
    council = Council.objects.create(organisation=other, body="autre", term_start_year=2020)
    Deliberation.objects.create(
        organisation=other,
        body="autre",
        number="AG-1",
        session_date="2024-03-18",
        is_reference_only=True,
    )

    apps = migrate(None)
    Organisation = apps.get_model("partners", "Organisation")
    assert Organisation.objects.get(pk=other.pk).kind_label == "Autre"
    assert Organisation.objects.get(pk=commune.pk).kind_label == ""
    assert apps.get_model("conventions", "Council").objects.get(pk=council.pk).body_label == (
        "l'assemblée délibérante"
    )
    assert apps.get_model("conventions", "Deliberation").objects.get(number="AG-1").body_label == (
        "l'assemblée délibérante"
    )

    apps = migrate(BEFORE)
    assert apps.get_model("partners", "Organisation").objects.count() == 2
    assert apps.get_model("conventions", "Council").objects.get(pk=council.pk).body == "autre"
