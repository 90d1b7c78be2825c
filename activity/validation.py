"""Which functional authorities validate a post's quarter, and where it stands.

A police post's quarter is validated by its DDSP, a gendarmerie post's by its
groupement. A mixed post has both: its convention says whether each validates
(the default) or only the one it names (``Convention.statistics_validation``).
The convention read is the one governing the quarter (``schedule.governing_convention``);
a post without one follows the default. Each authority's validation is a
``QuarterValidation``; the quarter becomes validated once every required authority
has validated, or once an administrator has, for all of them.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from activity.governing import governing_convention, quarter_end, schedule_prefetches
from activity.models import QuarterReport
from activity.rules import Capacity
from config.core.formats import french_date
from conventions.enums import StatisticsValidation


def post_conventions(post) -> list:
    """The post's conventions as ``governing_convention`` and the due dates read them."""
    return list(post.conventions.agreements().prefetch_related(*schedule_prefetches()))


def required_authorities(post, year: int, quarter: int, conventions=None) -> list:
    """The functional authorities that must validate ``post``'s quarter: the one rule.

    ``post`` comes with its sites and their authorities (``with_sites()``);
    ``conventions``: the post's (``post_conventions``), when the page already has them.
    A named authority that is no longer the authority of any of the post's sites cannot
    validate (its secretariat no longer supervises the post): each authority does then.
    """
    authorities = post.functional_authorities
    if len(authorities) < 2:
        # Whatever the convention says, the one authority validates: no query.
        return authorities
    if conventions is None:
        conventions = post_conventions(post)
    convention = governing_convention(conventions, quarter_end(year, quarter), post=post)
    if convention is not None and (
        convention.statistics_validation == StatisticsValidation.NAMED_AUTHORITY
    ):
        named = [a for a in authorities if a.pk == convention.statistics_validator_id]
        if named:
            return named
    return authorities


def year_authorities(post, year: int, conventions=None) -> list:
    """The authorities that validate ``post``'s annual bilan: those required for at least
    one of its quarters (``required_authorities``), in the order of the post's sites."""
    if len(post.functional_authorities) > 1 and conventions is None:
        conventions = post_conventions(post)
    required = {
        authority.pk: authority
        for quarter in range(1, 5)
        for authority in required_authorities(post, year, quarter, conventions)
    }
    return [a for a in post.functional_authorities if a.pk in required]


def may_validate_year(post, year: int, user, capacity: Capacity | None, conventions=None) -> bool:
    """An administrator, or the secretariat of an authority of ``year_authorities``: the
    caller checked that the capacity allows validating a year."""
    if capacity == Capacity.ADMINISTRATOR:
        return True
    return is_required(year_authorities(post, year, conventions), user, capacity)


def is_required(authorities, user, capacity: Capacity | None) -> bool:
    """Whether ``user`` acts for one of ``authorities``: an administrator does for all;
    a secretariat for its own authority only (a mixed post's other force may be left out
    by the convention)."""
    if capacity == Capacity.ADMINISTRATOR:
        return True
    return (
        capacity == Capacity.AUTHORITY_SECRETARIAT
        and user.organisation_id is not None
        and any(a.pk == user.organisation_id for a in authorities)
    )


def names(authorities) -> str:
    return " et ".join(a.short_name or a.name for a in authorities)


@dataclass(frozen=True)
class QuarterValidationStatus:
    """The required authorities of a quarter and those that have validated it."""

    required: list
    validations: list = field(default_factory=list)  # QuarterValidation, with authority

    @property
    def validated_ids(self) -> set[int]:
        return {v.authority_id for v in self.validations}

    @property
    def pending(self) -> list:
        return [a for a in self.required if a.pk not in self.validated_ids]

    @property
    def is_partial(self) -> bool:
        return bool(self.validations) and bool(self.pending)

    def authority_of(self, user, capacity: Capacity | None):
        """The required authority ``user``'s secretariat validates for, if any."""
        if capacity != Capacity.AUTHORITY_SECRETARIAT or user.organisation_id is None:
            return None
        return next((a for a in self.required if a.pk == user.organisation_id), None)

    def may_validate(self, user, capacity: Capacity | None) -> bool:
        """For the button: the caller checked that the state and the capacity allow it."""
        if capacity == Capacity.ADMINISTRATOR:
            return True
        authority = self.authority_of(user, capacity)
        return authority is not None and authority.pk not in self.validated_ids

    def validates_for(self, user, capacity: Capacity | None) -> str:
        """What the « Valider » button names when several authorities validate: « pour
        DDSP 18 », or « pour toutes les autorités (…) » for an administrator."""
        if len(self.required) < 2:
            return ""
        if capacity == Capacity.ADMINISTRATOR:
            return f"pour toutes les autorités ({names(self.required)})"
        authority = self.authority_of(user, capacity)
        return f"pour {names([authority])}" if authority is not None else ""

    def may_reopen(self, user, capacity: Capacity | None) -> bool:
        """Only the secretariat of a required authority (or an administrator) reopens:
        the caller checked that the state and the capacity allow it."""
        return is_required(self.required, user, capacity)

    def refusal(self, user, capacity: Capacity | None) -> Exception | None:
        if capacity == Capacity.ADMINISTRATOR:
            return None
        authority = self.authority_of(user, capacity)
        if authority is None:
            # The secretariat of an authority the convention does not require.
            return PermissionDenied()
        if authority.pk in self.validated_ids:
            return ValidationError(
                f"{authority.short_name or authority.name} a déjà validé ce trimestre : "
                f"il attend la validation de {names(self.pending)}."
            )
        return None

    @property
    def summary(self) -> str:
        """« Validé par DDSP 79 le 03/04/2026 ; en attente de Gendarmerie 79 »."""
        if not self.is_partial:
            return ""
        done = ", ".join(
            f"validé par {v.authority.short_name or v.authority.name} le "
            f"{french_date(timezone.localdate(v.validated_at))}"
            for v in self.validations
        )
        return f"{done[0].upper()}{done[1:]} ; en attente de {names(self.pending)}"


def validation_status(
    report: QuarterReport, conventions=None, *, for_update: bool = False
) -> QuarterValidationStatus:
    """Where ``report`` stands: one query for its validations (none for an unsaved one),
    plus the post's conventions unless given."""
    required = required_authorities(report.post, report.year, report.quarter, conventions)
    if report.pk is None:
        return QuarterValidationStatus(required)
    validations = report.validations.select_related("authority")
    if for_update:
        validations = validations.select_for_update()
    return QuarterValidationStatus(required, list(validations))
