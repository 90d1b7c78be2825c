"""No request makes the server build more rows than a page allows.

Django builds as many forms as a formset's TOTAL_FORMS claims, up to 2 000: a 14 KB
body could keep a worker busy for twenty seconds. Each formset takes at most its
maximum; one more is refused in French, and a claim of 2 001 builds no more.
"""

import pytest

from conventions.access import scope_for
from conventions.deliberations.forms import (
    MAX_DECIDED_AMOUNTS,
    MAX_DECISIONS,
    MAX_MEMBERS_AT_ONCE,
    DecidedAmountFormSet,
    DecisionFormSet,
    MemberListForm,
)
from conventions.lifecycle.forms import MAX_ARTICLE_CHANGES, article_change_formset
from conventions.models import Convention, Deliberation
from conventions.parts.forms import (
    MAX_ANNEXES,
    MAX_ASSOCIATED_PARTNERS,
    MAX_COMMITTEE_MEMBERS,
    MAX_REPORTING_RULES,
    annex_formsets,
    associated_partner_formsets,
    follow_up_formsets,
)
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


def management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def decisions(data):
    return DecisionFormSet(data, instance=Deliberation(), prefix="decisions")


def amounts(data):
    scope = scope_for(UserFactory(admin=True))
    return DecidedAmountFormSet(data, instance=Deliberation(), prefix="amounts", scope=scope)


def changes(data):
    return article_change_formset(data=data, current_articles=[])


def committee(data):
    return follow_up_formsets(data=data, instance=Convention())["committee"]


def reporting(data):
    return follow_up_formsets(data=data, instance=Convention())["reporting"]


def annexes(data):
    return annex_formsets(data=data, instance=Convention())["annexes"]


def associated(data):
    return associated_partner_formsets(data=data, instance=Convention())["associated"]


FORMSETS = [
    ("decisions", decisions, MAX_DECISIONS),
    ("amounts", amounts, MAX_DECIDED_AMOUNTS),
    ("changes", changes, MAX_ARTICLE_CHANGES),
    ("committee", committee, MAX_COMMITTEE_MEMBERS),
    ("reporting", reporting, MAX_REPORTING_RULES),
    ("annexes", annexes, MAX_ANNEXES),
    ("associated", associated, MAX_ASSOCIATED_PARTNERS),
]


@pytest.mark.parametrize("prefix,build,maximum", FORMSETS)
def test_the_largest_number_of_rows_allowed_raises_no_count_error(prefix, build, maximum):
    formset = build(management(prefix, maximum))
    formset.is_valid()
    assert len(formset.forms) == maximum
    assert not formset.non_form_errors()


@pytest.mark.parametrize("prefix,build,maximum", FORMSETS)
@pytest.mark.parametrize("extra", [1, 2001])
def test_more_rows_than_allowed_are_refused_in_french_without_building_them(
    prefix, build, maximum, extra
):
    formset = build(management(prefix, maximum + extra))
    assert not formset.is_valid()
    assert len(formset.forms) == maximum
    assert f"Veuillez soumettre au plus {maximum} formulaires." in formset.non_form_errors()


def member_names(count):
    return "\n".join(f"Madame Élue NUMÉRO-{index}" for index in range(count))


def test_the_largest_council_list_allowed_is_accepted():
    form = MemberListForm({"names": member_names(MAX_MEMBERS_AT_ONCE)})
    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["names"]) == MAX_MEMBERS_AT_ONCE


def test_one_member_more_than_allowed_is_refused_in_french():
    form = MemberListForm({"names": member_names(MAX_MEMBERS_AT_ONCE + 1)})
    assert not form.is_valid()
    assert form.errors["names"] == [
        f"{MAX_MEMBERS_AT_ONCE + 1} noms : ajoutez au plus {MAX_MEMBERS_AT_ONCE} membres à la fois."
    ]
