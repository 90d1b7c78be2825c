"""Home-page sections: dated items, overdue first, shared by every app's dashboard."""

import datetime
from dataclasses import dataclass, field

# Nationally a section may hold a thousand items: the first ones (overdue first) are shown,
# then how many more and where to find them all.
SHOWN_ITEMS = 50


@dataclass(frozen=True)
class Item:
    text: str
    url: str
    date: datetime.date | None = None
    overdue: bool = False
    detail: str = ""
    # An overdue item says since when and why: « En retard depuis le 16 octobre 2026 : … ».
    late_since: datetime.date | None = None
    late_reason: str = ""

    def __post_init__(self):
        if self.overdue and not (self.late_since and self.late_reason):
            raise ValueError(f"An overdue item says since when and why: {self.text}")

    def sort_key(self):
        # Overdue first, then by date; undated items last.
        return (not self.overdue, self.date or datetime.date.max, self.text)


@dataclass
class Section:
    slug: str
    title: str
    items: list[Item] = field(default_factory=list)
    empty: str = "Rien à signaler."
    table: tuple[list[str], list[list[str]]] | None = None
    more_url: str = ""  # the full list, when the section shows only the first items

    def __post_init__(self):
        self.items.sort(key=Item.sort_key)

    @property
    def shown(self) -> list[Item]:
        return self.items[:SHOWN_ITEMS]

    @property
    def hidden_count(self) -> int:
        return max(len(self.items) - SHOWN_ITEMS, 0)
