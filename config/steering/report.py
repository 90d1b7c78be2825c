"""A steering report: the parts of one area for one year, as the page, the PDF and
the XLSX show them."""

import datetime
from dataclasses import dataclass

from config.steering.activity import activity_part
from config.steering.area import Area
from config.steering.coverage import coverage_part
from config.steering.discipline import discipline_part
from config.steering.figures import Part
from config.steering.money import money_part

YEARS_SHOWN = 5  # the year chosen and the four before it


@dataclass
class Report:
    area: Area
    year: int
    years: list[int]
    parts: list[Part]


def steering_report(area: Area, *, year: int, today: datetime.date) -> Report:
    years = list(range(year - YEARS_SHOWN + 1, year + 1))
    return Report(
        area,
        year,
        years,
        [
            coverage_part(area, today=today),
            money_part(area, years=years, today=today),
            activity_part(area, years=years, today=today),
            discipline_part(area, years=years, today=today),
        ],
    )
