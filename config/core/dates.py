import calendar
import datetime

from django.utils import timezone


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day ``months`` later (or earlier), clamped to the end of a shorter month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last_day))


def add_years(day: datetime.date, years: int) -> datetime.date:
    return add_months(day, 12 * years)


def anniversary(day: datetime.date, years: int) -> datetime.date:
    """The same date ``years`` later; 29 February falls on 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def term_end(start: datetime.date, years: int) -> datetime.date:
    """The last day of a term of ``years`` years starting on ``start``: the day before its
    anniversary (from 12 October 2021 for three years: 11 October 2024; from 29 February
    2024: 28 February 2027). The one rule for every period, first or renewed."""
    return anniversary(start, years) - datetime.timedelta(days=1)


def future_date_message(day: datetime.date | None, what: str) -> str:
    """A French message when ``day`` (a date of the past: a signature, a payment) is after
    today, « » otherwise. ``what``: « la date de signature »."""
    today = timezone.localdate()
    if day is None or day <= today:
        return ""
    subject = what[:1].upper() + what[1:]
    return f"{subject} ne peut pas être postérieure à aujourd'hui ({today:%d/%m/%Y})."
