"""The demo world the access matrix, the crawler and the fuzz tests run against.

``load_demo`` runs once per module inside a transaction that is rolled back at
the end of the module, so that these tests use real demo objects without
paying for the demo before every test, and without leaking it into other
modules. Each test still runs in its own savepoint (pytest-django's ``db``).
"""

import datetime
import io
import tempfile
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from config.devtools.demo.partners import organisation
from conventions.agreements.services import convention_attach_scan
from conventions.enums import DeliberatingBody
from conventions.funding.services import payment_attach_proof
from conventions.models import Amendment, Convention, Council, Payment
from partners.models import User
from partners.services import calendar_token_renew
from tests.images import PNG_LOGO
from tests.pdfs import ONE_PAGE_PDF

# The demo accounts, in the order of the matrix columns.
ROLES = [
    "admin",
    "ville.niort",
    "ddsp79",
    "fv79",
    "intervenant.niort",
    "valparisis",
    "ddsp95",
    "prefecture79",
    "pilotage79",
    "pilotage.national",
]

TINY_PDF = ONE_PAGE_PDF


@dataclass
class Side:
    """The demo objects of one convention: Niort (79) or Ermont (95)."""

    convention: Convention
    post: object
    deliberation: object
    council: object
    council_member: object
    contribution: object
    payment: object
    departement: str
    organisation: object
    objects: dict = field(default_factory=dict)


@dataclass
class DemoWorld:
    users: dict
    niort: Side
    ermont: Side
    calendar_token: str

    def side(self, name):
        return {"niort": self.niort, "ermont": self.ermont}[name]


def _side(reference, council):
    convention = Convention.objects.prefetch_related("sections__post").get(reference=reference)
    contribution = convention.contributions.order_by("pk").first()
    payment = Payment.objects.filter(contribution__convention=convention).order_by("pk").first()
    deliberation = convention.deliberations.order_by("pk").first()
    return Side(
        convention=convention,
        post=convention.single_post,
        deliberation=deliberation,
        council=council,
        council_member=council.members.order_by("pk").first(),
        contribution=contribution,
        payment=payment,
        departement=convention.single_post.departement,
        organisation=council.organisation,
    )


def _complete_the_demo():
    """What the demo lacks for every URL to have an object on each side.

    An amendment, a signed scan and a payment proof per convention, a logo for
    each side's organisation, and a council for Val Parisis (Ermont's employer) like
    Niort's.
    """
    for key in ("niort", "valparisis"):
        organisation(key).logo.save("logo.png", ContentFile(PNG_LOGO))
    for reference in ("niort-2021", "ermont-2022"):
        convention = Convention.objects.get(reference=reference)
        Amendment.objects.create(
            convention=convention,
            number=1,
            signed_on=datetime.date(2024, 3, 1),
            object="Avenant de démonstration",
        )
        convention_attach_scan(convention=convention, scan=ContentFile(TINY_PDF, name="scan.pdf"))
        payment = Payment.objects.filter(contribution__convention=convention).earliest("pk")
        payment_attach_proof(payment=payment, proof=ContentFile(TINY_PDF, name="preuve.pdf"))
    valparisis = Council.objects.create(
        organisation=organisation("valparisis"),
        body=DeliberatingBody.COMMUNITY_COUNCIL,
        term_start_year=2020,
        term_end_year=2026,
    )
    valparisis.members.create(
        civility="M.", first_name="Jean", last_name="Démo", in_office_from="2020-07-01"
    )
    return valparisis


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        tempfile.TemporaryDirectory() as media_root,
        override_settings(MEDIA_ROOT=media_root),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("load_demo", stdout=io.StringIO())
        valparisis_council = _complete_the_demo()
        users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
        calendar_token_renew(user=users["ville.niort"])
        users["ville.niort"].refresh_from_db()
        yield DemoWorld(
            users=users,
            niort=_side("niort-2021", Council.objects.get(organisation=organisation("niort"))),
            ermont=_side("ermont-2022", valparisis_council),
            calendar_token=users["ville.niort"].calendar_token,
        )
        transaction.set_rollback(True)
