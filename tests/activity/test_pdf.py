"""The annual bilan PDF: the page's numbers, tables and charts, read back with pypdf."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conventions.models import Post
from partners.enums import Role
from partners.models import User
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import PostSiteFactory
from tests.pdfs import tagging

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr>\s*<th scope="row">([^<]+)</th>\s*((?:<td class="num">[^<]*</td>\s*)+)'
    r'<td class="num total" data-code="([\w-]+)">([^<]*)</td>\s*<td class="num">([^<]*)</td>'
)
CELL = re.compile(r'<td class="num">([^<]*)</td>')


def page_rows(content: str):
    """(label, months, code, total, previous) of every indicator of the page's tables."""
    return [
        (label.strip(), CELL.findall(months), code, total, previous)
        for label, months, code, total, previous in ROW.findall(content)
    ]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_page_pdf_and_xlsx_show_the_same_figures(client):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="ddsp79"))
    post = Post.objects.get(name="ISC du commissariat de Niort")
    page = client.get(reverse("activity:bilan_post", args=[post.pk, 2025])).content.decode()
    rows = page_rows(page)
    assert len(rows) == 57

    response = client.get(reverse("activity:bilan_pdf", args=[post.pk, 2025]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for label, months, _code, total, previous in rows:
        line = " ".join([label.replace("&#x27;", "'"), *months, total, previous])
        assert line in text, line

    xlsx = client.get(reverse("activity:export_xlsx"), {"annee": 2025, "poste": post.pk})
    workbook = load_workbook(io.BytesIO(xlsx.content))
    sheet_totals = {
        row[1]: row[14]
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert sheet_totals == {code: int(total) for _, _, code, total, _ in rows}


def test_the_pdf_names_its_recipients_and_its_validation(client):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="prefecture79"))
    post = Post.objects.get(name="ISC du commissariat de Niort")
    text = pdf_text(client.get(reverse("activity:bilan_pdf", args=[post.pk, 2024])).content)
    assert "Bilan annuel d'activité 2024 — ISC du commissariat de Niort" in text
    assert "Destinataires :" in text
    # Issue #18: the post's own authority, by name, and its force's wording.
    assert "Intervenant social en commissariat" in text
    assert (
        "Bilan validé par le secrétariat de l'autorité fonctionnelle (DDSP 79) le "
        "21 janvier 2025." in text
    )
    assert "Personnes rencontrées par mois, 2024 et 2023" in text


def test_an_unvalidated_year_is_printed_as_provisional(client, two_departements):
    world = two_departements["79"]
    QuarterReportFactory(post=world["post"], year=2025, quarter=1, filled=True, submitted=True)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    text = pdf_text(
        client.get(reverse("activity:bilan_pdf", args=[world["post"].pk, 2025])).content
    )
    assert "Bilan provisoire" in text


def test_a_gendarmerie_bilan_speaks_of_the_gendarmerie_and_its_groupement(client, two_departements):
    world = two_departements["79"]
    post = world["gendarmerie_post"]
    QuarterReportFactory(post=post, year=2025, quarter=1, filled=True, submitted=True)
    url = reverse("activity:bilan_pdf", args=[post.pk, 2025])
    client.force_login(world["users"][Role.GENDARMERIE_SECRETARIAT])
    text = " ".join(pdf_text(client.get(url).content).split())
    assert "Intervenant social en gendarmerie" in text
    assert "En présentiel à la brigade" in text
    assert "en commissariat" not in text and "DDSP" not in text
    assert (
        "l'année n'est pas encore validée par le secrétariat de l'autorité fonctionnelle "
        "(Groupement 79)" in text
    )
    # The DDSP of the same département has no say on the brigade's post (issue #18).
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    assert client.get(url).status_code == 404


def test_the_val_doise_ddsp_secretariat_cannot_print_a_niort_bilan(client, two_departements):
    client.force_login(two_departements["95"]["users"][Role.DDSP_SECRETARIAT])
    url = reverse("activity:bilan_pdf", args=[two_departements["79"]["post"].pk, 2025])
    assert client.get(url).status_code == 404


def test_a_validated_gendarmerie_bilan_never_says_ddsp_nor_commissariat(client, two_departements):
    world = two_departements["79"]
    post = world["gendarmerie_post"]
    for quarter in range(1, 5):
        QuarterReportFactory(post=post, year=2025, quarter=quarter, filled=True, validated=True)
    secretariat = world["users"][Role.GENDARMERIE_SECRETARIAT]
    client.force_login(secretariat)
    client.post(reverse("activity:annual_validate", args=[post.pk, 2025]))
    text = pdf_text(client.get(reverse("activity:bilan_pdf", args=[post.pk, 2025])).content)
    assert "Bilan validé par le secrétariat de l'autorité fonctionnelle (Groupement 79)" in text
    assert "ddsp" not in text.lower() and "commissariat" not in text.lower()


def test_a_mixed_bilan_speaks_of_the_commissariat_and_the_gendarmerie(client, two_departements):
    world = two_departements["79"]
    post = world["post"]
    PostSiteFactory(
        post=post,
        gendarmerie=True,
        order=2,
        functional_authority=world["gendarmerie_post"].functional_authorities[0],
    )
    QuarterReportFactory(post=post, year=2025, quarter=1, filled=True, submitted=True)
    client.force_login(world["users"][Role.GENDARMERIE_SECRETARIAT])
    text = pdf_text(client.get(reverse("activity:bilan_pdf", args=[post.pk, 2025])).content)
    assert "Intervenant social en commissariat et gendarmerie" in text
    assert "(DDSP 79 et Groupement 79)" in text


def test_the_bilan_pdf_is_tagged_in_french_with_its_title(client, two_departements):
    world = two_departements["79"]
    post = world["post"]
    for quarter in range(1, 5):
        QuarterReportFactory(post=post, year=2025, quarter=quarter, filled=True, submitted=True)
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    pdf = tagging(client.get(reverse("activity:bilan_pdf", args=[post.pk, 2025])).content)
    assert pdf.lang == "fr"
    assert pdf.marked and pdf.display_title
    assert pdf.title == f"Bilan annuel — {post.name} — année 2025"
    tags = [tag for tag, _ in pdf.structure]
    assert {"/H1", "/Table", "/TH", "/TD", "/Caption", "/Figure"} <= set(tags)
    # Every table element holds rows: none is a caption left alone at the foot of a page
    # (WeasyPrint once cut a caption from its table there, and the tagging then failed).
    assert all("/TR" in under for tag, under in pdf.structure if tag == "/Table")


def test_the_annual_bilan_page_offers_its_pdf_to_whoever_may_open_it(
    client, two_departements, monkeypatch
):
    # Who may open it is the question here, not the rendering (tested above).
    monkeypatch.setattr("activity.views.exports.post_bilan_pdf", lambda *a, **k: b"%PDF-")
    post = two_departements["79"]["post"]
    page_url = reverse("activity:bilan_post", args=[post.pk, 2025])
    pdf_url = reverse("activity:bilan_pdf", args=[post.pk, 2025])
    link = (
        f'<a class="fr-link fr-link--download" href="{pdf_url}" download>'
        "Télécharger le bilan (PDF)</a>"
    )
    seen_by = []
    for dep in ("79", "95"):
        for role, user in two_departements[dep]["users"].items():
            client.force_login(user)
            page = client.get(page_url)
            pdf_status = client.get(pdf_url).status_code
            assert page.status_code == pdf_status, (dep, role)
            if page.status_code == 200:
                assert link in page.content.decode(), (dep, role)
                seen_by.append((dep, role))
    assert ("79", Role.DDSP_SECRETARIAT) in seen_by
    assert not any(dep == "95" for dep, _ in seen_by)


def test_bilans_without_a_pdf_offer_none(client, two_departements, admin_user):
    post = two_departements["79"]["post"]
    client.force_login(admin_user)
    for url in (
        reverse("activity:bilan_post", args=[post.pk, 2025, 2]),
        reverse("activity:bilan_departement", args=["79", 2025]),
        reverse("activity:bilan_national", args=[2025]),
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "Télécharger le bilan (PDF)" not in page.content.decode(), url
