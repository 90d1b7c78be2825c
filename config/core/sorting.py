"""Sortable lists: ``?tri=titre`` / ``?tri=-titre`` read against a whitelist of columns.

A list declares its sortable columns once (``SortColumn``); ``Sorting.from_query``
reads ``tri`` from the query string and ignores any key it does not know, so a
hand-edited address shows the default order instead of an error. The headers carry
the links that keep the filters (and drop the page number: a new order starts at the
first page) and the ``aria-sort`` state of the column the list is sorted by.
"""

from dataclasses import dataclass

from django.http import QueryDict

SORT_PARAMETER = "tri"


@dataclass(frozen=True)
class SortColumn:
    key: str  # what the address says: "titre"
    label: str  # what the header says: "Titre"
    fields: tuple[str, ...]  # what the queryset is ordered by, ascending


@dataclass(frozen=True)
class SortHeader:
    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "" when the list is not sorted by it
    action: str  # the link's accessible name: « Trier par titre, ordre croissant »


@dataclass(frozen=True)
class Sorting:
    columns: tuple[SortColumn, ...]
    column: SortColumn
    descending: bool
    query: QueryDict

    @classmethod
    def from_query(cls, query: QueryDict, columns, *, default: str) -> "Sorting":
        """``default`` is a key, with a leading "-" for a descending order."""
        by_key = {column.key: column for column in columns}
        asked = query.get(SORT_PARAMETER, "")
        if asked.removeprefix("-") not in by_key:
            asked = default
        return cls(
            columns=tuple(columns),
            column=by_key[asked.removeprefix("-")],
            descending=asked.startswith("-"),
            query=query,
        )

    @property
    def value(self) -> str:
        return f"{'-' if self.descending else ''}{self.column.key}"

    def order_by(self) -> list[str]:
        """The order for ``QuerySet.order_by``; the primary key breaks ties so that pages
        do not repeat or skip a row."""
        sign = "-" if self.descending else ""
        return [f"{sign}{field}" for field in self.column.fields] + [f"{sign}pk"]

    def apply(self, queryset):
        return queryset.order_by(*self.order_by())

    def _url(self, value: str) -> str:
        query = self.query.copy()
        query.pop("page", None)
        query[SORT_PARAMETER] = value
        return f"?{query.urlencode()}"

    def headers(self) -> dict[str, SortHeader]:
        """One header per column, by key, for the template: ``headers.titre``."""
        result = {}
        for column in self.columns:
            current = column == self.column
            descending_next = current and not self.descending
            result[column.key] = SortHeader(
                label=column.label,
                url=self._url(f"{'-' if descending_next else ''}{column.key}"),
                aria_sort=(("descending" if self.descending else "ascending") if current else ""),
                action=(
                    f"Trier par {column.label.lower()}, ordre "
                    f"{'décroissant' if descending_next else 'croissant'}"
                ),
            )
        return result
