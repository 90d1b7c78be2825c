"""What an export holds (its rows, or the ``MissingData`` that prevents it), and the
value formats both SCDL files share.

What a row needs and the application lacks (a SIRET, an ACTES code, a post cost)
is reported as ``MissingData``, with the page where to fill it in, instead of a
row with a hole.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.urls import reverse

from conventions.opendata.schema import ACTES_MATTERS, Schema, validate_rows


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
        if scope.can_edit_organisation(organisation):
            url, link = reverse("partners:edit", args=[organisation.pk]), "Compléter la fiche"
        else:
            url = reverse("partners:detail", args=[organisation.pk])
            link = (
                "Voir la fiche (un administrateur ou une collectivité du département la complète)"
            )
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
