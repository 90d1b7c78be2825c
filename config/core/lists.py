"""What every list page shares besides its order (``sorting``): the page of rows, the
page links that keep the filters and the order, and whether the user filtered."""

from django.core.paginator import Paginator
from django.db.models import Q

from config.core.sorting import SORT_PARAMETER

NOT_FILTERS = {"page", SORT_PARAMETER}


def list_page(request, items, *, page_size: int) -> dict:
    """The template context of the shared list includes (count, empty state, pagination)."""
    page = Paginator(items, page_size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "page_range": list(
            page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ),
        "count": page.paginator.count,
        "query": query.urlencode(),
        "filtered": any(
            value.strip()
            for key, values in request.GET.lists()
            if key not in NOT_FILTERS
            for value in values
        ),
    }


def words_match(text: str | None, *fields: str) -> Q | None:
    """Every word of ``text`` found in one of ``fields`` (``icontains``): « valérie
    bely » finds Valérie BELY-VOLLAND whose first and last names are two columns.
    None when there is nothing to search."""
    words = (text or "").split()
    if not words:
        return None
    condition = Q()
    for word in words:
        one_of = Q()
        for field in fields:
            one_of |= Q(**{f"{field}__icontains": word})
        condition &= one_of
    return condition
