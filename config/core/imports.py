"""Spreadsheets read back: the shared half of every import (statistics, partners, posts…).

An import is two requests. The upload reads the file (``read_table``), checks its
header (``check_header``) and keeps the cells server-side, in the session, under a
random token (``stash``): the preview page shows every row with what the import
would do to it or why it cannot. The confirmation reads the cells back by their
token (``unstash``), never from hidden fields, validates them again against the
database as it is now, and writes every row in one transaction, or none.

Files are XLSX (openpyxl, read-only, formulas read as their text, never computed)
or CSV as French Excel saves them: semicolons, a byte order mark, or Windows-1252
for an older Excel; commas are accepted too. A cell that starts with « = » is a
formula (typed or computed): the row is refused with a message, never evaluated.
"""

import csv
import datetime
import io
import secrets
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from config.core.uploads import megabytes

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# A workbook is a zip: 5 Mo of it may unpack into gigabytes (a « zip bomb »). openpyxl
# keeps the shared strings in memory even in read-only mode, and parses a sheet without
# a <dimension> (Excel writes one, openpyxl's write-only mode does not) to its end once
# when it opens it, before any row is read: the unpacked size bounds both. Ten times the
# file's limit leaves room for any honest workbook of 5 000 rows (some 20 Mo of XML for
# a hundred columns).
MAX_UNPACKED_BYTES = 10 * MAX_BYTES
# A sheet may declare a million rows or 16 384 columns and hold a few cells: openpyxl
# yields every row up to the last, padded to the last column. No column is read beyond
# this one, and no line beyond twice the row limit, blank lines included.
MAX_COLUMNS = 500
SESSION_KEY = "imports"
KEPT_IMPORTS = 3  # per session: a user may have two tabs open, not a hundred files
ZIP_MAGIC = b"PK\x03\x04"

# Statuses of a row in the preview, and their DSFR badge.
CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
STATUS_LABELS = {CREATE: "À créer", UPDATE: "À modifier", UNCHANGED: "Inchangée", ERROR: "Erreur"}
STATUS_BADGES = {CREATE: "success", UPDATE: "info", UNCHANGED: "new", ERROR: "error"}


class ImportFileError(ValidationError):
    """The file as a whole cannot be imported: its message goes next to the file field."""


@dataclass(frozen=True)
class Column:
    name: str  # as written in the template's header
    required: bool = True
    aliases: tuple[str, ...] = ()
    help_text: str = ""


@dataclass
class Table:
    header: list[str]
    # (line number in the file, cells as text), blank lines left out
    rows: list[tuple[int, list[str]]]


@dataclass
class RowResult:
    line: int
    cells: dict[str, str]
    status: str = CREATE
    messages: list[str] = field(default_factory=list)
    label: str = ""  # what the row is about, in a few words (« janvier 2025 »)
    payload: object = None  # what the writer needs, computed by the check

    def refuse(self, message: str) -> None:
        self.status = ERROR
        self.messages.append(message)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]


def normalised(name: str) -> str:
    """« Mois », « mois », « MOIS » are the same column; accents and spaces do not matter."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("_", " ").split())


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_table(file, *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> Table:
    """The header and the non-blank rows of an uploaded XLSX or CSV file, as text."""
    if file.size > max_bytes:
        raise ImportFileError(
            f"Le fichier pèse {megabytes(file.size)} Mo : un import est limité à "
            f"{megabytes(max_bytes)} Mo. Découpez-le en plusieurs fichiers."
        )
    file.seek(0)
    content = file.read()
    if not content:
        raise ImportFileError("Le fichier est vide.")
    lines = _xlsx_lines(content) if content.startswith(ZIP_MAGIC) else _csv_lines(content)
    header, rows = None, []
    # A generator: reading stops at the first line over a limit, the rest of the file is
    # never unpacked nor parsed.
    max_lines = 2 * max_rows
    for scanned, (number, cells) in enumerate(lines, start=1):
        if scanned > max_lines:
            raise ImportFileError(
                f"Le fichier compte trop de lignes, vides comprises (plus de "
                f"{_count(max_lines)}) : supprimez les lignes vides et gardez-en au plus "
                f"{_count(max_rows)}."
            )
        if not any(cells):
            continue
        if header is None:
            header = cells
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(
                f"Le fichier compte trop de lignes (plus de {_count(max_rows)}) : un import "
                f"est limité à {_count(max_rows)} lignes. Découpez-le en plusieurs fichiers."
            )
        rows.append((number, cells))
    if header is None:
        raise ImportFileError("Le fichier est vide : la première ligne doit porter les colonnes.")
    if not rows:
        raise ImportFileError("Le fichier ne contient que la ligne des colonnes : aucune ligne.")
    return Table(header=header, rows=rows)


# What a damaged workbook raises as openpyxl unpacks and parses it: a broken zip, a
# corrupted deflate stream, XML cut short (ElementTree's and lxml's ParseError are
# SyntaxErrors), a part or the sheet missing.
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    SyntaxError,
    EOFError,
    LookupError,
    OSError,
    ValueError,
)


def _count(number: int) -> str:
    """5 000, with the narrow no-break space French puts between thousands."""
    return f"{number:,}".replace(",", "\u202f")


def _xlsx_lines(content: bytes):
    unreadable = "Ce classeur ne peut pas être lu : enregistrez-le au format XLSX ou CSV."
    try:
        # What the members declare is what zipfile unpacks at the most.
        unpacked = sum(
            member.file_size for member in zipfile.ZipFile(io.BytesIO(content)).infolist()
        )
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(unreadable) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            f"Ce classeur occupe {megabytes(unpacked)} Mo une fois décompressé : un import est "
            f"limité à {megabytes(MAX_UNPACKED_BYTES)} Mo. Enregistrez-le au format CSV ou "
            "découpez-le en plusieurs fichiers."
        )
    try:
        # data_only=False: a formula comes back as its text (« =SUM(B2:B4) »), which the
        # row check refuses; nothing of the file is ever computed.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (InvalidFileException, *UNREADABLE) as error:
        raise ImportFileError(unreadable) from error
    try:
        sheet = workbook.worksheets[0]
        # openpyxl pads every row to max_col: the sheet's own last column, if it says.
        last_column = min(sheet.max_column, MAX_COLUMNS) if sheet.max_column else None
        rows = sheet.iter_rows(max_col=last_column, values_only=True)
        for number, row in enumerate(rows, start=1):
            yield number, [cell_text(value) for value in row[:MAX_COLUMNS]]
    except UNREADABLE as error:
        raise ImportFileError(unreadable) from error
    finally:
        workbook.close()


def _csv_lines(content: bytes):
    if b"\x00" in content[:4096]:
        raise ImportFileError(
            "Ce fichier n'est ni un classeur XLSX ni un fichier CSV : enregistrez-le dans "
            "l'un de ces formats."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older versions of Excel save « CSV (séparateur : point-virgule) » in Windows-1252.
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in row]
    except csv.Error as error:
        raise ImportFileError(
            f"Le fichier CSV est mal formé (ligne {reader.line_num}) : vérifiez les guillemets."
        ) from error


def check_header(header: list[str], columns: list[Column]) -> dict[str, int]:
    """{column name: position in the file}; a French message lists what is missing or unknown."""
    known = {}
    for column in columns:
        for alias in (column.name, *column.aliases):
            known[normalised(alias)] = column.name
    positions, unknown, twice = {}, [], []
    for position, title in enumerate(header):
        if not title:
            continue
        name = known.get(normalised(title))
        if name is None:
            unknown.append(title)
        elif name in positions:
            twice.append(title)
        else:
            positions[name] = position
    missing = [c.name for c in columns if c.required and c.name not in positions]
    problems = []
    if missing:
        problems.append("colonnes manquantes : " + ", ".join(f"« {m} »" for m in missing))
    if unknown:
        problems.append("colonnes inconnues : " + ", ".join(f"« {u} »" for u in unknown))
    if twice:
        problems.append("colonnes en double : " + ", ".join(f"« {t} »" for t in twice))
    if problems:
        raise ImportFileError(
            "Les colonnes du fichier ne sont pas celles du modèle ("
            + " ; ".join(problems)
            + "). Téléchargez le modèle et gardez sa première ligne."
        )
    return positions


def row_cells(table: Table, positions: dict[str, int]) -> list[RowResult]:
    """One result a row, its cells by column name; formulas and duplicate rows refused."""
    results, seen = [], {}
    for line, cells in table.rows:
        by_name = {
            name: cells[position] if position < len(cells) else ""
            for name, position in positions.items()
        }
        result = RowResult(line=line, cells=by_name)
        formulas = [name for name, value in by_name.items() if value.startswith("=")]
        if formulas:
            result.refuse(
                "Formule refusée dans "
                + ", ".join(f"« {name} »" for name in formulas)
                + " : saisissez la valeur elle-même (l'import ne calcule aucune formule)."
            )
        key = tuple(sorted(by_name.items()))
        if key in seen:
            result.refuse(f"Ligne en double : identique à la ligne {seen[key]}.")
        else:
            seen[key] = line
        results.append(result)
    return results


def summary(results: list[RowResult]) -> dict[str, int]:
    counts = dict.fromkeys((CREATE, UPDATE, UNCHANGED, ERROR), 0)
    for result in results:
        counts[result.status] += 1
    return counts


def summary_message(counts: dict[str, int]) -> str:
    created, updated, unchanged = counts[CREATE], counts[UPDATE], counts[UNCHANGED]
    return (
        f"{created} créé{'s' if created > 1 else ''}, "
        f"{updated} modifié{'s' if updated > 1 else ''}, "
        f"{unchanged} inchangé{'s' if unchanged > 1 else ''}."
    )


def stash(session, *, kind: str, subject: str, name: str, table: Table) -> str:
    """Keep the cells of an uploaded file for its confirmation; returns their token."""
    token = secrets.token_urlsafe(24)
    kept = dict(session.get(SESSION_KEY, {}))
    while len(kept) >= KEPT_IMPORTS:
        kept.pop(next(iter(kept)))
    kept[token] = {
        "kind": kind,
        "subject": subject,
        "name": name,
        "header": table.header,
        "rows": table.rows,
    }
    session[SESSION_KEY] = kept
    return token


def unstash(session, token: str, *, kind: str, subject: str) -> tuple[str, Table] | None:
    """The file name and cells kept under ``token`` for this kind of import and this subject
    (a post, an organisation…); None once confirmed, expired or meant for another page."""
    kept = session.get(SESSION_KEY, {}).get(token)
    if not kept or kept["kind"] != kind or kept["subject"] != subject:
        return None
    rows = [(line, list(cells)) for line, cells in kept["rows"]]
    return kept["name"], Table(header=kept["header"], rows=rows)


def forget(session, token: str) -> None:
    kept = dict(session.get(SESSION_KEY, {}))
    if kept.pop(token, None) is not None:
        session[SESSION_KEY] = kept


class ImportUploadForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier à importer (XLSX ou CSV, 5 Mo et 5 000 lignes au plus)",
        help_text="Le modèle ci-dessus, rempli. Rien n'est enregistré avant votre confirmation.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument"
                ".spreadsheetml.sheet",
                "data-upload-progress": "",
            }
        ),
        error_messages={
            "required": "Choisissez le fichier à importer.",
            "empty": "Le fichier est vide.",
        },
    )

    def clean_fichier(self) -> Table:
        return read_table(self.cleaned_data["fichier"])
