"""Coverage: posts against the target, FTE, forces, vacancies, turnover, employers,
posts without a convention in force."""

import datetime

from config.steering.area import Area
from config.steering.figures import Part


def coverage_part(area: Area, *, today: datetime.date) -> Part:
    return Part("couverture", "Couverture du territoire")
