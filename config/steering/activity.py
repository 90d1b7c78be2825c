"""Activity: persons met, interviews, referrals, problems and orientations, from
validated quarters only, year over year."""

import datetime

from config.steering.area import Area
from config.steering.figures import Part


def activity_part(area: Area, *, years: list[int], today: datetime.date) -> Part:
    return Part("activite", "Activité des intervenants sociaux")
