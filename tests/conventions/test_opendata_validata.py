"""The official validator, validata (package validata-core), on both SCDL exports.

It reads the vendored schemas (conventions/opendata/schemas/), table-schema and
their ``custom_checks`` (SIRET keys, cohesive columns, vote sums…), and must find
zero errors in the files of the demo data and of the national dataset, every
publishing organisation in turn. No network: the test refuses any connection
that leaves the machine, so a library fetching a schema would fail it.
"""

import csv
import datetime
import io
import json
import socket
from pathlib import Path

import pytest
import validata_core
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.devtools.national import generate
from conventions.access import scope_for
from conventions.models import Deliberation, DeliberationPublication
from conventions.opendata import schema as schema_module
from conventions.opendata.schema import DELIBERATIONS, SUBSIDIES, validate_rows
from conventions.opendata.views import publishers
from partners.models import User
from tests.conventions.test_opendata import VALID_SUBSIDY

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).resolve().parents[2] / "conventions" / "opendata" / "schemas"
URLS = {
    DELIBERATIONS: reverse("conventions:opendata_deliberations_csv"),
    SUBSIDIES: reverse("conventions:opendata_subsidies_csv"),
}
SCHEMA_FILES = {DELIBERATIONS: "deliberations-2.1.5.json", SUBSIDIES: "subventions-2.1.1.json"}
TODAY = datetime.date(2026, 11, 22)


def official_schema(schema) -> dict:
    return json.loads((SCHEMAS / SCHEMA_FILES[schema]).read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any connection outside loopback fails the test (the validator must work offline)."""
    connect = socket.socket.connect

    def loopback_only(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network access during the test: {address!r}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


def validata_errors(schema, content: bytes, tmp_path) -> list[str]:
    path = tmp_path / schema.filename
    path.write_bytes(content)
    report = validata_core.validate(str(path), official_schema(schema))
    found = [f"{e.code}: {e.message}" for e in report.errors]
    for task in report.tasks:
        found += [f"{e.code}: {e.message}" for e in task.errors]
    return found


def download(client, schema, publisher) -> bytes:
    response = client.get(URLS[schema], {"organisation": publisher.pk})
    assert response.status_code == 200, (publisher, response.content.decode()[:3000])
    return response.content


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def every_publishers_file(client, schema) -> tuple[bytes, int]:
    """All publishers' files as one (one header, their rows): validata checks each row
    on its own, and one run is faster than one per organisation."""
    admin = User.objects.filter(is_superuser=True).first()
    client.force_login(admin)
    lines, count = [], 0
    for publisher in publishers(scope_for(admin)):
        content = download(client, schema, publisher)
        header, *body = content.decode("utf-8").splitlines(keepends=True)
        lines = lines or [header]
        lines += body
        count += len(rows_of(content))
        own = "COLL_SIRET" if schema is DELIBERATIONS else "idAttribuant"
        assert {row[own] for row in rows_of(content)} <= {publisher.siret}, publisher
    return "".join(lines).encode("utf-8"), count


@pytest.mark.parametrize("schema", [DELIBERATIONS, SUBSIDIES], ids=lambda s: s.name)
def test_validata_finds_no_error_in_the_demo_exports(client, schema, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    content, count = every_publishers_file(client, schema)
    assert count > 0
    assert validata_errors(schema, content, tmp_path) == []


@pytest.mark.parametrize("schema", [DELIBERATIONS, SUBSIDIES], ids=lambda s: s.name)
def test_validata_finds_no_error_in_the_national_dataset_exports(client, schema, tmp_path):
    generate(posts=3, years=2, seed=1, today=TODAY)
    content, count = every_publishers_file(client, schema)
    assert count > 0
    assert validata_errors(schema, content, tmp_path) == []


def csv_of(schema, **values) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=schema.header)
    writer.writeheader()
    writer.writerow(dict.fromkeys(schema.header, "") | values)
    return buffer.getvalue().encode("utf-8")


DELIBERATION = {
    "COLL_NOM": "Commune de Niort",
    "COLL_SIRET": "73282932000074",
    "DELIB_ID": "D-2021-313",
    "DELIB_DATE": "2021-09-20",
    "DELIB_MATIERE_CODE": "7.5",
    "DELIB_MATIERE_NOM": "finances locales/subventions",
    "DELIB_OBJET": "Poste d'intervenant social",
    "VOTE_EFFECTIF": "45",
    "VOTE_REEL": "44",
    "VOTE_POUR": "44",
    "VOTE_CONTRE": "0",
    "VOTE_ABSTENTION": "0",
}
# A subsidy row that passes, as the application's own checks test it.
SUBSIDY = VALID_SUBSIDY


# What the exports wrote before issue #17's fixes: the validator must refuse each, or
# the zero-error tests above would prove nothing.
@pytest.mark.parametrize(
    ("schema", "values", "code"),
    [
        (DELIBERATIONS, DELIBERATION | {"BUDGET_ANNEE": "2021/2023"}, "cohesive-columns-value"),
        # One member « ne prend pas part au vote »: 44 present or represented, 43 votes.
        (DELIBERATIONS, DELIBERATION | {"VOTE_POUR": "43"}, "sum-columns-value"),
        (DELIBERATIONS, DELIBERATION | {"VOTE_REEL": ""}, "cohesive-columns-value"),
        # The 14 digits pass Luhn, the SIREN 123456789 does not.
        (DELIBERATIONS, DELIBERATION | {"COLL_SIRET": "12345678900015"}, "french-siret-value"),
        (SUBSIDIES, SUBSIDY | {"idBeneficiaire": "12345678900015"}, "french-siret-value"),
        (DELIBERATIONS, DELIBERATION | {"VOTE_EFFECTIF": "40"}, "compare-columns-value"),
        (
            DELIBERATIONS,
            DELIBERATION | {"PREF_DATE": "2021-09-19"},
            "compare-columns-value",
        ),
        (
            DELIBERATIONS,
            DELIBERATION | {"BUDGET_ANNEE": "2023/2021", "BUDGET_NOM": "Budget principal"},
            "year-interval-value",
        ),
        (
            DELIBERATIONS,
            DELIBERATION | {"DELIB_MATIERE_NOM": "subventions"},
            "nomenclature-actes-value",
        ),
        (SUBSIDIES, SUBSIDY | {"idBeneficiaire": ""}, "one-of-required"),
    ],
    ids=[
        "budget-years-without-name",
        "vote-sum",
        "votes-half-given",
        "coll-siren",
        "siren",
        "more-voters-than-members",
        "transmitted-before-adopted",
        "years-backwards",
        "actes-name",
        "no-beneficiary-id",
    ],
)
def test_validata_and_the_application_refuse_what_the_exports_used_to_write(
    schema, values, code, tmp_path
):
    errors = validata_errors(schema, csv_of(schema, **values), tmp_path)
    assert [e for e in errors if e.startswith(code)], errors
    # The application's own check (run before any file leaves it) agrees.
    assert validate_rows(schema, rows_of(csv_of(schema, **values)))


@pytest.mark.parametrize(
    ("schema", "values"), [(DELIBERATIONS, DELIBERATION), (SUBSIDIES, SUBSIDY)]
)
def test_validata_and_the_application_accept_the_reference_rows(schema, values, tmp_path):
    assert validata_errors(schema, csv_of(schema, **values), tmp_path) == []
    assert validate_rows(schema, rows_of(csv_of(schema, **values))) == []


@pytest.mark.parametrize("schema", [DELIBERATIONS, SUBSIDIES], ids=lambda s: s.name)
def test_the_files_have_the_official_columns_in_the_official_order(schema):
    official = official_schema(schema)
    assert schema.header == [f["name"] for f in official["fields"]]
    assert (schema.name, schema.version) == (f"scdl/{official['name']}", official["version"])
    assert len(schema.row_checks) == len(official["custom_checks"])


def test_a_schema_with_a_check_the_application_does_not_know_is_refused(tmp_path, monkeypatch):
    official = official_schema(SUBSIDIES)
    official["custom_checks"].append({"name": "french-phone-value", "params": {"column": "x"}})
    (tmp_path / "next.json").write_text(json.dumps(official), encoding="utf-8")
    monkeypatch.setattr(schema_module, "SCHEMAS_DIR", tmp_path)
    with pytest.raises(ValueError, match="french-phone-value"):
        schema_module.load_schema(
            "next.json", title="Subventions", output="s.csv", description="", extras={}
        )


def test_validata_finds_no_error_in_a_public_file_with_a_published_deliberation(client, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    deliberation = Deliberation.objects.get(number="D-2021-313")
    # What deliberation_publish writes (test_publication publishes through the page).
    publication = DeliberationPublication.objects.create(
        deliberation=deliberation, published_at=timezone.now(), pdf=b"%PDF-1.4 stand-in"
    )
    Deliberation.objects.filter(pk=deliberation.pk).update(
        published_on=timezone.localdate(), publication_url=publication.public_url
    )
    response = client.get(reverse("public:deliberations_csv", args=[deliberation.organisation_id]))
    assert response.status_code == 200
    (row,) = rows_of(response.content)
    assert row["DELIB_URL"] == publication.public_url
    assert validata_errors(DELIBERATIONS, response.content, tmp_path) == []
