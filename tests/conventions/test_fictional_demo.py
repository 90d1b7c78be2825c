"""The two fictional demo conventions (issue #18, item 7) hold what the seeds cannot:
a departmental framework convention with three posts, and a mixed post, each read as
its users would: the funding plan, the PDF, the register extract, the statistics."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from activity.enums import QuarterState
from activity.models import QuarterReport
from config.devtools.demo import fictional
from conventions.enums import PostKind
from conventions.funding.build import funding_plan
from conventions.models import Convention, Deliberation
from partners.models import User
from tests.conventions.pdftext import pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def convention(reference):
    return Convention.objects.for_detail().get(reference=reference)


def logged_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_load_demo_says_the_two_conventions_are_fictional():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    assert "Conventions fictives" in printed
    assert "cadre-18-2025" in printed and "montclar-2025" in printed
    assert "ggd18" in printed  # the gendarmerie secretariat's account is listed
    for reference in ("cadre-18-2025", "montclar-2025"):
        assert "fictive" in Convention.objects.get(reference=reference).subtitle


def test_the_framework_convention_funds_three_posts_each_against_its_own_cost(demo):
    framework = convention("cadre-18-2025")
    sections = framework.ordered_sections()
    assert [s.post.name for s in sections] == [
        fictional.CASTELNAU,
        fictional.VIERVAL,
        fictional.SANCY,
    ]
    assert [s.post.kind for s in sections] == [
        PostKind.POLICE,
        PostKind.POLICE,
        PostKind.GENDARMERIE,
    ]
    assert {s.post.employer.name for s in sections} == {
        "GIP Aide aux victimes et accès au droit du Cher"
    }

    plan = funding_plan(framework)
    castelnau, vierval, sancy = plan.blocks
    state_by_year = {
        row.year: row.cells[0].amount for row in castelnau.rows
    }  # the State's column comes first, as the parties do
    # 80 %, 50 %, 30 % of 52 000, 53 000 and 54 000 €.
    assert state_by_year == {2025: Decimal("41600"), 2026: Decimal("26500"), 2027: Decimal("16200")}
    for block in plan.blocks:
        for row in block.rows:
            # The balance (Deux Rives for Castelnau, the GIP for the others) closes each
            # post's own cost: no deficit, no surplus, year after year.
            assert row.gap == 0, (block.section.post, row.year)
    # The premises in kind are listed apart, never in the amounts.
    assert [c.organisation.name for c in plan.in_kind] == ["Communauté de communes du Haut-Cher"]
    assert plan.row(2026).totals.expected == Decimal("147000")


def test_the_framework_pdf_has_an_annex_per_post_with_its_sites_and_funding(demo, client):
    logged_in(client, "cd18")
    response = client.get(reverse("conventions:convention_pdf", args=["cadre-18-2025"]))
    assert response.status_code == 200
    # As a reader reads it: lines joined, words cut at the end of a line put back together.
    text = " ".join("\n".join(pdf_pages(response.content)).replace("‐\n", "").split())
    assert "Annexe 1 : ISC du commissariat de Castelnau-sur-Cher" in text
    assert "Annexe 3 : ISC de la compagnie de gendarmerie de Sancy-le-Bois" in text
    assert "Poste en zone gendarmerie" in text
    assert "Groupement de gendarmerie départementale du Cher" in text
    assert "41 600 €" in text and "16 200 €" in text
    assert "mise à disposition des locaux de l'antenne de Vierval" in text
    # Signature by delegation, written as such.
    assert "pour la Préfète du Cher et par délégation" in text


def test_the_mixed_post_pdf_and_register_extract_print_delegation_interim_and_the_committee(
    demo, client
):
    logged_in(client, "syndicat.montclar")
    response = client.get(reverse("conventions:convention_pdf", args=["montclar-2025"]))
    text = " ".join("\n".join(pdf_pages(response.content)).split())
    assert "pour la Présidente du Conseil régional et par délégation" in text
    assert "Directeur du centre hospitalier par intérim" in text

    deliberation = Deliberation.objects.get(number="CS-2025-04")
    response = client.get(reverse("conventions:deliberation_pdf", args=[deliberation.pk]))
    extract = " ".join("\n".join(pdf_pages(response.content)).split())
    assert "LE COMITÉ SYNDICAL" in extract
    assert "AUTRE ASSEMBLÉE" not in extract


def test_the_mixed_post_quarter_waits_for_the_gendarmerie_then_is_validated(demo, client):
    montclar = fictional.post(fictional.MONTCLAR)
    assert montclar.kind == PostKind.MIXED
    report = QuarterReport.objects.get(post=montclar, year=2026, quarter=2)
    assert report.state == QuarterState.SUBMITTED
    entry = reverse("activity:quarter_entry", args=[montclar.pk, 2026, 2])
    validate = reverse("activity:quarter_validate", args=[montclar.pk, 2026, 2])

    page = logged_in(client, "ggd12").get(entry).content.decode()
    assert "en attente" in page and "Groupement de gendarmerie départementale" in page
    client.post(validate)
    report.refresh_from_db()
    assert report.state == QuarterState.VALIDATED
    assert set(report.validations.values_list("authority__short_name", flat=True)) == {
        "DDPN 12",
        "Gendarmerie 12",
    }


def test_each_framework_post_is_validated_by_its_own_secretariat_only(demo, client):
    sancy = fictional.post(fictional.SANCY)
    castelnau = fictional.post(fictional.CASTELNAU)
    report = QuarterReport.objects.get(post=sancy, year=2026, quarter=3)
    assert report.state == QuarterState.SUBMITTED

    # The police secretariat of the Cher signed the framework convention and reads it, but
    # the gendarmerie post's statistics are not its own: no entry, no validation.
    police = logged_in(client, "ddpn18")
    assert (
        police.get(reverse("activity:quarter_entry", args=[sancy.pk, 2026, 3])).status_code == 403
    )
    assert (
        police.post(reverse("activity:quarter_validate", args=[sancy.pk, 2026, 3])).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.state == QuarterState.SUBMITTED

    gendarmerie = logged_in(client, "ggd18")
    assert (
        gendarmerie.get(reverse("activity:quarter_entry", args=[castelnau.pk, 2026, 3])).status_code
        == 403
    )
    gendarmerie.post(reverse("activity:quarter_validate", args=[sancy.pk, 2026, 3]))
    report.refresh_from_db()
    assert report.state == QuarterState.VALIDATED
    assert report.validated_by.username == "ggd18"
