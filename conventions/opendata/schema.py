"""The SCDL schemas, read from their official ``schema.json`` (``schemas/``), and the
check of every value against them.

No invalid file leaves the application: ``validate_rows`` checks each value
against its ``FieldSpec`` (table-schema: type, required, pattern, enum, length,
bounds) and each row against the schema's ``custom_checks`` (the rules the
official validator, validata, adds: SIRET keys, columns given together, vote
sums…) before ``to_csv`` writes the file (CSV in UTF-8 with commas and the
schema's header row). What the JSON says is not copied here by hand: a new
version of a schema is a new file in ``schemas/``.
"""

import csv
import datetime
import io
import json
import operator
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from stdnum.fr import siret

from config.core.spreadsheets import neutralised

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"

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


def check_between(low: str | None, high: str | None) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return "ce n'est pas un nombre"
        if (low is None or Decimal(low) <= number) and (high is None or number <= Decimal(high)):
            return None
        if high is None:
            return f"la valeur doit être au moins {low}"
        if low is None:
            return f"la valeur doit être au plus {high}"
        return f"la valeur doit être comprise entre {low} et {high}"

    return check


def check_positive(value: str) -> str | None:
    return None if Decimal(value) > 0 else "le montant doit être positif"


def check_siret(value: str) -> str | None:
    if siret.is_valid(value):
        return None
    return "ce n'est pas un SIRET valide (clé de contrôle du SIRET ou du SIREN incorrecte)"


def check_year_interval(allow_year_only: bool) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        match = re.fullmatch(r"(\d{4})/(\d{4})", value)
        if match is None:
            if allow_year_only and re.fullmatch(r"\d{4}", value):
                return None
            return "une année AAAA ou deux années AAAA/AAAA sont attendues"
        if int(match[1]) >= int(match[2]):
            return "la seconde année doit suivre la première"
        return None

    return check


def _plain(text: str) -> str:
    """Lower case, without accents: how the validator compares ACTES names."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def check_actes_name(value: str) -> str | None:
    main, slash, _ = value.partition("/")
    if not slash:
        return "la matière et la sous-matière sont séparées par « / »"
    if main != main.strip() or value[len(main) + 1 : len(main) + 2] == " ":
        return "pas d'espace autour de « / »"
    if _plain(main) not in {_plain(name) for name, _ in ACTES_MATTERS.values()}:
        return f"« {main} » n'est pas une matière de la nomenclature ACTES"
    return None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool = False
    pattern: str | None = None
    format_hint: str = ""  # the expected format, in French, for the messages
    allowed: tuple[str, ...] = ()
    max_length: int | None = None
    checks: tuple[Callable[[str], str | None], ...] = ()  # rules no pattern can say


# A rule between the cells of one row: the row -> [(column, problem)].
RowCheck = Callable[[dict[str, str]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Schema:
    title: str
    name: str
    version: str
    fields: tuple[FieldSpec, ...]
    filename: str
    description: str  # what one row is, for the open-data page
    row_checks: tuple[RowCheck, ...] = field(default=())

    @property
    def header(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def label(self) -> str:
        return f"{self.title} (SCDL {self.version})"


# What table-schema types mean for a CSV cell.
TYPES = {
    "date": (ISO_DATE, "une date AAAA-MM-JJ", (check_iso_dates,)),
    "integer": (INTEGER, "un nombre entier", ()),
    "number": (DECIMAL, "un nombre avec un point décimal, comme 5000.00", ()),
}


@dataclass(frozen=True)
class Extra:
    """What the application adds to the official field: a French hint, a stricter rule."""

    format_hint: str = ""
    pattern: str | None = None  # only where the schema gives none
    required: bool = False
    checks: tuple[Callable[[str], str | None], ...] = ()


def _field(descriptor: dict, extra: Extra) -> FieldSpec:
    constraints = descriptor.get("constraints", {})
    pattern, hint, checks = TYPES.get(descriptor["type"], (None, "", ()))
    allowed = tuple(constraints.get("enum", ()))
    if descriptor["type"] == "boolean":
        allowed = tuple(descriptor.get("trueValues", ())) + tuple(descriptor.get("falseValues", ()))
    if "minimum" in constraints or "maximum" in constraints:
        # Through str: the JSON's 0.01 is a float, and Decimal(0.01) is not 0.01.
        low, high = (constraints.get(k) for k in ("minimum", "maximum"))
        checks += (check_between(*(None if b is None else str(b) for b in (low, high))),)
    if descriptor.get("format") == "uri":
        checks += (check_uri,)
    return FieldSpec(
        descriptor["name"],
        required=constraints.get("required", False) or extra.required,
        pattern=constraints.get("pattern") or pattern or extra.pattern,
        format_hint=extra.format_hint or hint,
        allowed=allowed,
        max_length=constraints.get("maxLength"),
        checks=checks + extra.checks,
    )


def _value_check(check: Callable[[str], str | None], column: str) -> RowCheck:
    def row_check(row):
        problem = check(row[column]) if row[column] else None
        return [(column, problem)] if problem else []

    return row_check


def _cohesive(column: str, others: list[str]) -> RowCheck:
    columns = [column, *others]

    def row_check(row):
        if len({row[c] == "" for c in columns}) == 1:
            return []
        return [(column, f"les colonnes {', '.join(columns)} sont toutes remplies ou toutes vides")]

    return row_check


COMPARISONS = {
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "<=": operator.le,
    "<": operator.lt,
}


def _as_comparable(value: str):
    try:
        return Decimal(value)
    except InvalidOperation:
        return value  # ISO dates compare as text


def _compare(column: str, op: str, column2: str) -> RowCheck:
    def row_check(row):
        if not row[column] or not row[column2]:
            return []
        if COMPARISONS[op](_as_comparable(row[column]), _as_comparable(row[column2])):
            return []
        return [(column, f"doit être {op} {column2} ({row[column2]})")]

    return row_check


def _sum(column: str, columns: list[str]) -> RowCheck:
    def row_check(row):
        if not all(row[c] for c in [column, *columns]):
            return []
        total = sum(int(row[c]) for c in columns)
        if total == int(row[column]):
            return []
        return [(column, f"doit valoir {' + '.join(columns)} = {total}")]

    return row_check


def _one_of(column1: str, column2: str) -> RowCheck:
    def row_check(row):
        if row[column1] or row[column2]:
            return []
        return [(column1, f"{column1} ou {column2} doit être rempli")]

    return row_check


# The custom checks that validata runs, by the name the schemas give them.
CUSTOM_CHECKS = {
    "french-siret-value": lambda p: _value_check(check_siret, p["column"]),
    "year-interval-value": lambda p: _value_check(
        check_year_interval(p.get("allow-year-only") in ("yes", "true")), p["column"]
    ),
    "nomenclature-actes-value": lambda p: _value_check(check_actes_name, p["column"]),
    "cohesive-columns-value": lambda p: _cohesive(p["column"], p["othercolumns"]),
    "compare-columns-value": lambda p: _compare(p["column"], p["op"], p["column2"]),
    "sum-columns-value": lambda p: _sum(p["column"], p["columns"]),
    "one-of-required": lambda p: _one_of(p["column1"], p["column2"]),
}


def official_schema(filename: str) -> dict:
    return json.loads((SCHEMAS_DIR / filename).read_text(encoding="utf-8"))


def load_schema(filename, *, title, output, description, extras) -> Schema:
    """The schema as its ``schema.json`` says, with the application's ``extras``.

    A custom check the application does not know stops the start: a new schema
    version must not be half checked.
    """
    official = official_schema(filename)
    fields = tuple(_field(d, extras.get(d["name"], Extra())) for d in official["fields"])
    row_checks = []
    for custom in official.get("custom_checks", []):
        if custom["name"] not in CUSTOM_CHECKS:
            raise ValueError(f"{filename}: contrôle « {custom['name']} » inconnu")
        row_checks.append(CUSTOM_CHECKS[custom["name"]](custom["params"]))
    return Schema(
        title=title,
        name=f"scdl/{official['name']}",
        version=official["version"],
        fields=fields,
        filename=output,
        description=description,
        row_checks=tuple(row_checks),
    )


SIRET_HINT = Extra(format_hint="14 chiffres (SIRET)")

DELIBERATIONS = load_schema(
    "deliberations-2.1.5.json",
    title="Délibérations",
    output="deliberations-scdl-2.1.5.csv",
    description="Une ligne par délibération adoptée : collectivité, numéro, date, matière ACTES, "
    "objet, années budgétaires, contrôle de légalité, décompte des votes et lien vers "
    "l'extrait du registre.",
    extras={
        "COLL_SIRET": SIRET_HINT,
        "DELIB_MATIERE_CODE": Extra(
            format_hint="un code ACTES comme 7.5", checks=(check_actes_code,)
        ),
        "BUDGET_ANNEE": Extra(format_hint="AAAA ou AAAA/AAAA"),
        # The schema's description, as a pattern: PREF + 3 characters, SPREF + 4, SGAR + 3.
        "PREF_ID": Extra(
            pattern=r"^(PREF|SGAR)(\d{3}|02[AB])$|^SPREF(\d{3}|02[AB])\d$",
            format_hint="PREF suivi du département sur 3 caractères, comme PREF079",
        ),
    },
)

SUBSIDIES = load_schema(
    "subventions-2.1.1.json",
    title="Subventions",
    output="subventions-scdl-2.1.1.csv",
    description="Une ligne par subvention qu'accorde l'organisation et par année budgétaire : "
    "à quel bénéficiaire (en général l'employeur de l'intervenant social), au titre de quelle "
    "convention et de quelle décision, pour quel montant attendu et à quelles dates de "
    "versement.",
    extras={
        "idAttribuant": SIRET_HINT,
        # Optional in the schema's table, "obligatoire" in its description; the
        # application always knows its partners' SIRET, so it always gives it.
        "idBeneficiaire": Extra(format_hint="14 chiffres (SIRET)", required=True),
        "rnaBeneficiaire": Extra(format_hint="W suivi de 9 chiffres"),
        "montant": Extra(checks=(check_positive,)),
        "datesPeriodeVersement": Extra(
            format_hint="AAAA-MM-JJ ou AAAA-MM-JJ/AAAA-MM-JJ", checks=(check_iso_dates,)
        ),
        "pourcentageSubvention": Extra(format_hint="un nombre décimal avec un point, comme 1.00"),
    },
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
        if not all(isinstance(value, str) for value in row.values()):
            problems.append(f"{where} : une valeur n'est pas du texte.")
            continue
        valid = True
        for spec in schema.fields:
            value = row[spec.name]
            if value == "":
                if spec.required:
                    problems.append(f"{where}, {spec.name} : valeur obligatoire manquante.")
                    valid = False
                continue
            problem = _problem(spec, value)
            if problem:
                problems.append(f"{where}, {spec.name} « {value[:60]} » : {problem}.")
                valid = False
        if valid:  # the rules between cells read well-formed cells only
            for row_check in schema.row_checks:
                for column, problem in row_check(row):
                    problems.append(f"{where}, {column} « {row[column][:60]} » : {problem}.")
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
    for check in spec.checks:
        problem = check(value)
        if problem:
            return problem
    return None


def to_csv(schema: Schema, rows: list[dict[str, str]]) -> bytes:
    """The file as data.gouv.fr expects it: UTF-8 (no byte order mark), commas."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=schema.header)
    writer.writeheader()
    # Typed text (an object, a name) never becomes a formula in the spreadsheet that opens it.
    writer.writerows({name: neutralised(value) for name, value in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")
