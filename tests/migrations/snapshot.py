"""What a convention means to its partners, read through the domain's own functions:
its parties, periods, funding plan and deadlines.

The data-migration test (``test_data_survives_migrations``) compares these facts,
computed on the migrated data, with the facts written by the code of the time
before the migrations (``premigration/facts.json.gz``). When the domain's API
changes, the reading below changes with it; the stored facts never do.

Written by ``python manage.py shell -c "from tests.migrations.snapshot import
write_fixture; write_fixture()"`` on a database holding the demo and the national
dataset, at the migration state named in ``PREMIGRATION_STATE``.
"""

import datetime
import gzip
import json
from pathlib import Path

from django.apps import apps
from django.core import serializers

FIXTURE_DIR = Path(__file__).parent / "premigration"
DATA_FILE = FIXTURE_DIR / "data.json.gz"
FACTS_FILE = FIXTURE_DIR / "facts.json.gz"

# The migration state the fixture was written at (the last migrations before the
# national model of issue #18).
PREMIGRATION_STATE = [
    ("partners", "0007_single_line_fields"),
    ("conventions", "0019_version_for_stale_post_edits"),
    ("activity", "0007_single_line_fields"),
]

# What the facts need, and what those rows point to. Councils' members, attendance,
# articles and statistics are left out: they carry no party, period, amount or deadline.
DUMPED_MODELS = [
    "partners.Organisation",
    "partners.Representative",
    "partners.User",
    "conventions.Post",
    "conventions.PostHolder",
    "conventions.PostCost",
    "conventions.Council",
    "conventions.Deliberation",
    "conventions.Decision",
    "conventions.DecidedAmount",
    "conventions.Convention",
    "conventions.Party",
    "conventions.AssociatedPartner",
    "conventions.CommitteeMember",
    "conventions.ReportingRule",
    "conventions.Renewal",
    "conventions.Amendment",
    "conventions.Contribution",
    "conventions.ContributionChange",
    "conventions.PartyChange",
    "conventions.Payment",
]
# Relations to rows left out of the dump, cleared in it.
CLEARED_FIELDS = {
    "conventions.deliberation": ("president", "rapporteur", "secretaries"),
    "partners.user": ("groups", "user_permissions"),
}

AS_OF = datetime.date(2026, 12, 6)
DEADLINE_DAYS = [datetime.date(2021, 6, 1), datetime.date(2024, 1, 1), AS_OF]
PERIODS_UNTIL = datetime.date(2031, 12, 31)


def _text(value) -> str | None:
    return None if value is None else str(value)


def _party_facts(convention) -> list:
    rows = []
    for party in convention.parties.all():
        representative = party.representative
        rows.append(
            [
                party.organisation.name,
                party.organisation.kind,
                party.side,
                party.is_funder,
                party.is_employer,
                party.is_functional_authority,
                party.is_host,
                representative.title if representative else None,
                representative.name if representative else None,
            ]
        )
    return sorted(rows, key=json.dumps)


def _post_facts(convention) -> dict | None:
    # A convention had one post before framework conventions (issue #18 item 3): read
    # it as the post of a one-post convention, its annex n° 1.
    post = convention.single_post
    if post is None:
        return None
    return {
        "name": post.name,
        "departement": post.departement,
        "fte": str(post.fte),
        "employer": post.employer.name,
        # One force, authority and site before the posts had several sites (issue #18):
        # read from the sites since, for a post that has one.
        "force": post.kind,
        "functional_authority": post.functional_authority_names,
        "host_site": post.site_names,
        "costs": [[c.year, str(c.total)] for c in post.costs.all()],
        "holders": [[h.name, _text(h.start), _text(h.end)] for h in post.holders.all()],
    }


def _plan_facts(convention) -> list:
    from conventions.funding.build import funding_plan

    plan = funding_plan(convention, today=AS_OF)
    rows = []
    for row in plan.rows:
        cells = sorted(
            [
                cell.contribution.organisation.name,
                cell.contribution.source,
                _text(cell.expected.amount),
                str(cell.paid),
                cell.state,
                _text(cell.due_date),
            ]
            for cell in row.cells
            if cell is not None
        )
        rows.append([row.year, _text(row.cost.total if row.cost else None), cells])
    return rows


def _deadline_facts(convention) -> dict:
    from conventions.lifecycle.deadlines import convention_deadlines

    return {
        day.isoformat(): [
            [d.date.isoformat(), d.kind]
            for d in convention_deadlines(convention, today=day, horizon_days=1200)
        ]
        for day in DEADLINE_DAYS
    }


def convention_facts() -> dict:
    """Every convention's parties, periods, status, plan and deadlines, by reference."""
    from conventions.models import Convention

    facts = {}
    conventions = (
        Convention.objects.with_funding()
        .prefetch_related(
            "sections__post__sites__functional_authority",
            "parties__representative",
            "sections__post__holders",
            "amendments__party_changes",
            "reporting_rules",
            "renewed_by__parties",
            "deliberations",
        )
        .order_by("reference")
    )
    for convention in conventions:
        facts[convention.reference] = {
            "status": convention.status(AS_OF),
            "effective_date": _text(convention.effective_date),
            "periods": [
                [p.number, p.start.isoformat(), p.end.isoformat()]
                for p in convention.periods(until=PERIODS_UNTIL)
            ],
            "notice_deadline": _text(convention.notice_deadline(AS_OF)),
            "parties": _party_facts(convention),
            "post": _post_facts(convention),
            "plan": _plan_facts(convention),
            "deadlines": _deadline_facts(convention),
        }
    return facts


def _dumped_rows() -> list:
    rows = []
    for label in DUMPED_MODELS:
        model = apps.get_model(label)
        rows.extend(
            json.loads(serializers.serialize("json", model._default_manager.order_by("pk")))
        )
    for row in rows:
        for name in CLEARED_FIELDS.get(row["model"], ()):
            value = row["fields"].get(name)
            row["fields"][name] = [] if isinstance(value, list) else None
    return rows


def write_fixture() -> None:
    FIXTURE_DIR.mkdir(exist_ok=True)
    for path, content in ((DATA_FILE, _dumped_rows()), (FACTS_FILE, convention_facts())):
        with gzip.open(path, "wt", encoding="utf-8") as file:
            json.dump(content, file, ensure_ascii=False, sort_keys=True)


def read(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return json.load(file)
