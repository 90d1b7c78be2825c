"""Reporting discipline: per secretariat and quarter, the share of quarters entered,
submitted and validated, and the median days late."""

import datetime

from config.steering.area import Area
from config.steering.figures import Part


def discipline_part(area: Area, *, years: list[int], today: datetime.date) -> Part:
    return Part("remontees", "Remontée des statistiques")
