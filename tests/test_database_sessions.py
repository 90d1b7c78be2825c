"""The application's PostgreSQL sessions as config/settings.py opens them."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
def test_postgresql_compiles_no_query_to_machine_code():
    # JIT spent 40 to 60 ms compiling each of the dashboards' main queries, which then ran
    # in a few milliseconds: off for the application's sessions.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
