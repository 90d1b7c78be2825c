"""Deliberation pages: the register extract, the forms, the attendance sheet, scoping."""

import datetime
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from config.core.formats import NBSP
from conventions.deliberations.checks import amounts as deliberation_checks
from conventions.enums import AttendanceStatus, DeliberationResult
from conventions.models import Attendance, CouncilMember, Deliberation
from partners.enums import Role
from tests.conventions.factories import (
    CouncilFactory,
    CouncilMemberFactory,
    DecidedAmountFactory,
    DecisionFactory,
    DeliberationFactory,
    sitting,
)
from tests.roles import DEPARTEMENTAL_ROLES

pytestmark = pytest.mark.django_db


def page(response) -> str:
    """The page as a reader sees it: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(response.content.decode()).replace(NBSP, " ")


@pytest.fixture
def world(two_departements):
    """A deliberation of the 79 commune, approving the 79 convention, 45 seats."""
    commune = two_departements["79"]["convention"].parties.get(organisation__name="Commune 79")
    council = CouncilFactory(organisation=commune.organisation)
    deliberation = DeliberationFactory(
        council=council, conventions=[two_departements["79"]["convention"]]
    )
    sitting(deliberation, present=39, represented=5, excused=1)
    DecisionFactory.create_batch(3, deliberation=deliberation)
    DecidedAmountFactory(deliberation=deliberation, amount=Decimal("28967"), label="annuel")
    return {**two_departements, "deliberation": deliberation, "council": council}


def login(client, world, dep, role):
    client.force_login(world[dep]["users"][role])


def detail_url(deliberation):
    return reverse("conventions:deliberation_detail", args=[deliberation.pk])


# Detail ---------------------------------------------------------------------------------


def test_the_detail_page_reads_like_the_register_extract(client, world):
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    content = page(client.get(detail_url(world["deliberation"])))
    assert "CONSEIL MUNICIPAL DU 18 mars 2024" in content
    assert "Présents (39)" in content and "Excusés ayant donné pouvoir (5)" in content
    assert "ayant donné pouvoir à" in content
    assert "LE CONSEIL ADOPTE" in content
    assert "Conforme :</strong> Quorum atteint : 39 membres présents sur 45" in content


def test_the_detail_page_shows_the_amount_warning_once_funding_is_known(client, world, monkeypatch):
    convention = world["79"]["convention"]
    funders = [p.organisation_id for p in convention.parties.all()[:2]]
    monkeypatch.setattr(
        deliberation_checks,
        "convention_planned_amounts",
        lambda c, year: {funders[0]: Decimal("25350"), funders[1]: Decimal("5000")},
    )
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    content = page(client.get(detail_url(world["deliberation"])))
    assert (
        "À vérifier :</strong> Le montant annuel annoncé par la délibération (28 967 €) ne "
        "correspond pas au total des contributions de la convention (30 350 €)."
    ) in content


def test_the_detail_page_shows_a_broken_rule_in_french(client, world):
    Deliberation.objects.filter(pk=world["deliberation"].pk).update(votes_for=40)
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    content = page(client.get(detail_url(world["deliberation"])))
    assert "Non conforme :</strong> Les votes ne correspondent pas aux votants" in content
    assert "1 point non conforme" in content


# Seeing and editing: the one scope ----------------------------------------------------------


@pytest.mark.parametrize(
    "role", [r for r in DEPARTEMENTAL_ROLES if r != Role.GENDARMERIE_SECRETARIAT]
)
def test_every_role_of_the_convention_sees_its_deliberation(client, world, role):
    login(client, world, "79", role)
    assert client.get(detail_url(world["deliberation"])).status_code == 200


def test_the_groupement_does_not_see_the_deliberation_of_a_commissariat_convention(client, world):
    # Its secretariat works on the posts of its brigades only (issue #18).
    login(client, world, "79", Role.GENDARMERIE_SECRETARIAT)
    assert client.get(detail_url(world["deliberation"])).status_code == 404


@pytest.mark.parametrize("role", DEPARTEMENTAL_ROLES)
def test_nobody_from_the_other_departement_sees_it(client, world, role):
    login(client, world, "95", role)
    assert client.get(detail_url(world["deliberation"])).status_code == 404
    listing = client.get(reverse("conventions:deliberation_list"))
    assert world["deliberation"].number not in page(listing)


@pytest.mark.parametrize(
    "role", [Role.DDSP_SECRETARIAT, Role.READ_ONLY_PARTNER, Role.EMPLOYER_COORDINATION]
)
def test_a_partner_who_may_see_may_not_edit(client, world, role):
    login(client, world, "79", role)
    deliberation = world["deliberation"]
    for name in ("deliberation_edit", "deliberation_attendance"):
        assert client.get(reverse(f"conventions:{name}", args=[deliberation.pk])).status_code == 403
    assert client.get(reverse("conventions:deliberation_create")).status_code == 403


# The attendance sheet ----------------------------------------------------------------------


def attendance_data(deliberation, changes):
    """The saved sheet as POST data, with ``changes``: {member: (status, holder)}."""
    data = {"version": Deliberation.objects.get(pk=deliberation.pk).version}
    for row in deliberation.attendances.select_related("member"):
        data[f"status_{row.member_id}"] = row.status
        data[f"holder_{row.member_id}"] = row.proxy_holder_id or ""
    for member, (status, holder) in changes.items():
        data[f"status_{member.pk}"] = status
        data[f"holder_{member.pk}"] = holder.pk if holder else ""
    return data


def test_the_attendance_sheet_refuses_a_second_proxy_for_one_holder(client, world):
    deliberation = world["deliberation"]
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    first_proxy, second_proxy = deliberation.attendances.filter(proxy_holder__isnull=False)[:2]
    taken_holder = second_proxy.proxy_holder
    data = attendance_data(deliberation, {first_proxy.member: ("represented", taken_holder)})
    response = client.post(
        reverse("conventions:deliberation_attendance", args=[deliberation.pk]), data
    )
    assert response.status_code == 200
    assert "un membre ne peut détenir qu'un seul pouvoir" in page(response)
    first_proxy.refresh_from_db()
    assert first_proxy.proxy_holder != taken_holder


def test_the_attendance_sheet_is_saved_and_recounted(client, world):
    deliberation = world["deliberation"]
    excused = deliberation.attendances.get(status=AttendanceStatus.EXCUSED).member
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:deliberation_attendance", args=[deliberation.pk]),
        attendance_data(deliberation, {excused: ("present", None)}),
        follow=True,
    )
    content = page(response)
    assert "Présents (40)" in content
    # 40 present + 5 represented = 45 voters but only 44 "pour": saved, and said.
    assert "Non conforme :</strong> Les votes ne correspondent pas aux votants" in content
    assert deliberation.attendances.filter(status=AttendanceStatus.PRESENT).count() == 40


def test_a_post_with_only_the_csrf_token_is_refused_and_keeps_the_whole_sheet(client, world):
    deliberation = world["deliberation"]
    saved = set(deliberation.attendances.values_list("member", "status", "proxy_holder"))
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:deliberation_attendance", args=[deliberation.pk]),
        {"csrfmiddlewaretoken": "token"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Aucune présence n'a été reçue : la feuille de présence n'est pas modifiée." in (
        page(response)
    )
    assert "Délibération enregistrée" not in page(response)
    assert set(deliberation.attendances.values_list("member", "status", "proxy_holder")) == saved


def test_a_sheet_sent_in_part_writes_only_the_members_it_sends(client, world):
    deliberation = world["deliberation"]
    excused = deliberation.attendances.get(status=AttendanceStatus.EXCUSED).member
    others = set(
        deliberation.attendances.exclude(member=excused).values_list(
            "member", "status", "proxy_holder"
        )
    )
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:deliberation_attendance", args=[deliberation.pk]),
        {f"status_{excused.pk}": "present", "version": deliberation.version},
        follow=True,
    )
    assert "Présents (40)" in page(response)
    assert deliberation.attendances.count() == 45
    assert deliberation.attendances.get(member=excused).status == AttendanceStatus.PRESENT
    assert (
        set(
            deliberation.attendances.exclude(member=excused).values_list(
                "member", "status", "proxy_holder"
            )
        )
        == others
    )


def test_an_empty_status_clears_the_line_of_the_member_it_is_sent_for(client, world):
    deliberation = world["deliberation"]
    excused = deliberation.attendances.get(status=AttendanceStatus.EXCUSED).member
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    client.post(
        reverse("conventions:deliberation_attendance", args=[deliberation.pk]),
        attendance_data(deliberation, {excused: ("", None)}),
    )
    assert deliberation.attendances.count() == 44
    assert not deliberation.attendances.filter(member=excused).exists()


def test_the_attendance_page_shows_the_counters_for_the_script(client, world):
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.get(
        reverse("conventions:deliberation_attendance", args=[world["deliberation"].pk])
    )
    content = page(response)
    assert 'data-in-office="45" data-quorum="23"' in content
    assert '<strong data-count="present">39</strong>' in content
    assert 'aria-live="polite"' in content and "js/attendance.js" in content
    assert content.count('role="radiogroup"') == 45


# Create and edit ----------------------------------------------------------------------------


def test_a_local_authority_creates_a_deliberation_then_fills_its_attendance(client, world):
    council = world["council"]
    president = council.members.first()
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:deliberation_create") + f"?conseil={council.pk}",
        {
            "number": "D-2024-900",
            "session_date": "2024-06-24",
            "object": "Renouvellement de la convention",
            "president": president.pk,
            "votes_for": "44",
            "votes_against": "0",
            "abstentions": "0",
            "not_participating": "0",
            "result": DeliberationResult.ADOPTED,
            "conventions": [world["79"]["convention"].pk],
            "decisions-TOTAL_FORMS": "1",
            "decisions-INITIAL_FORMS": "0",
            "decisions-0-order": "1",
            "decisions-0-text": "approuver la convention ;",
            "amounts-TOTAL_FORMS": "0",
            "amounts-INITIAL_FORMS": "0",
        },
    )
    created = Deliberation.objects.get(number="D-2024-900")
    assert response["Location"] == reverse("conventions:deliberation_attendance", args=[created.pk])
    assert created.organisation == council.organisation
    assert [d.text for d in created.decisions.all()] == ["approuver la convention ;"]
    assert list(created.conventions.all()) == [world["79"]["convention"]]


def test_a_duplicate_number_is_refused_next_to_the_field(client, world):
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:deliberation_create") + f"?conseil={world['council'].pk}",
        {
            "number": world["deliberation"].number,
            "session_date": "2024-06-24",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "amounts-TOTAL_FORMS": "0",
            "amounts-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Cette organisation a déjà une délibération portant ce numéro." in page(response)


def test_a_president_from_another_council_is_refused(client, world):
    stranger = CouncilMemberFactory()
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:deliberation_create") + f"?conseil={world['council'].pk}",
        {
            "number": "D-2024-901",
            "session_date": "2024-06-24",
            "president": stranger.pk,
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
            "amounts-TOTAL_FORMS": "0",
            "amounts-INITIAL_FORMS": "0",
        },
    )
    assert "Sélectionnez un choix valide" in page(response)
    assert not Deliberation.objects.filter(number="D-2024-901").exists()


def test_a_local_authority_may_not_create_in_another_organisations_council(client, world):
    foreign = CouncilFactory()
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    url = reverse("conventions:deliberation_create") + f"?conseil={foreign.pk}"
    assert client.get(url).status_code == 404


def test_a_partners_deliberation_can_be_cited_with_number_date_and_body_only(client, world):
    convention = world["79"]["convention"]
    partner = convention.parties.get(organisation__name="Préf 79").organisation
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:deliberation_create") + "?citee=1",
        {
            "organisation": partner.pk,
            "body": "autre",
            # An assembly « Autre » is named, with its article, for the register's wording.
            "body_label": "l'assemblée plénière",
            "number": "3-15",
            "session_date": "2010-11-15",
            "conventions": [convention.pk],
        },
    )
    cited = Deliberation.objects.get(number="3-15")
    assert response["Location"] == detail_url(cited)
    assert cited.is_reference_only and cited.council is None
    assert "Délibération seulement citée" in page(client.get(detail_url(cited)))


# Councils --------------------------------------------------------------------------------


# As the register prints it: justified, lines wrapped between first and family names.
SEED_PRESENT = """Monsieur  Jérôme  BALOGE,  Monsieur  Dominique  SIX,  Madame  Rose-Marie  NIETO,
Madame Christelle CHASSAGNE, Monsieur Nicolas VIDEAU, Madame Aline  DI  MEGLIO,  Monsieur  Karl
BRETEAU"""


def test_a_roster_is_filled_by_pasting_the_register_list(client, world):
    council = CouncilFactory(organisation=world["council"].organisation, term_start_year=2026)
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    client.post(reverse("conventions:council_detail", args=[council.pk]), {"names": SEED_PRESENT})
    names = [m.full_name for m in council.members.order_by("order")]
    assert names == [
        "Monsieur Jérôme BALOGE",
        "Monsieur Dominique SIX",
        "Madame Rose-Marie NIETO",
        "Madame Christelle CHASSAGNE",
        "Monsieur Nicolas VIDEAU",
        "Madame Aline DI MEGLIO",
        "Monsieur Karl BRETEAU",
    ]


def test_a_roster_line_without_civility_is_refused_in_french(client, world):
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.post(
        reverse("conventions:council_detail", args=[world["council"].pk]),
        {"names": "Madame Anne DURAND\nPierre MARTIN"},
    )
    assert "« Pierre MARTIN » : commencez par la civilité (Madame ou Monsieur)." in page(response)
    assert not CouncilMember.objects.filter(last_name="DURAND").exists()


def test_a_member_who_left_is_not_on_a_later_attendance_sheet(client, world):
    member = world["council"].members.get(order=world["council"].members.last().order)
    member.in_office_until = datetime.date(2023, 12, 31)
    member.save()
    Attendance.objects.filter(member=member).delete()
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.get(
        reverse("conventions:deliberation_attendance", args=[world["deliberation"].pk])
    )
    assert member.full_name not in page(response)
    assert 'data-in-office="44"' in page(response)


# Query counts ------------------------------------------------------------------------------


def test_the_list_page_query_count_does_not_grow_with_the_deliberations(
    client, world, django_assert_num_queries
):
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    url = reverse("conventions:deliberation_list")
    # 1 session, 2 user, 3 savepoint (ATOMIC_REQUESTS), 4 user's organisation, 5 years
    # filter choices, 6 count, 7 organisations filter choices, 8 conventions filter
    # choices, 9 page of deliberations with their organisation, 10 their linked
    # conventions, 11 release savepoint.
    with django_assert_num_queries(11):
        client.get(url)
    for _ in range(4):
        DeliberationFactory(council=world["council"], conventions=[world["79"]["convention"]])
    with django_assert_num_queries(11):
        response = client.get(url)
    assert page(response).count("<tr>") == 6


def test_the_detail_page_query_count_does_not_grow_with_the_council(
    client, world, django_assert_num_queries
):
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    # 1 session, 2 user, 3 savepoint (ATOMIC_REQUESTS), 4 user's organisation, 5 the
    # deliberation with its organisation, council, president and rapporteur, 6 council
    # members, 7 secretaries, 8 attendance with members and proxy holders, 9 decisions,
    # 10 amounts with their funders, 11 linked conventions in scope, 12 their sections with
    # their posts, and their funding: 13 parties with organisations, 14 renewals,
    # 15 amendments (none here, so no query for their contribution changes),
    # 16 contributions (none here, so their payments are not queried), 17 post costs;
    # history: 18 which of its 4 tables (deliberation, attendance, decisions, decided
    # amounts) hold records, then the latest entries with the states they follow of the 3
    # that do here: 19 to 21; its members gave proxies, valid three sessions at most
    # (L2121-20): 22 the council's session dates, 23 the proxies its givers gave at the
    # others; 24 its publications on the site (current and withdrawn); 25 release savepoint.
    with django_assert_num_queries(25):
        client.get(detail_url(world["deliberation"]))
    bigger = DeliberationFactory(
        council=CouncilFactory(organisation=world["council"].organisation, term_start_year=2014),
        session_date=datetime.date(2015, 1, 12),
        conventions=[world["79"]["convention"]],
    )
    sitting(bigger, present=50, represented=10, excused=5, absent=4)
    DecisionFactory.create_batch(6, deliberation=bigger)
    # A council of 69 and six decisions, one query less: 2 of its history tables hold
    # records (its sitting is written in bulk, without history).
    with django_assert_num_queries(24):
        client.get(detail_url(bigger))


def test_a_malformed_council_parameter_is_not_an_error(client, world):
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    response = client.get(reverse("conventions:deliberation_create") + "?conseil=abc")
    assert response.status_code == 200


def test_the_list_filters_by_transmission_and_search(client, world):
    transmitted = DeliberationFactory(
        council=world["council"], transmitted_on=datetime.date(2024, 3, 25), object="Budget"
    )
    login(client, world, "79", Role.LOCAL_AUTHORITY)
    url = reverse("conventions:deliberation_list")
    content = page(client.get(url, {"transmitted": "oui"}))
    assert transmitted.number in content and world["deliberation"].number not in content
    content = page(client.get(url, {"q": "budget", "year": "2024"}))
    assert transmitted.number in content and world["deliberation"].number not in content
