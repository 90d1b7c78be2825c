"""Typing a month's counts in the entry grid, the way a person does it: with the keyboard."""

import datetime

from activity.layout import layout_of
from activity.models import GridVersion
from config.core.formats import MONTHS
from config.devtools.demo.activity import month_counts


def grid_codes(year: int, month: int) -> list[str]:
    """The indicators of the grid in force that month, in the order of the grid's rows."""
    version = GridVersion.objects.with_layout().in_force(datetime.date(year, month, 1))
    return layout_of(version).codes


def consistent_counts(year: int, month: int) -> dict[str, int]:
    """Plausible counts that respect every rule of the grid (the demo's generator)."""
    return month_counts("e2e", 40, year, month)


def cell(page, label: str, year: int, month: int):
    """The grid's cell of indicator ``label`` for ``month``, as a screen reader names it."""
    name = f"{label} {MONTHS[month - 1].capitalize()} {year}"
    return page.get_by_role("spinbutton", name=name, exact=True)


def type_column(page, values: list[int]):
    """From the focused cell: type each value and press Tab, which goes down the column."""
    for value in values:
        # As typed, without a key event per digit: one round trip to the browser instead of
        # one per digit (the grid's script listens to "input", which this sends).
        page.keyboard.insert_text(str(value))
        page.keyboard.press("Tab")
