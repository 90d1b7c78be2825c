"""Money: what the posts cost each year and who pays what share; the State's commitments
and payments; gaps between cost and funding."""

import datetime

from config.steering.area import Area
from config.steering.figures import Part


def money_part(area: Area, *, years: list[int], today: datetime.date) -> Part:
    return Part("financement", "Financement")
