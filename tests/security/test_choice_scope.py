"""Every choice a page offers is filtered by the scope of its pages.

Each demo account opens every page of the project on both sides of the demo
(Niort and Ermont, the Val-d'Oise Département made a party to Niort's too), and
each select, checkbox or radio group of its forms is read: an option that names
a deliberation, a convention, a post, a council member or an account must be
one the account may see. Organisations and their representatives are public.
A select this test does not know fails it, so that a new choice list is
classified here when it is added."""

import re

import pytest

from config.devtools.demo.partners import organisation
from config.notifications.models import Kind
from conventions.access import scope_for
from conventions.models import Contribution, CouncilMember, Deliberation, Party
from partners.models import User
from tests.security.conftest import ROLES
from tests.security.forms import page_forms
from tests.security.urls import ROUTES, build_url

# Every page for every role, minutes long; the same ORM queries whatever the database:
# CI runs it once, on PostgreSQL (.ci/run).
pytestmark = [pytest.mark.django_db, pytest.mark.whole_site]


def _members(scope):
    councils = scope.councils().values("pk")
    cited = scope.deliberations().values("council")
    return CouncilMember.objects.filter(council__in=councils) | CouncilMember.objects.filter(
        council__in=cited
    )


def _accounts(scope):
    # The accounts offered as a post's holder: those of the employer of a post it sees.
    return User.objects.filter(organisation__in=scope.posts().values("employer"))


# A choice field's name (the last part, after a formset prefix) -> what it may offer.
SCOPED = {
    # The posts a convention covers: those the reader's scope holds.
    "posts": lambda scope: scope.posts(),
    "legal_basis": lambda scope: scope.deliberations(),
    "conventions": lambda scope: scope.conventions(),
    "convention": lambda scope: scope.conventions(),
    "source": lambda scope: scope.convention_starting_points(),
    "post": lambda scope: scope.posts(),
    "poste": lambda scope: scope.posts(),
    # The posts an amendment adds to or removes from a convention.
    "added_posts": lambda scope: scope.posts(),
    "removed_posts": lambda scope: scope.posts(),
    "president": _members,
    "rapporteur": _members,
    "secretaries": _members,
    "user": _accounts,
    # The contribution an amendment changes: one of the conventions in scope.
    "contribution": lambda scope: Contribution.objects.filter(convention__in=scope.conventions()),
}
# Public objects (organisations and their representatives) and plain choices.
UNSCOPED = {
    "organisation",
    "relay_organisation",
    # A post's employer: an organisation, public like the others.
    "employer",
    "beneficiary",
    "payer",
    "terminated_by",
    "representative",
    # Who signs a deliberation's extract: a representative, public like the others.
    "signatory",
    "delegated_by",
    # A site's force and its authority (a DDSP or a groupement: public organisations).
    "force",
    "functional_authority",
    # Who validates a convention's statistics: a DDSP or a groupement, public like the site's.
    "statistics_validator",
    "statistics_validation",
    "departement",
    "kind",
    "status",
    "year",
    "annee",
    # The steering map's indicator: the columns of the tables by département.
    "indicateur",
    # How often each kind of notification is sent (config.notifications): one field per kind.
    *(kind.value for kind in Kind),
    "body",
    "side",
    "rule",
    "budget_line",
    "nature",
    "prorata",
    "due_month",
    # The period a reporting rule covers (a quarter, the year).
    "period",
    "payment_channel",
    "start_rule",
    "term_governed_by",
    "renewal_mode",
    "new_renewal_mode",
    "termination_kind",
    "notice_form",
    "civility",
    "result",
    "president_vote",
    "signer_for",
    "action",
    "holder",
    "designation",
    "representation",
    "transmitted",
    # An API key's lifetime, a webhook's events: plain choices.
    "lifetime_days",
    "events",
    # Article numbers of the convention the page is about, not ids.
    "articles",
    # The roles offered to a colleague invited (values of the Role enum, by the kind).
    "role",
    "is_referent",
    # Filters of the lists: a council's term (current or ended), a payment's state.
    "current",
    "etat",
}
STATUS_OR_HOLDER = re.compile(r"^(status|holder)_\d+$")
# Labels whose page is a file (PDF, CSV, spreadsheet, calendar) or logs the account out.
NOT_PAGES = re.compile(r"_pdf|_csv|_xlsx|calendar_feed|logout|payment_proof|:scan$")


def _offered(html):
    """(field name, value) of every choice a page's forms offer, empty values left out."""
    for form in page_forms(html):
        for name, values in [*form.options.items(), *form.boxes.items()]:
            for value in values:
                if value not in ("", "on"):
                    yield name.rsplit("-", 1)[-1], value


@pytest.mark.parametrize("username", ROLES)
def test_no_page_offers_a_choice_outside_the_scope_of_its_reader(client, demo, username):
    # The Val-d'Oise Département as a party to the Niort convention too: its own
    # deliberations (the basis of the Ermont funding) are then a party's, not Niort's.
    Party.objects.create(
        convention=demo.niort.convention, organisation=organisation("cd95"), order=9
    )
    user = demo.users[username]
    scope = scope_for(user)
    client.force_login(user)
    outside, unknown = [], set()
    for label in ROUTES:
        if NOT_PAGES.search(label):
            continue
        for side in ("niort", "ermont"):
            url = build_url(demo, label, side)
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for name, value in _offered(response.content.decode()):
                if name in SCOPED:
                    if not SCOPED[name](scope).filter(pk=value).exists():
                        outside.append((url, name, value))
                elif name not in UNSCOPED and not STATUS_OR_HOLDER.match(name):
                    unknown.add((label, name))
    assert not unknown, f"choice lists to classify in this test: {sorted(unknown)}"
    assert not outside, f"choices outside the scope of {username}: {outside}"


def test_the_niort_agent_is_not_offered_a_val_d_oise_deliberation_as_a_legal_basis(client, demo):
    """Issue #16: once the Val-d'Oise Département is a party to the Niort convention,
    its deliberation 3-15 (the basis of the Ermont funding) is still not hers."""
    cd95 = organisation("cd95")
    deliberation = Deliberation.objects.get(organisation=cd95, number="3-15")
    Party.objects.create(convention=demo.niort.convention, organisation=cd95, order=9)
    client.force_login(demo.users["ville.niort"])
    response = client.get(build_url(demo, "conventions:contribution_create", "niort"))
    (form,) = [f for f in page_forms(response.content.decode()) if "legal_basis" in f.options]
    assert str(deliberation.pk) not in form.options["legal_basis"]
    assert "Délibération n° 3-15" not in response.content.decode()
