"""Who may do what with a post's statistics: one table, read by the pages and the services.

``post`` always comes from ``scope_for(user).posts()`` (a post outside the scope
is a 404 before these rules are asked). A user is one ``Capacity`` for a post;
``RULES`` says, for each action and each state of the quarter, which capacities
may take it, and the state a workflow action leads to. The pages read it to show
their buttons, the services to guard their writes, so that the admin, the pages
and any script obey the same rules.

A refusal is a ``PermissionDenied`` (403) when someone else may do it in this state
or the capacity never does it; a ``ValidationError`` (a French message) when nobody
may do it in this state: the person asking usually may, later or earlier.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from activity.enums import QuarterState
from conventions.models import Post
from partners.enums import Role


class Capacity(enum.StrEnum):
    """What a user is for a post.

    The readers have none (``capacity_of`` is None): the local authorities and the
    read-only partners of the post's conventions, and the préfecture's departmental
    steering for every post of its département. ``RULES`` gives no action to None, so they
    enter, submit, validate and reopen nothing, and without ``READ_UNVALIDATED`` the bilans
    they read (post, département, exports) count the validated quarters only.
    """

    ADMINISTRATOR = "administrator"
    # The secretariat (DDSP, groupement de gendarmerie) of the functional authority of
    # one of the post's sites.
    AUTHORITY_SECRETARIAT = "authority_secretariat"
    EMPLOYER = "employer"  # the Coordination employeur of the post's employer
    HOLDER = "holder"  # the social worker who holds the post now


class Action(enum.StrEnum):
    # What the pages of a post offer, whatever the quarter's state.
    ENTER_QUARTER = "enter_quarter"  # the three months on one screen
    ENTER_MONTH = "enter_month"
    READ_UNVALIDATED = "read_unvalidated"  # figures not yet validated by the authority
    VALIDATE_YEAR = "validate_year"  # the annual bilan, which locks the four quarters
    # What is done to a quarter, depending on its state.
    SAVE = "save"  # its counts and its comment
    SUBMIT = "submit"
    VALIDATE = "validate"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Rule:
    allowed: Mapping[QuarterState, frozenset[Capacity]]
    target: QuarterState | None = None  # the state the action leads to
    wrong_state: str = ""  # why nobody may in this state; {state}: the state, in lower case

    @property
    def anyone(self) -> frozenset[Capacity]:
        return frozenset().union(*self.allowed.values())


ALL = frozenset(Capacity)
MANAGERS = ALL - {Capacity.HOLDER}
AUTHORITY = frozenset({Capacity.ADMINISTRATOR, Capacity.AUTHORITY_SECRETARIAT})
ADMINISTRATOR = frozenset({Capacity.ADMINISTRATOR})
NOBODY = frozenset()


def _by_state(draft, submitted, validated, locked) -> dict[QuarterState, frozenset[Capacity]]:
    return {
        QuarterState.DRAFT: draft,
        QuarterState.SUBMITTED: submitted,
        QuarterState.VALIDATED: validated,
        QuarterState.LOCKED: locked,
    }


RULES: dict[Action, Rule] = {
    #                              draft     submitted validated locked
    Action.ENTER_QUARTER: Rule(_by_state(MANAGERS, MANAGERS, MANAGERS, MANAGERS)),
    Action.ENTER_MONTH: Rule(_by_state(ALL, ALL, ALL, ALL)),
    Action.READ_UNVALIDATED: Rule(_by_state(ALL, ALL, ALL, ALL)),
    Action.VALIDATE_YEAR: Rule(_by_state(AUTHORITY, AUTHORITY, AUTHORITY, AUTHORITY)),
    # The authority's secretariat may still correct a submitted quarter; a validated or locked
    # one is edited by nobody: it is reopened first.
    Action.SAVE: Rule(
        _by_state(ALL, AUTHORITY, NOBODY, NOBODY),
        wrong_state="Ce trimestre est {state} : il ne peut plus être modifié. Le secrétariat "
        "de l'autorité fonctionnelle du poste peut le rouvrir en indiquant un motif.",
    ),
    # Also once complete and consistent (services.quarter_submit).
    Action.SUBMIT: Rule(
        _by_state(ALL, NOBODY, NOBODY, NOBODY),
        target=QuarterState.SUBMITTED,
        wrong_state="Ce trimestre est déjà {state} : il n'est pas à transmettre.",
    ),
    Action.VALIDATE: Rule(
        _by_state(NOBODY, AUTHORITY, NOBODY, NOBODY),
        target=QuarterState.VALIDATED,
        wrong_state="Seul un trimestre transmis peut être validé.",
    ),
    # With a reason. A locked quarter's annual bilan holds: only an administrator
    # reopens it, which reopens the bilan too.
    Action.REOPEN: Rule(
        _by_state(NOBODY, NOBODY, AUTHORITY, ADMINISTRATOR),
        target=QuarterState.DRAFT,
        wrong_state="Seul un trimestre validé peut être rouvert.",
    ),
}


def capacity_of(user, post) -> Capacity | None:
    if user.is_superuser:
        return Capacity.ADMINISTRATOR
    organisation = user.organisation
    if organisation is None:
        return None
    match user.role:
        case Role.DDSP_SECRETARIAT | Role.GENDARMERIE_SECRETARIAT if any(
            site.functional_authority_id == organisation.pk for site in post.sites.all()
        ):
            return Capacity.AUTHORITY_SECRETARIAT
        case Role.EMPLOYER_COORDINATION if post.employer_id == organisation.pk:
            return Capacity.EMPLOYER
        case Role.SOCIAL_WORKER if any(
            h.user_id == user.pk and h.end is None for h in post.holders.all()
        ):
            return Capacity.HOLDER
    return None


@dataclass(frozen=True)
class Permissions:
    """What one user may do with one post: asked once, then read from ``RULES``."""

    capacity: Capacity | None

    def may(self, action: Action, state: QuarterState | None = None) -> bool:
        """In ``state``; without a state, in at least one (what a page offers)."""
        rule = RULES[action]
        allowed = rule.anyone if state is None else rule.allowed[state]
        return self.capacity in allowed

    def refusal(self, action: Action, state: QuarterState) -> Exception | None:
        if self.may(action, state):
            return None
        rule = RULES[action]
        if rule.allowed[state] or not self.may(action):
            return PermissionDenied()
        return ValidationError(rule.wrong_state.format(state=QuarterState(state).label.lower()))

    def require(self, action: Action, state: QuarterState) -> None:
        refusal = self.refusal(action, state)
        if refusal is not None:
            raise refusal

    @property
    def actions(self) -> frozenset[Action]:
        return frozenset(action for action in Action if self.may(action))


def posts_read_unvalidated(user):
    """The posts whose unvalidated figures ``user`` reads (``READ_UNVALIDATED``): those
    it has a capacity for, as ``capacity_of`` decides post by post, in one queryset."""
    if user.is_superuser:
        return Post.objects.all()
    organisation = user.organisation
    if organisation is None:
        return Post.objects.none()
    match user.role:
        case Role.DDSP_SECRETARIAT | Role.GENDARMERIE_SECRETARIAT:
            return Post.objects.supervised_by(organisation)
        case Role.EMPLOYER_COORDINATION:
            return Post.objects.filter(employer=organisation)
        case Role.SOCIAL_WORKER:
            return Post.objects.filter(holders__user=user, holders__end__isnull=True)
    return Post.objects.none()


def permissions(user, post) -> Permissions:
    return Permissions(capacity_of(user, post))


def allowed_actions(user, post) -> frozenset[Action]:
    """What the pages of ``post`` offer ``user``, in one state of the quarter or another."""
    return permissions(user, post).actions


def may(user, post, action: Action) -> bool:
    return permissions(user, post).may(action)
