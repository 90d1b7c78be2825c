"""Who may do what with a post's statistics.

``post`` always comes from ``scope_for(user).posts()`` (a post outside the scope
is a 404 before these rules are asked); the rules then say what the role may
do on it. Services ask them too, so that the admin and the pages agree.
"""

import enum

from activity.enums import QuarterState
from partners.enums import Role


class Action(enum.StrEnum):
    ENTER_QUARTER = "enter_quarter"  # the three months on one screen
    ENTER_MONTH = "enter_month"
    SUBMIT = "submit"
    VALIDATE = "validate"
    REOPEN = "reopen"
    REOPEN_LOCKED = "reopen_locked"
    VALIDATE_YEAR = "validate_year"
    READ_UNVALIDATED = "read_unvalidated"  # figures not yet validated by the DDSP


ENTERING = frozenset({Action.ENTER_MONTH, Action.SUBMIT, Action.READ_UNVALIDATED})
DDSP_SECRETARIAT = frozenset(Action) - {Action.REOPEN_LOCKED}


def is_current_holder(user, post) -> bool:
    return any(h.user_id == user.pk and h.end is None for h in post.holders.all())


def allowed_actions(user, post) -> frozenset[Action]:
    if user.is_superuser:
        return frozenset(Action)
    organisation = user.organisation
    if organisation is None:
        return frozenset()
    match user.role:
        case Role.DDSP_SECRETARIAT if organisation.departement == post.departement:
            return DDSP_SECRETARIAT
        case Role.EMPLOYER_COORDINATION if post.employer_id == organisation.pk:
            return ENTERING | {Action.ENTER_QUARTER}
        case Role.SOCIAL_WORKER if is_current_holder(user, post):
            return ENTERING
    return frozenset()


def may(user, post, action: Action) -> bool:
    return action in allowed_actions(user, post)


def may_edit(user, report) -> bool:
    """Entering roles edit drafts; the DDSP secretariat may still correct a submitted quarter.

    Validated and locked quarters are edited by nobody: they must be reopened first.
    """
    actions = allowed_actions(user, report.post)
    if not actions & {Action.ENTER_MONTH, Action.ENTER_QUARTER}:
        return False
    if report.state == QuarterState.DRAFT:
        return True
    return report.state == QuarterState.SUBMITTED and Action.VALIDATE in actions
