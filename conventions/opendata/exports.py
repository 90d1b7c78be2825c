"""Open-data exports in the SCDL schemas of data.gouv.fr, and their validation.

Two files, CSV in UTF-8 with commas and the schema's header row:

- "Délibérations" 2.1.5, one row per deliberation the reader may see. Only
  deliberations whose text the application holds and that the assembly
  adopted are exported. A deliberation only cited by a convention (Ermont's
  3-15 of the Département du Val-d'Oise) is left out: the application knows
  its number, date and a paraphrase of its object, not the act; its author
  publishes it in its own dataset, and a second-hand row under the author's
  SIRET would compete with it. A rejected deliberation is left out too: the
  schema describes adopted ones ("date d'adoption").
- "Subventions" 2.1.1, one row per contribution and budget year that a public
  body pays to another organisation, the beneficiary of the convention's
  payments (France Victimes 79, Val Parisis). The employer's own balance
  (payer = beneficiary) is no subsidy, and neither is money an association
  pays. The amount is the expected amount of the year in the ``FundingPlan``
  (the funding page's number); only signed conventions are exported, as a
  subsidy is granted by the signed convention (``dateConvention``).

The schema of each file is a list of ``FieldSpec``; ``validate_rows`` checks
every value against it, so that no invalid file leaves the application. What
a row needs and the application lacks (a SIRET, an ACTES code, a post cost) is
reported as ``MissingData``, with the page where to fill it in, instead of a
row with a hole.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from conventions.enums import AttendanceStatus, DeliberationResult
from conventions.funding.plan import funding_plan
from conventions.models import Contribution, Deliberation
from partners.enums import OrganisationKind

# Schemas -------------------------------------------------------------------------------

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
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# Exports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MissingData:
    """Something a row needs and the application lacks, and where to fill it in."""

    text: str
    url: str
    link_text: str


@dataclass
class Export:
    schema: Schema
    rows: list[dict[str, str]] = field(default_factory=list)
    missing: list[MissingData] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what is not exported, on purpose
    _missing_keys: set = field(default_factory=set, repr=False)

    def need(self, key, text, url, link_text):
        """Report missing data once, however many rows it spoils."""
        if key not in self._missing_keys:
            self._missing_keys.add(key)
            self.missing.append(MissingData(text, url, link_text))

    def need_siret(self, scope, organisation):
        if scope.can_edit_partners:
            url, link = reverse("partners:edit", args=[organisation.pk]), "Compléter la fiche"
        else:
            url = reverse("partners:detail", args=[organisation.pk])
            link = "Voir la fiche (un administrateur la complète)"
        self.need(
            ("siret", organisation.pk),
            f"{organisation.name} : le numéro SIRET n'est pas renseigné.",
            url,
            link,
        )

    @cached_property
    def problems(self) -> list[str]:
        """Read once the rows are built."""
        return validate_rows(self.schema, self.rows)

    @property
    def is_ready(self) -> bool:
        return not self.missing and not self.problems


def one_line(text: str) -> str:
    return " ".join(text.split())


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def prefecture_id(departement: str) -> str:
    """ "PREF079" for the Deux-Sèvres, "PREF02A" for Corse-du-Sud, "PREF971"."""
    return f"PREF{departement.zfill(3)}"


def matter_name(code: str, name: str) -> str:
    """The ACTES matter as the schema names it: "finances locales/subventions".

    A name already written "matière/sous-matière" is kept, in lower case.
    """
    name = re.sub(r"[,()]", "", one_line(name)).lower()
    main = ACTES_MATTERS.get(code.partition(".")[0])
    if "/" in name or main is None:
        return name
    return f"{main[0]}/{name}"


def year_span(years) -> str:
    years = sorted(set(years))
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}/{years[-1]}"


# Délibérations ---------------------------------------------------------------------------


def deliberations_for_export(scope):
    voting = [AttendanceStatus.PRESENT, AttendanceStatus.REPRESENTED]
    return (
        scope.deliberations()
        .select_related("organisation", "council")
        .prefetch_related(
            "council__members",
            "amounts",
            Prefetch(
                "funded_contributions",
                queryset=Contribution.objects.only(
                    "id", "legal_basis_id", "first_year", "last_year"
                ),
            ),
        )
        .annotate(
            sheet_size=Count("attendances"),
            voters=Count("attendances", filter=Q(attendances__status__in=voting)),
        )
        .order_by("session_date", "number", "pk")
    )


def budget_year(deliberation) -> str:
    """The budget years the decision weighs on: those of the amounts it decides and of
    the contributions it founds; its session's year when its amounts are yearly."""
    amounts = list(deliberation.amounts.all())
    years = {a.year for a in amounts if a.year}
    for contribution in deliberation.funded_contributions.all():
        years.update(range(contribution.first_year, contribution.last_year + 1))
    if not years and amounts:
        years = {deliberation.session_date.year}
    return year_span(years)


def deliberation_row(deliberation) -> dict[str, str]:
    organisation = deliberation.organisation
    members = deliberation.members_in_office
    votes = deliberation.has_vote
    return {
        "COLL_NOM": organisation.name,
        "COLL_SIRET": organisation.siret,
        "DELIB_ID": deliberation.number,
        "DELIB_DATE": deliberation.session_date.isoformat(),
        "DELIB_MATIERE_CODE": deliberation.matter_code,
        "DELIB_MATIERE_NOM": matter_name(deliberation.matter_code, deliberation.matter_name),
        "DELIB_OBJET": one_line(deliberation.object),
        "BUDGET_ANNEE": budget_year(deliberation),
        "BUDGET_NOM": "",
        "PREF_ID": prefecture_id(organisation.departement),
        "PREF_DATE": deliberation.transmitted_on.isoformat() if deliberation.transmitted_on else "",
        # Members in office, then those who took part: present or represented by a proxy.
        "VOTE_EFFECTIF": str(len(members)) if members else "",
        "VOTE_REEL": str(deliberation.voters) if deliberation.sheet_size else "",
        "VOTE_POUR": str(deliberation.votes_for) if votes else "",
        "VOTE_CONTRE": str(deliberation.votes_against or 0) if votes else "",
        "VOTE_ABSTENTION": str(deliberation.abstentions or 0) if votes else "",
        "DELIB_URL": absolute_url(reverse("conventions:deliberation_pdf", args=[deliberation.pk])),
    }


def deliberations_export(scope) -> Export:
    export = Export(DELIBERATIONS)
    cited, not_adopted = [], []
    for deliberation in deliberations_for_export(scope):
        if deliberation.is_reference_only:
            cited.append(deliberation)
            continue
        if deliberation.result != DeliberationResult.ADOPTED:
            not_adopted.append(deliberation)
            continue
        complete = True
        if not deliberation.organisation.siret:
            export.need_siret(scope, deliberation.organisation)
            complete = False
        lacking = [
            label
            for label, value in (
                ("le code matière ACTES", deliberation.matter_code),
                ("le nom de la matière ACTES", deliberation.matter_name),
                ("l'objet", deliberation.object.strip()),
            )
            if not value
        ]
        if lacking:
            _need_deliberation_fields(export, scope, deliberation, lacking)
            complete = False
        if complete:
            export.rows.append(deliberation_row(deliberation))
    if cited:
        export.left_out.append(
            f"Délibérations seulement citées ({_numbers(cited)}) : leur texte n'est pas dans "
            "l'application ; chaque organisation délibérante publie les siennes."
        )
    if not_adopted:
        export.left_out.append(
            f"Délibérations rejetées ou sans résultat saisi ({_numbers(not_adopted)}) : le "
            "schéma ne décrit que les délibérations adoptées."
        )
    return export


def _need_deliberation_fields(export, scope, deliberation, lacking):
    if scope.can_edit_deliberation(deliberation):
        url = reverse("conventions:deliberation_edit", args=[deliberation.pk])
        link = "Compléter la délibération"
    else:
        url = deliberation.get_absolute_url()
        link = f"Voir la délibération (à compléter par {deliberation.organisation})"
    listed = ", ".join(lacking[:-1]) + (" et " if len(lacking) > 1 else "") + lacking[-1]
    export.need(
        ("deliberation", deliberation.pk),
        f"Délibération n° {deliberation.number} ({deliberation.organisation}) : {listed} "
        f"{'ne sont pas renseignés' if len(lacking) > 1 else 'n’est pas renseigné'}.",
        url,
        link,
    )


def _numbers(deliberations) -> str:
    return ", ".join(d.number for d in deliberations[:5]) + (" …" if len(deliberations) > 5 else "")


# Subventions ---------------------------------------------------------------------------

# Who grants subsidies. An association or an "other" body pays with private money.
PUBLIC_BODIES = {
    OrganisationKind.STATE,
    OrganisationKind.POLICE,
    OrganisationKind.GENDARMERIE,
    OrganisationKind.COMMUNE,
    OrganisationKind.EPCI,
    OrganisationKind.DEPARTEMENT,
    OrganisationKind.SOCIAL_ACTION_CENTRE,
    OrganisationKind.PROSECUTION,
}

OBJECT_MAX = 255


def subsidy_object(convention, year) -> str:
    post = convention.post
    site = f" ({post.host_site})" if post is not None and post.host_site else ""
    text = (
        f"Cofinancement {year} du poste d'intervenant social en commissariat et gendarmerie"
        f"{site}, convention {convention.reference}"
    )
    return text if len(text) <= OBJECT_MAX else text[: OBJECT_MAX - 1] + "…"


def payment_terms(cell) -> tuple[str, str]:
    """conditionsVersement and datesPeriodeVersement of one year's contribution.

    One payment per year is expected (one due date): "unique", on the date of
    the payment when it was paid in full at once. Several payments, or a first
    one that leaves something due, make it "échelonné" over the period from
    the first payment to the last (the end of the year while something is due).
    Nothing paid yet: "unique", some time in the budget year.
    """
    year = cell.year
    payments = cell.payments
    whole_year = f"{year}-01-01/{year}-12-31"
    if not payments:
        return "unique", whole_year
    if len(payments) == 1 and not cell.remaining:
        return "unique", payments[0].date.isoformat()
    end = payments[-1].date if not cell.remaining else datetime.date(year, 12, 31)
    return "échelonné", f"{payments[0].date.isoformat()}/{end.isoformat()}"


def subsidy_row(convention, cell, beneficiary, decision) -> dict[str, str]:
    contribution = cell.contribution
    payer = contribution.organisation
    conditions, dates = payment_terms(cell)
    return {
        "nomAttribuant": payer.name,
        "idAttribuant": payer.siret,
        "dateConvention": convention.last_signature_date.isoformat(),
        "referenceDecision": decision,
        "nomBeneficiaire": beneficiary.name,
        "idBeneficiaire": beneficiary.siret,
        "rnaBeneficiaire": beneficiary.rna
        if beneficiary.kind == OrganisationKind.ASSOCIATION
        else "",
        "objet": subsidy_object(convention, cell.year),
        "montant": f"{cell.amount:.2f}",
        "nature": "aide en numéraire",
        "conditionsVersement": conditions,
        "datesPeriodeVersement": dates,
        "idRAE": "",
        "notificationUE": "non",
        # One beneficiary per subsidy: all of it.
        "pourcentageSubvention": "1.00",
        "dispositifAide": "FIPDR" if payer.kind == OrganisationKind.STATE else contribution.source,
    }


def subsidies_export(scope) -> Export:
    export = Export(SUBSIDIES)
    conventions = list(
        scope.conventions()
        .filter(is_template=False)
        .with_funding()
        .select_related("post__employer")
        .order_by("reference")
    )
    decision_ids = {
        c.legal_basis_id for cv in conventions for c in cv.contributions.all() if c.legal_basis_id
    }
    decisions = dict(
        Deliberation.objects.filter(pk__in=decision_ids).values_list("pk", "number")
        if decision_ids
        else []
    )
    unsigned = []
    for convention in conventions:
        if convention.last_signature_date is None:
            if convention.contributions.all():
                unsigned.append(convention.reference)
            continue
        for row in funding_plan(convention).rows:
            for cell in row.cells:
                if cell is not None:
                    _add_subsidy(export, scope, convention, cell, decisions)
    if unsigned:
        export.left_out.append(
            f"Conventions pas encore signées ({', '.join(unsigned)}) : une subvention n'est "
            "accordée qu'à la signature de la convention."
        )
    return export


def _add_subsidy(export, scope, convention, cell, decisions):
    contribution = cell.contribution
    payer = contribution.organisation
    beneficiary = contribution.beneficiary or (convention.post and convention.post.employer)
    if payer.kind not in PUBLIC_BODIES:
        return
    if beneficiary is None:
        export.need(
            ("beneficiary", contribution.pk),
            f"{convention.reference} : la contribution de {payer} n'a pas de bénéficiaire et "
            "la convention pas de poste (employeur).",
            reverse("conventions:contribution_update", args=[contribution.pk]),
            "Indiquer le bénéficiaire",
        )
        return
    if beneficiary.pk == payer.pk:
        return  # the employer's own share of its post: no subsidy
    if cell.amount is None:
        export.need(
            ("cost", convention.pk, cell.year),
            f"{convention.reference} : le coût du poste {cell.year} n'est pas renseigné, la "
            f"part de {payer} ne peut pas être calculée.",
            reverse("conventions:post_cost_edit", args=[convention.reference, cell.year])
            if scope.can_edit_convention(convention)
            else reverse("conventions:funding_plan", args=[convention.reference]),
            "Saisir le coût" if scope.can_edit_convention(convention) else "Voir le financement",
        )
        return
    if cell.amount == 0:
        return  # nothing granted that year
    complete = True
    for organisation in (payer, beneficiary):
        if not organisation.siret:
            export.need_siret(scope, organisation)
            complete = False
    if complete:
        decision = decisions.get(contribution.legal_basis_id, "")
        export.rows.append(subsidy_row(convention, cell, beneficiary, decision))
