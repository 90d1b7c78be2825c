"""Writes on a convention's parts edited from their own page: the follow-up committee
and the reporting rules, the annexes, the associated partners.

Each save checks the convention's version first (``config.core.concurrency``): the
rows are the convention's, and an edit prepared on an older convention is refused,
as the convention's edit page refuses it. The convention's version is raised with
them, so that both pages see each other's saves.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import models, transaction

from config.core.concurrency import check_version
from config.core.writes import RowChange, prepare_rows, write_rows
from conventions.models import (
    Annex,
    AssociatedPartner,
    CommitteeMember,
    Convention,
    ReportingRule,
)
from partners.models import Organisation, Representative


@dataclass(frozen=True, kw_only=True)
class CommitteeMemberData:
    organisation: Organisation
    member: str
    order: int = 0
    representative: Representative | None = None


@dataclass(frozen=True, kw_only=True)
class ReportingRuleData:
    kind: str
    period: str
    due_day: int | None = None
    due_month: int | None = None
    recipients: str = ""


@dataclass(frozen=True, kw_only=True)
class AnnexData:
    title: str
    body: str = ""
    order: int = 0


@dataclass(frozen=True, kw_only=True)
class AssociatedPartnerData:
    organisation: Organisation
    wording: str = ""


def _save_rows(
    *,
    convention: Convention,
    expected_version: int | None,
    what: str,
    lists: Sequence[tuple[type[models.Model], Sequence[RowChange], str]],
) -> Convention:
    check_version(
        convention,
        expected_version,
        what=what,
        related=[model.history.filter(convention_id=convention.pk) for model, _, _ in lists],
    )
    writes = []
    for model, changes, argument in lists:
        new: Callable[[], models.Model] = lambda model=model: model(convention=convention)  # noqa: E731
        # The (convention, organisation) constraints are checked across the rows by the
        # form and held by the database: see prepare_rows().
        writes += prepare_rows(changes, new=new, argument=argument, exclude=["convention"])
    convention.save(update_fields=["version", "updated_at"])
    write_rows(writes)
    return convention


@transaction.atomic
def convention_follow_up_save(
    *,
    convention: Convention,
    committee: Sequence[RowChange[CommitteeMember, CommitteeMemberData]] = (),
    reporting_rules: Sequence[RowChange[ReportingRule, ReportingRuleData]] = (),
    expected_version: int | None = None,
) -> Convention:
    """Change, add and remove the members of the follow-up committee and the reporting
    rules (what is reported, by when), together."""
    return _save_rows(
        convention=convention,
        expected_version=expected_version,
        what="le suivi de cette convention",
        lists=[
            (CommitteeMember, committee, "committee"),
            (ReportingRule, reporting_rules, "reporting_rules"),
        ],
    )


@transaction.atomic
def convention_annexes_save(
    *,
    convention: Convention,
    annexes: Sequence[RowChange[Annex, AnnexData]],
    expected_version: int | None = None,
) -> Convention:
    return _save_rows(
        convention=convention,
        expected_version=expected_version,
        what="les annexes de cette convention",
        lists=[(Annex, annexes, "annexes")],
    )


@transaction.atomic
def convention_associated_partners_save(
    *,
    convention: Convention,
    partners: Sequence[RowChange[AssociatedPartner, AssociatedPartnerData]],
    expected_version: int | None = None,
) -> Convention:
    """The partners associated without signing (the procureur), with the words that
    associate them."""
    return _save_rows(
        convention=convention,
        expected_version=expected_version,
        what="les partenaires associés de cette convention",
        lists=[(AssociatedPartner, partners, "partners")],
    )
