"""The SCDL schemas as field specifications, and the check of every value against them.

No invalid file leaves the application: ``validate_rows`` checks each value
against its ``FieldSpec`` before ``to_csv`` writes the file (CSV in UTF-8 with
commas and the schema's header row).
"""

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from config.core.spreadsheets import neutralised

DIGITS_14 = r"^\d{14}$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
INTEGER = r"^\d+$"
DECIMAL = r"^\d+(\.\d+)?$"

# Subdivisions of each level-1 matter of the ACTES nomenclature ("7.5" exists,
# "7.11" does not), as the schema lists them, and the level-1 names that make
# the "matière/sous-matière" name it asks for ("finances locales/subventions").
ACTES_MATTERS = {
    "1": ("commande publique", 7),
    "2": ("urbanisme", 3),
    "3": ("domaine et patrimoine", 6),
    "4": ("fonction publique", 5),
    "5": ("institutions et vie politique", 8),
    "6": ("libertés publiques et pouvoirs de police", 5),
    "7": ("finances locales", 10),
    "8": ("domaines de compétences par thèmes", 9),
    "9": ("autres domaines de compétences", 4),
}


def check_actes_code(value: str) -> str | None:
    main, _, sub = value.partition(".")
    if main in ACTES_MATTERS and sub.isdigit() and 1 <= int(sub) <= ACTES_MATTERS[main][1]:
        return None
    return "ce code n'existe pas dans la nomenclature ACTES (de 1.1 à 9.4)"


def check_iso_dates(value: str) -> str | None:
    for part in value.split("/"):
        try:
            datetime.date.fromisoformat(part)
        except ValueError:
            return f"« {part} » n'est pas une date du calendrier"
    return None


def check_uri(value: str) -> str | None:
    if re.match(r"^https?://[^\s/]+", value):
        return None
    return "ce n'est pas une adresse web complète (http:// ou https://)"


def check_between(low: str, high: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return "ce n'est pas un nombre"
        if Decimal(low) <= number <= Decimal(high):
            return None
        return f"la valeur doit être comprise entre {low} et {high}"

    return check


def check_positive(value: str) -> str | None:
    return None if Decimal(value) > 0 else "le montant doit être positif"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool = False
    pattern: str | None = None
    format_hint: str = ""  # the expected format, in French, for the messages
    allowed: tuple[str, ...] = ()
    max_length: int | None = None
    check: Callable[[str], str | None] | None = None  # a rule no pattern can say


@dataclass(frozen=True)
class Schema:
    title: str
    name: str
    version: str
    fields: tuple[FieldSpec, ...]
    filename: str
    description: str  # what one row is, for the open-data page

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def label(self) -> str:
        return f"{self.title} (SCDL {self.version})"


def _date(name, required=False):
    return FieldSpec(name, required, ISO_DATE, "une date AAAA-MM-JJ", check=check_iso_dates)


def _integer(name):
    return FieldSpec(name, pattern=INTEGER, format_hint="un nombre entier")


def _siret(name, required=True):
    return FieldSpec(name, required, DIGITS_14, "14 chiffres (SIRET)")


DELIBERATIONS = Schema(
    title="Délibérations",
    name="scdl/deliberations",
    version="2.1.5",
    filename="deliberations-scdl-2.1.5.csv",
    description="Une ligne par délibération adoptée : collectivité, numéro, date, matière ACTES, "
    "objet, années budgétaires, contrôle de légalité, décompte des votes et lien vers "
    "l'extrait du registre.",
    fields=(
        FieldSpec("COLL_NOM", required=True),
        _siret("COLL_SIRET"),
        FieldSpec("DELIB_ID", required=True),
        _date("DELIB_DATE", required=True),
        FieldSpec(
            "DELIB_MATIERE_CODE",
            required=True,
            pattern=r"^\d\.\d{1,2}$",
            format_hint="un code ACTES comme 7.5",
            check=check_actes_code,
        ),
        FieldSpec("DELIB_MATIERE_NOM", required=True),
        FieldSpec("DELIB_OBJET", required=True),
        FieldSpec(
            "BUDGET_ANNEE", pattern=r"^[0-9]{4}(\/[0-9]{4})?$", format_hint="AAAA ou AAAA/AAAA"
        ),
        FieldSpec("BUDGET_NOM"),
        FieldSpec(
            "PREF_ID",
            pattern=r"^(PREF|SGAR)(\d{3}|02[AB])$|^SPREF(\d{3}|02[AB])\d$",
            format_hint="PREF suivi du département sur 3 caractères, comme PREF079",
        ),
        _date("PREF_DATE"),
        _integer("VOTE_EFFECTIF"),
        _integer("VOTE_REEL"),
        _integer("VOTE_POUR"),
        _integer("VOTE_CONTRE"),
        _integer("VOTE_ABSTENTION"),
        FieldSpec("DELIB_URL", check=check_uri),
    ),
)

SUBSIDY_NATURES = (
    "aide en numéraire",
    "aide en nature",
    "aide en numéraire;aide en nature",
    "aide en nature;aide en numéraire",
)

SUBSIDIES = Schema(
    title="Subventions",
    name="scdl/subventions",
    version="2.1.1",
    filename="subventions-scdl-2.1.1.csv",
    description="Une ligne par financeur public et par année budgétaire : qui attribue, à "
    "quel bénéficiaire (en général l'employeur de l'intervenant social), au titre de quelle "
    "convention et de quelle décision, pour quel montant attendu et à quelles dates de "
    "versement.",
    fields=(
        FieldSpec("nomAttribuant", required=True),
        _siret("idAttribuant"),
        _date("dateConvention", required=True),
        FieldSpec("referenceDecision"),
        FieldSpec("nomBeneficiaire", required=True),
        # Optional in the schema's table, "obligatoire" in its description; the
        # application always knows its partners' SIRET, so it always gives it.
        _siret("idBeneficiaire"),
        FieldSpec("rnaBeneficiaire", pattern=r"^W\d{9}$", format_hint="W suivi de 9 chiffres"),
        FieldSpec("objet", required=True, max_length=255),
        FieldSpec(
            "montant",
            required=True,
            pattern=DECIMAL,
            format_hint="un nombre avec un point décimal, comme 5000.00",
            check=check_positive,
        ),
        FieldSpec("nature", required=True, allowed=SUBSIDY_NATURES),
        FieldSpec("conditionsVersement", required=True, max_length=255),
        FieldSpec(
            "datesPeriodeVersement",
            required=True,
            pattern=r"^[0-9]{4}\-[0-9]{2}\-[0-9]{2}(\/[0-9]{4}\-[0-9]{2}\-[0-9]{2})?$",
            format_hint="AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ",
            check=check_iso_dates,
        ),
        FieldSpec("idRAE", max_length=4),
        FieldSpec("notificationUE", required=True, allowed=("oui", "non")),
        FieldSpec(
            "pourcentageSubvention",
            required=True,
            pattern=DECIMAL,
            format_hint="un nombre décimal avec un point, comme 1.00",
            check=check_between("0.01", "1"),
        ),
        FieldSpec("dispositifAide"),
    ),
)


def validate_rows(schema: Schema, rows: list[dict[str, str]]) -> list[str]:
    """Every departure from the schema, in French, by CSV line (the header is line 1)."""
    problems = []
    header = schema.header
    for line, row in enumerate(rows, start=2):
        where = f"Ligne {line}"
        if list(row) != header:
            problems.append(
                f"{where} : les colonnes ne sont pas celles du schéma "
                f"({', '.join(row)} au lieu de {', '.join(header)})."
            )
            continue
        for spec in schema.fields:
            value = row[spec.name]
            if not isinstance(value, str):
                problems.append(f"{where}, {spec.name} : la valeur n'est pas du texte.")
                continue
            if value == "":
                if spec.required:
                    problems.append(f"{where}, {spec.name} : valeur obligatoire manquante.")
                continue
            problem = _problem(spec, value)
            if problem:
                problems.append(f"{where}, {spec.name} « {value[:60]} » : {problem}.")
    return problems


def _problem(spec: FieldSpec, value: str) -> str | None:
    if value != value.strip() or "\n" in value or "\r" in value:
        return "espaces en trop ou retour à la ligne"
    if spec.pattern and not re.search(spec.pattern, value):
        return f"format attendu : {spec.format_hint or spec.pattern}"
    if spec.allowed and value not in spec.allowed:
        return "valeur non autorisée (" + ", ".join(f"« {a} »" for a in spec.allowed) + ")"
    if spec.max_length is not None and len(value) > spec.max_length:
        return f"{len(value)} caractères, {spec.max_length} au plus"
    if spec.check:
        return spec.check(value)
    return None


def to_csv(schema: Schema, rows: list[dict[str, str]]) -> bytes:
    """The file as data.gouv.fr expects it: UTF-8 (no byte order mark), commas."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=schema.header)
    writer.writeheader()
    # Typed text (an object, a name) never becomes a formula in the spreadsheet that opens it.
    writer.writerows({name: neutralised(value) for name, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")
