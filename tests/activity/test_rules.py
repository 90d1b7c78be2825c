"""The table of rules, read as a whole: who may do what, in which state of the quarter."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activity.enums import QuarterState
from activity.rules import Action, Capacity, Permissions, capacity_of
from partners.enums import Role
from tests.conventions.factories import PostFactory, PostSiteFactory

pytestmark = pytest.mark.django_db

# Columns: administrator, secretariat of a functional authority of the post (its DDSP, its
# groupement de gendarmerie), Coordination
# employeur of its employer, the social worker holding it, anyone else.
TABLE = """
# action          state      admin ddsp  empl  holder none
enter_quarter     draft      yes   yes   yes   no     no
enter_month       draft      yes   yes   yes   yes    no
read_unvalidated  draft      yes   yes   yes   yes    no
validate_year     validated  yes   yes   no    no     no
save              draft      yes   yes   yes   yes    no
save              submitted  yes   yes   no    no     no
save              validated  no    no    no    no     no
save              locked     no    no    no    no     no
submit            draft      yes   yes   yes   yes    no
submit            submitted  no    no    no    no     no
validate          draft      no    no    no    no     no
validate          submitted  yes   yes   no    no     no
reopen            submitted  no    no    no    no     no
reopen            validated  yes   yes   no    no     no
reopen            locked     yes   no    no    no     no
"""
COLUMNS = [*Capacity, None]


def rows():
    for line in TABLE.strip().splitlines():
        if line.startswith("#"):
            continue
        action, state, *answers = line.split()
        for capacity, answer in zip(COLUMNS, answers, strict=True):
            yield pytest.param(
                Action(action), QuarterState(state), capacity, answer == "yes", id=line[:28]
            )


@pytest.mark.parametrize(("action", "state", "capacity", "allowed"), list(rows()))
def test_the_table_says_who_may_do_what(action, state, capacity, allowed):
    assert Permissions(capacity).may(action, state) is allowed


def test_a_state_nobody_may_act_in_is_explained_in_french():
    refusal = Permissions(Capacity.AUTHORITY_SECRETARIAT).refusal(
        Action.VALIDATE, QuarterState.DRAFT
    )
    assert isinstance(refusal, ValidationError)
    assert refusal.messages == ["Seul un trimestre transmis peut être validé."]


def test_what_another_role_may_do_in_this_state_is_a_permission_denied():
    ddsp = Permissions(Capacity.AUTHORITY_SECRETARIAT)
    assert isinstance(ddsp.refusal(Action.REOPEN, QuarterState.LOCKED), PermissionDenied)
    holder = Permissions(Capacity.HOLDER)
    assert isinstance(holder.refusal(Action.SAVE, QuarterState.SUBMITTED), PermissionDenied)


def test_a_role_without_a_say_is_denied_whatever_the_state():
    for state in QuarterState:
        assert isinstance(Permissions(None).refusal(Action.SUBMIT, state), PermissionDenied)


def test_a_social_worker_who_left_the_post_has_no_say_on_it(two_departements):
    world = two_departements["79"]
    worker = world["users"][Role.SOCIAL_WORKER]
    assert capacity_of(worker, world["post"]) == Capacity.HOLDER
    world["post"].holders.update(end=datetime.date(2024, 12, 31))
    world["post"].refresh_from_db()
    assert capacity_of(worker, world["post"]) is None


def test_the_ddsp_secretariat_of_another_departement_has_no_say(two_departements):
    ddsp95 = two_departements["95"]["users"][Role.DDSP_SECRETARIAT]
    assert capacity_of(ddsp95, two_departements["79"]["post"]) is None


@pytest.mark.parametrize(
    "role, post, capacity",
    [
        # Issue #18: each secretariat validates the posts it is the functional authority
        # of, not those of the other force in the same département.
        (Role.DDSP_SECRETARIAT, "post", Capacity.AUTHORITY_SECRETARIAT),
        (Role.DDSP_SECRETARIAT, "gendarmerie_post", None),
        (Role.GENDARMERIE_SECRETARIAT, "gendarmerie_post", Capacity.AUTHORITY_SECRETARIAT),
        (Role.GENDARMERIE_SECRETARIAT, "post", None),
        (Role.DDSP_SECRETARIAT, "mixed_post", Capacity.AUTHORITY_SECRETARIAT),
        (Role.GENDARMERIE_SECRETARIAT, "mixed_post", Capacity.AUTHORITY_SECRETARIAT),
    ],
)
def test_a_secretariat_validates_the_posts_of_its_authority_only(
    two_departements, role, post, capacity
):
    world = two_departements["79"]
    mixed = PostFactory(
        departement="79", functional_authority=world["post"].functional_authorities[0]
    )
    PostSiteFactory(
        post=mixed,
        gendarmerie=True,
        order=2,
        functional_authority=world["gendarmerie_post"].functional_authorities[0],
    )
    posts = {**world, "mixed_post": mixed}
    user = world["users"][role]
    assert capacity_of(user, posts[post]) == capacity
    # The secretariat of the other département, of the same force, has no say.
    assert capacity_of(two_departements["95"]["users"][role], posts[post]) is None
