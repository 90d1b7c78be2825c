"""What the services share to write plain data: validation, and the rows of a list
edited with its parent (a convention's articles, a deliberation's decisions).

A service takes cleaned values (dataclasses, model instances for references),
never a form: these helpers set them on the model, run ``full_clean()`` and
only then write.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, fields
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)
D = TypeVar("D")


@dataclass(frozen=True)
class RowChange(Generic[M, D]):
    """One row of a list edited with its parent.

    ``row`` is the saved row (None for a new one), ``data`` its new values
    (None to delete it). A row that does not change is not listed: it is not
    saved again, so the history shows only what changed.
    """

    row: M | None = None
    data: D | None = None


def values_of(data) -> dict[str, Any]:
    """A dataclass's values by field name, as they are (``asdict`` would copy the model
    instances it holds)."""
    return {field.name: getattr(data, field.name) for field in fields(data)}


def assign(instance: models.Model, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


def validate(
    instance: models.Model,
    *,
    errors: dict[str, list[str]] | None = None,
    exclude: Collection[str] = (),
) -> None:
    """``instance.full_clean()``, adding the errors the service found first.

    The fields already in error are left out of the model's checks, as Django
    leaves out a field that failed, so that one mistake is told once, next to
    its field. Raises a ``ValidationError`` keyed by field.
    """
    errors = {name: list(messages) for name, messages in (errors or {}).items()}
    try:
        instance.full_clean(exclude=[*exclude, *errors])
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def prepare_rows(
    changes: Sequence[RowChange[M, Any]],
    *,
    new: Callable[[], M],
    argument: str,
    exclude: Collection[str] = (),
) -> list[tuple[M, bool]]:
    """Give each row its new values and validate it; nothing is written yet.

    Returns the writes as (row, delete) in a formset's order: the saved rows
    first, then the new ones (made by ``new``). ``exclude`` leaves fields out
    of ``full_clean()``: the parent, which the service has just validated,
    and the constraints on (parent, field) with it, which compare one row
    with the database before its neighbours are written (two article numbers
    swapped between rows); those are checked across the rows by the form and
    held by the database. An error is keyed by ``argument``, the service's
    argument the row came in.
    """
    writes = []
    for change in sorted(changes, key=lambda change: change.row is None):
        if change.data is None:
            if change.row is not None:
                writes.append((change.row, True))
            continue
        row = change.row if change.row is not None else new()
        assign(row, values_of(change.data))
        try:
            validate(row, exclude=exclude)
        except ValidationError as error:
            raise ValidationError({argument: error.messages}) from error
        writes.append((row, False))
    return writes


def write_rows(writes: Sequence[tuple[models.Model, bool]]) -> None:
    for row, delete in writes:
        if delete:
            row.delete()
        else:
            row.save()
