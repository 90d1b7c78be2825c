"""The grid's versions: a new one starts as a copy, so that the administrator edits a diff."""

import datetime

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from activity.models import GridVersion, Indicator


@transaction.atomic
def grid_version_create(
    *,
    name: str,
    valid_from: datetime.date,
    notes: str = "",
    copy_from: GridVersion | None = None,
) -> GridVersion:
    """A new version, starting as a copy of ``copy_from`` so the administrator edits a diff."""
    version = GridVersion(name=name, valid_from=valid_from, notes=notes)
    version.full_clean()
    version.save()
    if copy_from is None:
        return version
    for group in copy_from.groups.prefetch_related("indicators"):
        indicators = list(group.indicators.all())
        group.pk = None
        group.version = version
        group.save()
        bulk_create_with_history(
            [
                Indicator(
                    version=version,
                    group=group,
                    code=i.code,
                    label=i.label,
                    help_text=i.help_text,
                    order=i.order,
                )
                for i in indicators
            ],
            Indicator,
        )
    return version
