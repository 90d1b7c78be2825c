"""The statistics deadlines on the home page: what to send, what to validate, what is late."""

import datetime
import re

import pytest
from django.urls import reverse

from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 22)  # October, the month just ended, is in the 4th quarter


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)


@pytest.fixture
def world(two_departements):
    """Both conventions signed in January 2025; Niort's first half of 2026 validated."""
    for dep in ("79", "95"):
        two_departements[dep]["convention"].parties.update(signed_on=datetime.date(2025, 1, 10))
    validated(two_departements["79"]["post"], 1, 2)
    return two_departements


def validated(post, *quarters):
    for quarter in quarters:
        QuarterReportFactory(post=post, year=2026, quarter=quarter, filled=True, validated=True)


def dashboard_text(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_social_worker_sees_the_quarter_being_entered_and_when_it_is_due(client, world):
    post = world["79"]["post"]
    validated(post, 3)
    content = dashboard_text(client, world["79"]["users"][Role.SOCIAL_WORKER])
    assert "Statistiques à saisir et transmettre" in content
    # No reporting rule: the default, the 15th of the month after the quarter.
    assert f"15 janvier 2027 — 4e trimestre 2026 — {post.name} : rien de saisi" in content
    # The quarter is not due yet (the month list above may flag a month left empty).
    assert "En retard" not in content[content.index("Statistiques à saisir et transmettre") :]


def test_a_quarter_sent_is_no_longer_to_send(client, world):
    validated(world["79"]["post"], 3)
    QuarterReportFactory(post=world["79"]["post"], year=2026, quarter=4, submitted=True)
    content = dashboard_text(client, world["79"]["users"][Role.SOCIAL_WORKER])
    assert "Aucun trimestre à transmettre." in content


def test_a_past_quarter_still_in_draft_is_listed_first_as_late(client, world):
    post = world["79"]["post"]
    QuarterReportFactory(post=post, year=2026, quarter=3, filled=True)
    content = dashboard_text(client, world["79"]["users"][Role.EMPLOYER_COORDINATION])
    late = (
        f"En retard depuis le 16 octobre 2026 — 15 octobre 2026 — 3e trimestre 2026 — "
        f"{post.name} : en saisie Pourquoi : le 3e trimestre 2026 devait être transmis au plus "
        "tard le 15 octobre 2026 et ne l'a pas été (la convention ne fixe pas d'échéance : "
        "par défaut, le 15 du mois suivant)."
    )
    assert late in content.replace("&#x27;", "'")
    assert content.index("En retard depuis") < content.index("4e trimestre 2026")


def test_quarters_before_the_first_convention_began_are_not_due(client, world):
    world["95"]["convention"].parties.update(signed_on=datetime.date(2026, 10, 5))
    content = dashboard_text(client, world["95"]["users"][Role.SOCIAL_WORKER])
    assert "4e trimestre 2026" in content
    assert "3e trimestre 2026" not in content


def test_the_ddsp_secretariat_sees_what_to_validate_and_what_is_late_on_its_posts(client, world):
    post = world["79"]["post"]
    QuarterReportFactory(post=post, year=2026, quarter=3, filled=True, submitted=True)
    QuarterReportFactory(post=world["95"]["post"], year=2026, quarter=3, submitted=True)
    ddsp = post.functional_authorities[0]
    other = PostFactory(
        departement="79", name="ISC du commissariat de Melle", functional_authority=ddsp
    )
    PartyFactory(convention=ConventionFactory(post=other), signed_on=datetime.date(2025, 1, 1))
    content = dashboard_text(client, world["79"]["users"][Role.DDSP_SECRETARIAT])
    assert f"3e trimestre 2026 — {post.name} : transmis, à valider" in content
    assert f"{post.name} : rien de saisi" not in content  # its 4th quarter is not due yet
    # Nothing entered there since January: three quarters are past their due date.
    assert (
        f"En retard depuis le 16 juillet 2026 — 15 juillet 2026 — 2e trimestre 2026 — "
        f"{other.name}" in content
    )
    assert world["95"]["post"].name not in content


def test_other_roles_have_no_statistics_section(client, world, admin_user):
    content = dashboard_text(client, world["79"]["users"][Role.LOCAL_AUTHORITY])
    assert "trimestre" not in content
    # Administrators see the national list of late bilans, not the work lists.
    content = dashboard_text(client, admin_user)
    assert "Bilans trimestriels en retard" in content
    assert "Statistiques à saisir et transmettre" not in content
    assert "Trimestres transmis à valider" not in content


@pytest.mark.parametrize("extra_posts", [0, 5])
def test_the_ddsp_dashboard_runs_the_same_queries_whatever_the_number_of_posts(
    client, world, django_assert_num_queries, extra_posts
):
    ddsp = world["79"]["users"][Role.DDSP_SECRETARIAT]
    for index in range(extra_posts):
        post = PostFactory(
            departement="79",
            name=f"ISC {index}",
            functional_authority=ddsp.organisation,
        )
        convention = ConventionFactory(post=post)
        PartyFactory(convention=convention, signed_on=datetime.date(2025, 1, 1))
        QuarterReportFactory(post=post, year=2026, quarter=3, submitted=True)
    client.force_login(ddsp)
    # 1 session, 2 user, 3 savepoint, 4 user's organisation; « dépassé » alerts: 5 the
    # conventions' durations, 6 conventions whose notice may have passed and that nothing
    # follows, 7 their parties, 8 renewals, 9 amendments; bilans and meetings: 10 conventions,
    # 11 their sections (posts covered) with post and employer, 12 the posts' sites (for_list
    # reads them for the list page), 13 parties, 14 their organisations, 15 renewals,
    # 16 amendments, 17 reporting rules, 18 renewing conventions, 19 linked deliberations;
    # statistics: 20 the conventions' durations, 21 posts with employers, 22 holders, 23 sites
    # (whose authority validates), 24 conventions that may govern the last four quarters,
    # 25 parties, 26 renewals, 27 amendments, 28 reporting rules, 29 sections with the
    # amendments adding or removing them (whether each covers the post that quarter),
    # 30 quarters, 31 their authorities' validations (a mixed post's quarter awaits only
    # the others); 32 release savepoint.
    with django_assert_num_queries(32):
        client.get(reverse("dashboard"))
