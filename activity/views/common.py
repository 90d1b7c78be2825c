"""What every statistics page needs: the post in the user's scope, the period, the due date."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from activity.schedule import quarter_due_date
from activity.validation import names, post_conventions
from config.core.formats import MONTHS
from conventions.access import scope_for

QUARTER_LABELS = {1: "1er trimestre", 2: "2e trimestre", 3: "3e trimestre", 4: "4e trimestre"}


def entry_posts(user):
    """The posts of the user's scope, with what the entry pages and checks read."""
    return (
        scope_for(user).posts().select_related("employer").prefetch_related("holders").with_sites()
    )


def scoped_post(request, post_id):
    """The post, if the user's scope holds it (404 otherwise, never 403)."""
    return get_object_or_404(entry_posts(request.user), pk=post_id)


def check_period(year: int, quarter: int | None = None, month: int | None = None):
    if not 2000 <= year <= 2100:
        raise Http404("Année hors limites.")
    if quarter is not None and not 1 <= quarter <= 4:
        raise Http404("Trimestre inconnu.")
    if month is not None and not 1 <= month <= 12:
        raise Http404("Mois inconnu.")


def month_columns(year: int, months: list[int]) -> list[dict]:
    return [{"number": m, "label": f"{MONTHS[m - 1]} {year}"} for m in months]


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def due_date_for(post, year: int, quarter: int, conventions=None):
    if conventions is None:
        conventions = post_conventions(post)
    return quarter_due_date(conventions, year, quarter, post=post)


def submitted_message(authorities) -> str:
    """Who the quarter went to: the secretariats of the authorities that must validate it
    (``validation.required_authorities``)."""
    if not authorities:
        return "Trimestre transmis."
    if len(authorities) > 1:
        return (
            "Trimestre transmis aux secrétariats des autorités fonctionnelles du poste "
            f"({names(authorities)}) : il est validé quand chacune l'a validé."
        )
    return (
        "Trimestre transmis au secrétariat de l'autorité fonctionnelle du poste "
        f"({names(authorities)}), qui le valide."
    )
