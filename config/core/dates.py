import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)
