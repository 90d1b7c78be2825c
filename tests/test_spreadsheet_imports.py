"""Hostile and unusual files read by the shared half of every import (config.core.imports):
huge, bombed, damaged, misnamed or saved by an older Excel. The pages' own tests
(tests/*/test_*import*.py) check the rows; here, the file as a whole."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.core import imports
from config.core.imports import MAX_ROWS, SESSION_KEY, ImportFileError, read_table
from partners.models import Organisation
from tests.partners.factories import UserFactory

HUGE = 100_000


@pytest.fixture(scope="module")
def huge_xlsx(tmp_path_factory) -> bytes:
    """A real 100 000-row workbook, streamed by openpyxl's write-only mode."""
    path = tmp_path_factory.mktemp("imports") / "grand.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["nom", "type", "département"])
    for _number in range(HUGE):
        sheet.append(["Commune de Melle", "Commune", 79])
    workbook.save(path)
    return path.read_bytes()


def small_xlsx(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uploaded(content: bytes, name: str = "fichier.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def rezipped(content: bytes, replaced: dict[str, bytes]) -> bytes:
    """The workbook with some of its members replaced or added."""
    replaced = dict(replaced)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, replaced.pop(member.filename, source.read(member)))
        for name, data in replaced.items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_a_100_000_row_workbook_is_refused_after_reading_just_over_the_limit(
    huge_xlsx, monkeypatch
):
    assert len(huge_xlsx) < imports.MAX_BYTES  # the row limit refuses it, not the size
    read_cells = []
    original = imports.cell_text
    monkeypatch.setattr(imports, "cell_text", lambda value: read_cells.append(1) or original(value))

    with pytest.raises(ImportFileError) as refused:
        read_table(uploaded(huge_xlsx))

    assert "Le fichier compte trop de lignes (plus de 5\u202f000)" in refused.value.message
    # The header and the rows up to the first one over the limit, three cells each: the
    # 95 000 rows after it are never read. (Opening it, openpyxl parses the sheet once
    # for its size, which this workbook does not declare: MAX_UNPACKED_BYTES bounds it.)
    assert len(read_cells) == (1 + MAX_ROWS + 1) * 3


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_organisations_upload_of_100_000_rows_answers_in_french_and_keeps_nothing(
    client, huge_xlsx, extension
):
    client.force_login(UserFactory(admin=True))
    if extension == "xlsx":
        content = huge_xlsx
    else:
        content = ("\ufeffnom;type;département\r\n" + "Melle;Commune;79\r\n" * HUGE).encode()

    response = client.post(
        reverse("partners:import"), {"fichier": uploaded(content, f"grand.{extension}")}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Le fichier compte trop de lignes (plus de 5\u202f000)" in page
    assert 'class="fr-error-text"' in page  # next to the file field
    assert not client.session.get(SESSION_KEY)
    assert not Organisation.objects.exists()


def test_a_100_000_row_csv_is_refused_after_reading_just_over_the_limit():
    content = "\ufeffnom;type;département\r\n" + "Commune;Commune;79\r\n" * HUGE
    lines_read = []
    original = imports._csv_lines

    def counted(data):
        for line in original(data):
            lines_read.append(line)
            yield line

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(imports, "_csv_lines", counted)
        with pytest.raises(ImportFileError) as refused:
            read_table(uploaded(content.encode(), "grand.csv"))

    assert "Le fichier compte trop de lignes (plus de 5\u202f000)" in refused.value.message
    assert len(lines_read) == 1 + MAX_ROWS + 1


def test_a_workbook_that_unpacks_into_gigabytes_is_refused_before_it_is_opened(monkeypatch):
    # 200 Mo of zeros deflate into some 200 Ko: the file passes the 5 Mo limit.
    bomb = rezipped(small_xlsx(["nom"], ["Melle"]), {"xl/media/image1.bin": bytes(200 * 2**20)})
    assert len(bomb) < imports.MAX_BYTES

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(imports, "load_workbook", never)
    with pytest.raises(ImportFileError) as refused:
        read_table(uploaded(bomb))

    assert "une fois décompressé" in refused.value.message
    assert "limité à 50,0 Mo" in refused.value.message


def test_a_sheet_declaring_a_million_blank_lines_is_refused_quickly():
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "nom"
    workbook.active["A2"] = "Melle"
    workbook.active["A1048576"] = "fin"
    buffer = io.BytesIO()
    workbook.save(buffer)

    with pytest.raises(ImportFileError) as refused:
        read_table(uploaded(buffer.getvalue()))

    assert "trop de lignes, vides comprises (plus de 10\u202f000)" in refused.value.message


@pytest.mark.parametrize(
    "damage",
    ["truncated", "sheet-cut-short", "sheet-missing"],
)
def test_a_damaged_workbook_gets_a_french_message(damage):
    content = small_xlsx(["nom", "type"], ["Melle", "Commune"])
    if damage == "truncated":
        content = content[: len(content) // 2]
    elif damage == "sheet-cut-short":
        content = rezipped(content, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"})
    else:
        source = zipfile.ZipFile(io.BytesIO(content))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for member in source.infolist():
                if member.filename != "xl/worksheets/sheet1.xml":
                    target.writestr(member, source.read(member))
        content = buffer.getvalue()

    with pytest.raises(ImportFileError) as refused:
        read_table(uploaded(content))

    assert refused.value.message == (
        "Ce classeur ne peut pas être lu : enregistrez-le au format XLSX ou CSV."
    )


def test_a_workbook_named_csv_is_read_as_the_workbook_it_is():
    table = read_table(uploaded(small_xlsx(["nom"], ["Melle"]), "organisations.csv"))
    assert table.header == ["nom"]
    assert table.rows == [(2, ["Melle"])]


def test_a_pdf_named_xlsx_is_refused_in_french():
    pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 4 >>\nstream\n\x00\x01\x02\x03"
    with pytest.raises(ImportFileError) as refused:
        read_table(uploaded(pdf, "organisations.xlsx"))
    assert "ni un classeur XLSX ni un fichier CSV" in refused.value.message


def test_a_csv_saved_by_an_older_excel_in_windows_1252_keeps_its_accents():
    content = "nom;département;civilité\r\nCommune de Génolhac;30;Mme\r\nŒuvre « Noël »;79;\r\n"
    table = read_table(uploaded(content.encode("cp1252"), "organisations.csv"))
    assert table.header == ["nom", "département", "civilité"]
    assert table.rows == [
        (2, ["Commune de Génolhac", "30", "Mme"]),
        (3, ["Œuvre « Noël »", "79", ""]),
    ]


def test_a_utf_8_csv_without_byte_order_mark_is_read_as_utf_8():
    content = "nom;département\r\nCommune de Génolhac;30\r\n"
    table = read_table(uploaded(content.encode(), "organisations.csv"))
    assert table.rows == [(2, ["Commune de Génolhac", "30"])]
