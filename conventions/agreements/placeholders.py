"""Placeholders of model conventions, filled when a new draft is made from one.

A model convention's texts (articles, visas, preamble) may contain these
names between braces; each is replaced from the new draft's parties and post.
A placeholder with no value stays as written so that the author sees it.
"""

import re

from partners.enums import OrganisationKind

PLACEHOLDERS = {
    "employeur": "nom de l'employeur (la partie « employeur », sinon l'employeur du poste)",
    "autorite_fonctionnelle": "nom de l'autorité fonctionnelle (la partie, sinon celle du poste)",
    "site": "site d'accueil du poste, par exemple « Commissariat de Niort »",
    "commune": "nom de la commune partie à la convention, par exemple « Niort »",
    "etp": "part d'ETP du poste, par exemple « 1 » ou « 0,5 »",
    "prefet": "qualité du représentant de l'État, par exemple « Préfet des Deux-Sèvres »",
    "duree": "durée de la convention en toutes lettres, par exemple « trois ans »",
}

PLACEHOLDER_HELP = (
    "Champs remplis dans les textes du modèle : "
    + " ; ".join(f"{{{name}}} : {meaning}" for name, meaning in PLACEHOLDERS.items())
    + ". Les champs sans valeur restent tels quels, à compléter à la main."
)

_PATTERN = re.compile(r"\{(" + "|".join(PLACEHOLDERS) + r")\}")

NUMBERS = ["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"]
COMMUNE_PREFIXES = ("Commune de ", "Commune d'", "Commune d’", "Ville de ", "Ville d'", "Ville d’")


def duration_in_words(years: int | None) -> str:
    if not years:
        return ""
    words = NUMBERS[years - 1] if years <= len(NUMBERS) else str(years)
    return f"{words} an" if years == 1 else f"{words} ans"


def fte_text(fte) -> str:
    if fte is None:
        return ""
    text = f"{fte.normalize():f}"
    return text.replace(".", ",")


def commune_name(organisation_name: str) -> str:
    for prefix in COMMUNE_PREFIXES:
        if organisation_name.startswith(prefix):
            return organisation_name[len(prefix) :]
    return organisation_name


def placeholder_values(*, parties, post, duration_years) -> dict[str, str]:
    """Values for a draft, from its (unsaved or saved) parties and its post."""

    def party_where(condition):
        return next((p for p in parties if condition(p)), None)

    employer = party_where(lambda p: p.is_employer)
    functional = party_where(lambda p: p.is_functional_authority)
    commune = party_where(lambda p: p.organisation.kind == OrganisationKind.COMMUNE)
    state = party_where(lambda p: p.organisation.kind == OrganisationKind.STATE)
    values = {
        "employeur": employer.organisation.name if employer else "",
        "autorite_fonctionnelle": functional.organisation.name if functional else "",
        "site": post.site_names if post else "",
        "commune": commune_name(commune.organisation.name) if commune else "",
        "etp": fte_text(post.fte) if post else "",
        "prefet": state.representative.title if state and state.representative else "",
        "duree": duration_in_words(duration_years),
    }
    if post:
        values["employeur"] = values["employeur"] or post.employer.name
        values["autorite_fonctionnelle"] = (
            values["autorite_fonctionnelle"] or post.functional_authority_names
        )
    return values


def fill(text: str, values: dict[str, str]) -> str:
    return _PATTERN.sub(lambda m: values.get(m.group(1)) or m.group(0), text)


def unfilled(texts, values) -> list[str]:
    """Placeholders still present in ``texts`` because they had no value."""
    found = set()
    for text in texts:
        found.update(m.group(1) for m in _PATTERN.finditer(text) if not values.get(m.group(1)))
    return sorted(found)
