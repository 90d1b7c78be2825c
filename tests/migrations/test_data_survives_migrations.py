"""The migrations move the existing data without loss.

The demo (Niort, Ermont) and the national dataset, dumped at the state before the
national model (``snapshot.PREMIGRATION_STATE``), are loaded into a database at that
state, migrated to today's models, and every convention's parties, periods, status,
funding plan and deadlines must read exactly as the code of that time read them.
"""

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from tests.migrations import snapshot


def load_rows(historical_apps, rows) -> None:
    """Write dumped rows through the models of the migration state they were dumped at
    (today's models may no longer have their columns)."""
    by_model: dict[str, list] = {}
    links = []
    for row in rows:
        model = historical_apps.get_model(row["model"])
        values = {model._meta.pk.attname: row["pk"]}
        for name, value in row["fields"].items():
            field = model._meta.get_field(name)
            if field.many_to_many:
                links.append((model, row["pk"], name, value))
            elif field.is_relation:
                values[field.attname] = value
            else:
                values[name] = field.to_python(value)
        by_model.setdefault(row["model"], []).append(model(**values))
    # Foreign keys are checked at commit: one transaction takes the rows in any order.
    with transaction.atomic():
        for instances in by_model.values():
            type(instances[0]).objects.bulk_create(instances, batch_size=500)
        for model, pk, name, targets in links:
            if targets:
                getattr(model.objects.get(pk=pk), name).set(targets)
        # Rows written with their ids leave PostgreSQL's sequences behind: a data
        # migration creating a row would collide with them.
        models = [type(instances[0]) for instances in by_model.values()]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


# Serialized rollback, as the other migration tests: the flush at the end must not
# leave the content types that migrating forward recreated, which the next serialized
# test would write again.
@pytest.mark.migrations
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_convention_reads_the_same_after_the_migrations(migrator):
    old_state = migrator.apply_initial_migration(snapshot.PREMIGRATION_STATE)
    load_rows(old_state.apps, snapshot.read(snapshot.DATA_FILE))

    migrator.apply_tested_migration(sorted(MigrationLoader(connection).graph.leaf_nodes()))

    before = snapshot.read(snapshot.FACTS_FILE)
    after = snapshot.convention_facts()
    assert sorted(after) == sorted(before)
    changed = [reference for reference in before if after[reference] != before[reference]]
    assert not changed, (
        f"{len(changed)} conventions read differently after the migrations, first "
        f"{changed[0]}:\nbefore {before[changed[0]]}\nafter  {after[changed[0]]}"
    )
