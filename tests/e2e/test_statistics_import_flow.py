"""Flow: the employer's coordination imports a post's twelve months of 2023 from the
spreadsheet in use, checks the preview, confirms; the quarters wait as drafts."""

import openpyxl
from playwright.sync_api import expect

from activity.enums import QuarterState
from activity.models import QuarterReport
from activity.selectors import report_values
from conventions.models import Post
from tests.e2e.statistics import consistent_counts, grid_codes

YEAR = 2023  # the demo's figures start in 2024


def twelve_months(path):
    codes = grid_codes(YEAR, 1)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["mois", *codes])
    for month in range(1, 13):
        counts = consistent_counts(YEAR, month)
        sheet.append([f"{month:02d}/{YEAR}", *(counts[code] for code in codes)])
    workbook.save(path)
    return path


def test_a_12_month_statistics_file_is_imported_for_a_demo_post(
    page, login, check_accessibility, browser_errors, tmp_path
):
    post = Post.objects.get(name="ISC du commissariat de Niort")
    login("fv79")
    page.goto("/statistiques/")
    row = page.get_by_role("row").filter(has_text="ISC du commissariat de Niort")
    row.get_by_role("link", name="Importer des statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importer des statistiques mensuelles"
    )
    check_accessibility(page, "import-statistiques")

    # A file with the wrong columns comes back with its message next to the field.
    wrong = tmp_path / "mauvais.csv"
    wrong.write_bytes("\ufeffdate;femmes\r\n2023-01;3\r\n".encode())
    page.get_by_label("Fichier à importer").set_input_files(wrong)
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.get_by_text("colonnes manquantes : « mois »").first).to_be_visible()
    # The 400 answer is the point here (a refused file), not an error of the page.
    browser_errors[:] = [e for e in browser_errors if "400 (Bad Request)" not in e]

    page.get_by_label("Fichier à importer").set_input_files(twelve_months(tmp_path / "2023.xlsx"))
    page.get_by_role("button", name="Vérifier le fichier").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier l'import des statistiques")
    expect(page.locator("#import-summary")).to_have_text(
        "12 à créer, 0 à modifier, 0 inchangée, 0 en erreur."
    )
    expect(page.get_by_role("row").filter(has_text="décembre 2023")).to_contain_text("À créer")
    assert not QuarterReport.objects.filter(post=post, year=YEAR).exists()
    check_accessibility(page, "import-statistiques-apercu")

    page.get_by_role("button", name="Confirmer l'import").click()
    expect(page.get_by_text("12 créés, 0 modifié, 0 inchangé.")).to_be_visible()
    reports = QuarterReport.objects.filter(post=post, year=YEAR).order_by("quarter")
    assert [r.state for r in reports] == [QuarterState.DRAFT] * 4
    assert report_values(reports[3])[12] == {
        code: value for code, value in consistent_counts(YEAR, 12).items() if value is not None
    }
