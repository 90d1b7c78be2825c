"""The law of council sessions by session date, one case per legal source (issue #17).

Each case is named after the text that decides it: the ordinary CGCT articles, the
health-emergency laws (a third of the members present, two proxies per holder), the
three-session limit of a proxy, the signatures and publication since the ordonnance
n° 2021-1310, blank and spoilt ballots of a secret ballot.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.devtools.demo import deliberations as demo_deliberations
from config.devtools.demo import partners as partners_demo
from config.devtools.demo import seeds as demo_seeds
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.common import PastProxy, Proxy, Severity, Sitting, Vote
from conventions.deliberations.checks.deliberation import check_deliberation
from conventions.deliberations.checks.publication import signed_before_enforceable
from conventions.deliberations.checks.vote import check_vote
from conventions.deliberations.documents import render_deliberation_pdf
from conventions.deliberations.forms import AttendanceForm
from conventions.deliberations.services import AttendanceEntry, attendance_record
from conventions.enums import AttendanceStatus, DeliberatingBody, DeliberationResult
from conventions.models import Attendance, Convention, Deliberation
from partners.enums import Role
from tests.conventions.factories import (
    CouncilMemberFactory,
    DeliberationFactory,
    PartyFactory,
    sitting,
)
from tests.conventions.pdftext import flat
from tests.partners.factories import UserFactory

D = datetime.date


def make_sitting(
    *, day, in_office=45, present=39, proxies=(), absent=None, second_convocation=False, **kw
):
    """Members 1..in_office; the first ``present`` are present, ``proxies`` are
    (giver, holder) or ``Proxy``; everyone else is absent."""
    members = range(1, in_office + 1)
    proxies = [p if isinstance(p, Proxy) else Proxy(*p) for p in proxies]
    givers = {p.giver for p in proxies}
    present_ids = list(range(1, present + 1))
    return Sitting(
        names={m: f"Membre {m}" for m in members},
        in_office=frozenset(members),
        present=present_ids,
        proxies=proxies,
        absent=[m for m in members if m not in givers and m > present],
        president=1,
        secretaries=[2],
        rapporteur=3,
        second_convocation=second_convocation,
        session_date=day,
        **kw,
    )


def by_code(checks, code):
    return [c for c in checks if c.code == code]


# Quorum: L2121-17, and a third under the health-emergency laws ---------------------------

QUORUM_CASES = [
    pytest.param(
        D(2019, 3, 18),
        23,
        [],
        Severity.OK,
        "il en faut au moins 23, plus de la moitié des membres en exercice, les pouvoirs ne "
        "comptant pas (article L2121-17 du CGCT).",
        id="L2121-17 ordinary quorum, majority present",
    ),
    pytest.param(
        D(2019, 3, 18),
        22,
        [(23 + i, 1 + i) for i in range(5)],
        Severity.ERROR,
        "Quorum non atteint : 22 membres présents sur 45 en exercice ; il en faut au moins 23",
        id="L2121-17 ordinary quorum, members represented do not count",
    ),
    pytest.param(
        D(2020, 5, 25),
        10,
        [(11 + i, 1 + i) for i in range(5)],
        Severity.OK,
        "Quorum atteint : 15 membres présents ou représentés sur 45 en exercice ; il en faut "
        "au moins 15, le tiers des membres en exercice présents ou représentés (article 2 de "
        "l'ordonnance n° 2020-391 du 1er avril 2020).",
        id="ordonnance 2020-391 art. 2, 25/05/2020, a third present or represented",
    ),
    pytest.param(
        D(2020, 5, 25),
        10,
        [(11 + i, 1 + i) for i in range(4)],
        Severity.ERROR,
        "Quorum non atteint : 14 membres présents ou représentés sur 45 en exercice",
        id="ordonnance 2020-391 art. 2, 25/05/2020, 14 present or represented of 45 not enough",
    ),
    pytest.param(
        D(2020, 4, 2),
        15,
        [],
        Severity.ERROR,
        "il en faut au moins 23, plus de la moitié",
        id="L2121-17 on 02/04/2020, the day the ordonnance 2020-391 was published",
    ),
    pytest.param(
        D(2020, 9, 15),
        15,
        [],
        Severity.ERROR,
        "il en faut au moins 23, plus de la moitié",
        id="L2121-17 on 15/09/2020, between the two states of health emergency",
    ),
    pytest.param(
        D(2020, 10, 26),
        15,
        [(15 + i, 1 + i) for i in range(5)],
        Severity.OK,
        "il en faut au moins 15, le tiers des membres en exercice, les pouvoirs ne comptant pas "
        "(article 10 de la loi n° 2020-290 du 23 mars 2020, rédaction de la loi n° 2020-760 "
        "du 22 juin 2020, l'état d'urgence sanitaire étant déclaré par le décret n° 2020-1257 "
        "du 14 octobre 2020).",
        id="loi 2020-290 art. 10 again from 17/10/2020 (décret 2020-1257), quorum one third",
    ),
    pytest.param(
        D(2020, 7, 15),
        15,
        [],
        Severity.OK,
        "il en faut au moins 15, le tiers des membres en exercice, les pouvoirs ne comptant pas "
        "(article 10 de la loi n° 2020-290 du 23 mars 2020, rédaction de la loi n° 2020-760 "
        "du 22 juin 2020).",
        id="loi 2020-290 art. 10, 15/07/2020, quorum one third",
    ),
    pytest.param(
        D(2021, 9, 20),
        15,
        [],
        Severity.OK,
        "il en faut au moins 15, le tiers des membres en exercice, les pouvoirs ne comptant pas "
        "(article 6 de la loi n° 2020-1379 du 14 novembre 2020, prorogé par la loi n° 2021-689 "
        "du 31 mai 2021).",
        id="loi 2020-1379 art. 6, 20/09/2021, quorum one third of members in office present",
    ),
    pytest.param(
        D(2021, 9, 20),
        14,
        [(15 + i, 1 + i) for i in range(5)],
        Severity.ERROR,
        "Quorum non atteint : 14 membres présents sur 45 en exercice ; il en faut au moins 15",
        # « le tiers de leurs membres en exercice est présent »: represented do not count.
        id="loi 2020-1379 art. 6, 20/09/2021, members represented do not count",
    ),
    pytest.param(
        D(2021, 10, 1),
        15,
        [],
        Severity.ERROR,
        "il en faut au moins 23, plus de la moitié des membres en exercice, les pouvoirs ne "
        "comptant pas (article L2121-17 du CGCT).",
        id="L2121-17 again from 01/10/2021, between the two health-emergency periods",
    ),
    pytest.param(
        D(2021, 12, 15),
        15,
        [],
        Severity.OK,
        "il en faut au moins 15, le tiers des membres en exercice, les pouvoirs ne comptant pas "
        "(article 6 de la loi n° 2020-1379 du 14 novembre 2020, rétabli par l'article 10 de la "
        "loi n° 2021-1465 du 10 novembre 2021).",
        id="loi 2021-1465 art. 10, 15/12/2021, quorum one third",
    ),
    pytest.param(
        D(2022, 7, 31),
        15,
        [],
        Severity.OK,
        "il en faut au moins 15, le tiers",
        id="loi 2021-1465 art. 10, last day 31/07/2022, quorum one third",
    ),
    pytest.param(
        D(2022, 8, 1),
        15,
        [],
        Severity.ERROR,
        "il en faut au moins 23, plus de la moitié",
        id="L2121-17 from 01/08/2022, quorum more than half again",
    ),
]


@pytest.mark.parametrize(("day", "present", "proxies", "severity", "text"), QUORUM_CASES)
def test_quorum_by_session_date(day, present, proxies, severity, text):
    (quorum,) = by_code(
        check_attendance(make_sitting(day=day, present=present, proxies=proxies)), "quorum"
    )
    assert quorum.severity == severity
    assert text in quorum.message


def test_loi_2020_1379_art_6_second_convocation_without_quorum_cites_the_law_in_force():
    sitting = make_sitting(day=D(2021, 9, 20), present=5, second_convocation=True)
    (quorum,) = by_code(check_attendance(sitting), "quorum")
    assert quorum.severity == Severity.INFO
    assert quorum.message == (
        "Séance sur nouvelle convocation : le conseil délibère sans condition de quorum (article "
        "6 de la loi n° 2020-1379 du 14 novembre 2020, prorogé par la loi n° 2021-689 du 31 mai "
        "2021)."
    )


# Proxies per holder: one (L2121-20), two under the health-emergency laws ---------------------

PROXY_COUNT_CASES = [
    pytest.param(
        D(2019, 3, 18),
        [(40, 1), (41, 1)],
        "Membre 1 détient 2 pouvoirs (Membre 40, Membre 41) : le 18 mars 2019, un membre ne "
        "peut détenir qu'un seul pouvoir (article L2121-20 du CGCT).",
        id="L2121-20, one proxy per holder, two refused on 18/03/2019",
    ),
    pytest.param(
        D(2020, 5, 25),
        [(40, 1), (41, 1)],
        None,
        id="ordonnance 2020-391 art. 2, two proxies allowed on 25/05/2020",
    ),
    pytest.param(
        D(2020, 10, 26),
        [(40, 1), (41, 1)],
        None,
        id="loi 2020-290 art. 10, two proxies allowed on 26/10/2020",
    ),
    pytest.param(
        D(2021, 9, 20),
        [(40, 1), (41, 1)],
        None,
        id="loi 2020-1379 art. 6, two proxies allowed on 20/09/2021",
    ),
    pytest.param(
        D(2021, 12, 15),
        [(40, 1), (41, 1)],
        None,
        id="loi 2021-1465 art. 10, two proxies allowed on 15/12/2021",
    ),
    pytest.param(
        D(2021, 12, 15),
        [(40, 1), (41, 1), (42, 1)],
        "Membre 1 détient 3 pouvoirs (Membre 40, Membre 41, Membre 42) : le 15 décembre 2021, "
        "un membre ne peut détenir que 2 pouvoirs (article 6 de la loi n° 2020-1379 du 14 "
        "novembre 2020, rétabli par l'article 10 de la loi n° 2021-1465 du 10 novembre 2021).",
        id="loi 2021-1465 art. 10, three proxies refused on 15/12/2021",
    ),
    pytest.param(
        D(2022, 9, 15),
        [(40, 1), (41, 1)],
        "Membre 1 détient 2 pouvoirs (Membre 40, Membre 41) : le 15 septembre 2022, un membre "
        "ne peut détenir qu'un seul pouvoir (article L2121-20 du CGCT).",
        id="L2121-20, two proxies on 15/09/2022 refused",
    ),
]


@pytest.mark.parametrize(("day", "proxies", "refusal"), PROXY_COUNT_CASES)
def test_proxies_per_holder_by_session_date(day, proxies, refusal):
    checks = check_attendance(make_sitting(day=day, proxies=proxies))
    refused = by_code(checks, "two_proxies")
    if refusal is None:
        assert refused == []
        (ok,) = by_code(checks, "proxies")
        assert ok.severity == Severity.OK
        assert "chacun détenu par un membre présent ; aucun n'en détient plus de 2 (article" in (
            ok.message
        )
    else:
        (check,) = refused
        assert check.blocking and check.message == refusal


# A proxy lasts three consecutive sessions, except illness (L2121-20) ----------------------

SESSIONS = (D(2023, 1, 16), D(2023, 2, 13), D(2023, 3, 13), D(2023, 4, 10))


def _undated_history(*days):
    return tuple(PastProxy(day, 40, 1) for day in days)


PROXY_DURATION_CASES = [
    pytest.param(
        Proxy(40, 1, given_on=D(2023, 1, 10)),
        SESSIONS[3],
        (),
        Severity.ERROR,
        "Le pouvoir de Membre 40 à Membre 1, daté du 10 janvier 2023, sert à 4 séances connues "
        "du conseil (16 janvier 2023, 13 février 2023, 13 mars 2023, 10 avril 2023) : sauf "
        "maladie dûment constatée, un pouvoir n'est valable que pour 3 séances consécutives au "
        "plus (article L2121-20 du CGCT).",
        id="L2121-20 proxy beyond three sessions",
    ),
    pytest.param(
        Proxy(40, 1, given_on=D(2023, 1, 10)),
        SESSIONS[2],
        (),
        None,
        "",
        id="L2121-20 proxy at its third session, valid",
    ),
    pytest.param(
        Proxy(40, 1, given_on=D(2023, 1, 10), illness=True),
        SESSIONS[3],
        (),
        None,
        "",
        id="L2121-20 proxy for illness duly established, beyond three sessions",
    ),
    pytest.param(
        Proxy(40, 1),
        SESSIONS[3],
        _undated_history(*SESSIONS[:3]),
        Severity.WARNING,
        "Membre 40 donne pouvoir à Membre 1 pour 4 séances consécutives connues du conseil (16 "
        "janvier 2023, 13 février 2023, 13 mars 2023, 10 avril 2023)",
        id="L2121-20 undated proxy to the same holder over four consecutive sessions",
    ),
    pytest.param(
        Proxy(40, 1),
        SESSIONS[3],
        _undated_history(SESSIONS[0], SESSIONS[2]),
        None,
        "",
        id="L2121-20 undated proxy, the giver attended a session in between",
    ),
]


@pytest.mark.parametrize(("proxy", "day", "history", "severity", "text"), PROXY_DURATION_CASES)
def test_a_proxy_is_valid_three_consecutive_sessions(proxy, day, history, severity, text):
    sitting = make_sitting(
        day=day, proxies=[proxy], council_sessions=SESSIONS, past_proxies=history
    )
    found = by_code(check_attendance(sitting), "proxy_duration")
    if severity is None:
        assert found == []
    else:
        (check,) = found
        assert check.severity == severity and check.message.startswith(text)


def test_l2121_20_a_proxy_dated_after_the_session_is_refused():
    sitting = make_sitting(day=D(2023, 1, 16), proxies=[Proxy(40, 1, given_on=D(2023, 1, 17))])
    (check,) = by_code(check_attendance(sitting), "proxy_date")
    assert check.blocking
    assert check.message == (
        "Le pouvoir de Membre 40 est daté du 17 janvier 2023, après la séance du 16 janvier "
        "2023 : un pouvoir est écrit avant la séance."
    )


@pytest.mark.django_db
def test_l2121_20_the_detail_checks_read_the_councils_other_sessions():
    first = DeliberationFactory(session_date=SESSIONS[0])
    members = sitting(first, present=3, represented=1)
    giver, holder = members[3], members[0]
    for day in SESSIONS[1:]:
        later = DeliberationFactory(council=first.council, session_date=day)
        Attendance.objects.bulk_create(
            [
                Attendance(deliberation=later, member=m, status=AttendanceStatus.PRESENT)
                for m in members[:3]
            ]
            + [
                Attendance(
                    deliberation=later,
                    member=giver,
                    status=AttendanceStatus.REPRESENTED,
                    proxy_holder=holder,
                    proxy_given_on=D(2023, 1, 10),
                )
            ]
        )
    last = Deliberation.objects.for_detail(Convention.objects.all()).get(pk=later.pk)
    (check,) = by_code(
        check_deliberation(last, planned_amounts=lambda c, y: None), "proxy_duration"
    )
    assert check.severity == Severity.ERROR
    assert "sert à 4 séances connues du conseil" in check.message


# The sheet is saved or refused by the law of its date --------------------------------------


def _two_proxies_for_one_holder(day):
    deliberation = DeliberationFactory(session_date=day)
    holder, other, first, second = CouncilMemberFactory.create_batch(
        4, council=deliberation.council
    )
    entries = [
        AttendanceEntry(holder, AttendanceStatus.PRESENT),
        AttendanceEntry(other, AttendanceStatus.PRESENT),
        AttendanceEntry(first, AttendanceStatus.REPRESENTED, holder, proxy_given_on=day),
        AttendanceEntry(second, AttendanceStatus.REPRESENTED, holder),
    ]
    return deliberation, holder, entries


@pytest.mark.django_db
def test_loi_2021_1465_art_10_two_proxies_saved_on_15_12_2021():
    deliberation, holder, entries = _two_proxies_for_one_holder(D(2021, 12, 15))
    attendance_record(
        deliberation=deliberation, entries=entries, expected_version=deliberation.version
    )
    assert deliberation.attendances.filter(proxy_holder=holder).count() == 2
    assert deliberation.attendances.get(proxy_given_on=D(2021, 12, 15)).member == entries[2].member


@pytest.mark.django_db
def test_l2121_20_two_proxies_refused_on_15_09_2022_by_the_service():
    deliberation, holder, entries = _two_proxies_for_one_holder(D(2022, 9, 15))
    with pytest.raises(ValidationError) as refused:
        attendance_record(
            deliberation=deliberation, entries=entries, expected_version=deliberation.version
        )
    (message,) = refused.value.message_dict["entries"]
    assert message.endswith(
        "le 15 septembre 2022, un membre ne peut détenir qu'un seul pouvoir (article L2121-20 "
        "du CGCT)."
    )
    assert not deliberation.attendances.exists()


@pytest.mark.django_db
def test_l2121_20_two_proxies_refused_on_15_09_2022_next_to_the_members_in_the_form():
    deliberation, holder, entries = _two_proxies_for_one_holder(D(2022, 9, 15))
    data = {"version": deliberation.version}
    for entry in entries:
        data[f"status_{entry.member.pk}"] = entry.status
        if entry.proxy_holder:
            data[f"holder_{entry.member.pk}"] = entry.proxy_holder.pk
    form = AttendanceForm(data, deliberation=deliberation)
    assert not form.is_valid()
    for entry in entries[2:]:
        (error,) = form.errors[f"holder_{entry.member.pk}"]
        assert "qu'un seul pouvoir (article L2121-20 du CGCT)" in error


def _admin_post_unchanged(client, deliberation):
    """Post the admin change form of ``deliberation`` as it is shown."""
    url = reverse("admin:conventions_deliberation_change", args=[deliberation.pk])
    response = client.get(url)
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is not None and value is not False:
            data[name] = "on" if value is True else value
    for formset in response.context["inline_admin_formsets"]:
        for bound in formset.formset.management_form:
            data[bound.html_name] = bound.value()
        for inline_form in formset.formset.forms:
            for bound in inline_form:
                value = bound.value()
                if value is not None and value is not False:
                    data[bound.html_name] = "on" if value is True else value
    return client.post(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "saved"),
    [
        pytest.param(D(2021, 12, 15), True, id="loi 2021-1465 art. 10, admin saves two proxies"),
        pytest.param(D(2022, 9, 15), False, id="L2121-20, admin refuses two proxies"),
    ],
)
def test_the_admin_applies_the_proxy_rule_of_the_session_date(client, day, saved):
    deliberation, holder, entries = _two_proxies_for_one_holder(day)
    Attendance.objects.bulk_create(
        [
            Attendance(
                deliberation=deliberation,
                member=e.member,
                status=e.status,
                proxy_holder=e.proxy_holder,
                proxy_given_on=e.proxy_given_on,
            )
            for e in entries
        ]
    )
    client.force_login(UserFactory(admin=True))
    response = _admin_post_unchanged(client, deliberation)
    if saved:
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "un membre ne peut détenir qu&#x27;un seul pouvoir (article L2121-20 du CGCT)" in (
            response.content.decode()
        )


# The seed: Niort, 20 September 2021 ----------------------------------------------------------


@pytest.fixture
def niort(db):
    partners_demo.load()
    demo_seeds.load()
    demo_deliberations.load()
    return Deliberation.objects.for_detail(Convention.objects.all()).get(number="D-2021-313")


def test_loi_2020_1379_art_6_niort_20_09_2021_needs_15_of_45_present(niort):
    checks = check_deliberation(niort, planned_amounts=lambda c, y: None)
    (quorum,) = by_code(checks, "quorum")
    assert quorum.severity == Severity.OK
    assert quorum.message == (
        "Quorum atteint : 39 membres présents sur 45 en exercice ; il en faut au moins 15, le "
        "tiers des membres en exercice, les pouvoirs ne comptant pas (article 6 de la loi n° "
        "2020-1379 du 14 novembre 2020, prorogé par la loi n° 2021-689 du 31 mai 2021)."
    )
    assert "23" not in quorum.message
    assert [c.message for c in checks if c.severity == Severity.ERROR] == []
    # Before 1 July 2022: the signatures of L2121-23 are not asked of it.
    assert by_code(checks, "signatures") == []


def test_l2131_1_niort_without_publication_data_is_not_said_enforceable(niort):
    checks = check_deliberation(niort, planned_amounts=lambda c, y: None)
    (enforceable,) = by_code(checks, "enforceable")
    assert enforceable.severity == Severity.WARNING
    assert enforceable.message == (
        "Pas encore exécutoire : sa publication et sa transmission en préfecture ne sont pas "
        "enregistrées. Une délibération est exécutoire une fois publiée et transmise en "
        "préfecture (article L2131-1 du CGCT)."
    )


# Signatures and publication since 1 July 2022 (ordonnance n° 2021-1310) -------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "president_signed", "secretaries_signed", "expected"),
    [
        pytest.param(D(2022, 6, 30), False, False, None, id="L2121-23 before 01/07/2022, no check"),
        pytest.param(
            D(2022, 7, 1),
            True,
            False,
            Severity.WARNING,
            id="L2121-23 signatures after 01/07/2022, the secretary's missing",
        ),
        pytest.param(
            D(2022, 9, 15),
            True,
            True,
            Severity.OK,
            id="L2121-23 signatures after 01/07/2022, president and secretary signed",
        ),
    ],
)
def test_l2121_23_signatures(day, president_signed, secretaries_signed, expected):
    deliberation = DeliberationFactory(session_date=day)
    sitting(deliberation, present=3)
    Deliberation.objects.filter(pk=deliberation.pk).update(
        president_signed=president_signed, secretaries_signed=secretaries_signed
    )
    loaded = Deliberation.objects.for_detail(Convention.objects.all()).get(pk=deliberation.pk)
    found = by_code(check_deliberation(loaded, planned_amounts=lambda c, y: None), "signatures")
    if expected is None:
        assert found == []
        return
    (check,) = found
    assert check.severity == expected
    assert check.message.endswith(
        "(article L2121-23 du CGCT, rédaction de l'ordonnance n° 2021-1310 du 7 octobre 2021)."
    )
    if expected == Severity.WARNING:
        assert "le secrétariat de séance (" in check.message and "n'a pas signé" in check.message


@pytest.mark.parametrize(
    ("published_on", "transmitted_on", "required", "enforceable_on"),
    [
        pytest.param(
            D(2022, 9, 20), D(2022, 9, 16), True, D(2022, 9, 20), id="L2131-1 published last"
        ),
        pytest.param(
            D(2022, 9, 16), D(2022, 9, 20), True, D(2022, 9, 20), id="L2131-1 transmitted last"
        ),
        pytest.param(D(2022, 9, 16), None, True, None, id="L2131-1 published, not yet transmitted"),
        pytest.param(None, D(2022, 9, 16), True, None, id="L2131-1 transmitted, not yet published"),
        pytest.param(
            D(2022, 9, 16), None, False, D(2022, 9, 16), id="L2131-1 transmission not required"
        ),
    ],
)
def test_l2131_1_enforceable_once_published_and_transmitted(
    published_on, transmitted_on, required, enforceable_on
):
    deliberation = Deliberation(
        session_date=D(2022, 9, 15),
        published_on=published_on,
        transmitted_on=transmitted_on,
        transmission_required=required,
    )
    assert deliberation.enforceable_on == enforceable_on


@pytest.mark.django_db
def test_l2131_1_a_commune_signing_before_its_deliberation_is_enforceable_is_warned():
    deliberation = DeliberationFactory(
        session_date=D(2022, 9, 15),
        published_on=D(2022, 9, 20),
        transmitted_on=D(2022, 9, 22),
        result=DeliberationResult.ADOPTED,
    )
    early = PartyFactory(organisation=deliberation.organisation, signed_on=D(2022, 9, 21))
    deliberation.conventions.set([early.convention])
    (message,) = signed_before_enforceable(deliberation, [early.convention])
    assert message.endswith(
        "le 21 septembre 2022, avant que la délibération n° "
        f"{deliberation.number} qui l'y autorise soit exécutoire (le 22 septembre 2022) : la "
        "signature précède l'autorisation (article L2131-1 du CGCT, rédaction de l'ordonnance "
        "n° 2021-1310 du 7 octobre 2021)."
    )
    on_time = PartyFactory(organisation=deliberation.organisation, signed_on=D(2022, 9, 22))
    assert signed_before_enforceable(deliberation, [on_time.convention]) == []


def test_l2131_1_the_convention_page_warns_of_a_signature_before_enforceability(
    client, two_departements
):
    world = two_departements["79"]
    convention = world["convention"]
    commune = convention.parties.get(organisation__name="Commune 79")
    commune.signed_on = D(2022, 9, 21)
    commune.save()
    deliberation = DeliberationFactory(
        council__organisation=commune.organisation,
        session_date=D(2022, 9, 15),
        published_on=D(2022, 9, 20),
        transmitted_on=D(2022, 9, 22),
        result=DeliberationResult.ADOPTED,
        conventions=[convention],
    )
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.get(reverse("conventions:detail", args=[convention.reference]))
    content = " ".join(response.content.decode().split())
    assert (
        f"avant que la délibération n° {deliberation.number} qui l&#x27;y autorise soit "
        "exécutoire (le 22 septembre 2022)" in content
    )


# Secret ballots: blank and spoilt ballots are not votes cast -----------------------------


def _forty_four_voters():
    return make_sitting(day=D(2023, 3, 13), present=39, proxies=[(40 + i, 1 + i) for i in range(5)])


VOTE_CASES = [
    pytest.param(
        Vote(20, 18, 0, 0, result="adopted", secret_ballot=True, blank_ballots=5, spoilt_ballots=1),
        "adopted",
        "20 voix pour sur 38 suffrages exprimés (5 bulletins blancs et 1 nul non comptés), "
        "majorité absolue 20 (article L2121-20 du CGCT) : la délibération est adoptée",
        id="L2121-20 majority of votes cast, blank and spoilt ballots not cast",
    ),
    pytest.param(
        Vote(20, 20, 4, 0, result="rejected", president_vote="abstained"),
        "rejected",
        "partage égal des voix (20 pour, 20 contre), le président s'est abstenu : sa voix ne peut "
        "pas départager, la proposition n'obtient pas la majorité (article L2121-20 du CGCT) : "
        "la délibération est rejetée",
        id="L2121-20 tie with the president abstaining, rejected",
    ),
    pytest.param(
        Vote(19, 19, 0, 0, result="rejected", secret_ballot=True, blank_ballots=6),
        "rejected",
        "partage égal des voix (19 pour, 19 contre) en scrutin secret",
        id="L2121-20 tie in a secret ballot with blank ballots, rejected",
    ),
]


@pytest.mark.parametrize(("vote", "result", "explanation"), VOTE_CASES)
def test_the_result_is_read_on_votes_cast(vote, result, explanation):
    checks = check_vote(vote, _forty_four_voters())
    (total,) = by_code(checks, "vote_total")
    assert total.severity == Severity.OK
    (check,) = by_code(checks, "result")
    assert check.severity == Severity.OK
    assert explanation in check.message


def test_l2121_20_tie_president_abstaining_recorded_as_adopted_names_the_right_result():
    # Never a request for a casting vote that does not exist.
    vote = Vote(20, 20, 4, 0, result="adopted", president_vote="abstained")
    errors = [c.message for c in check_vote(vote, _forty_four_voters()) if c.severity == "error"]
    assert errors == [
        "Le résultat enregistré (adoptée) ne correspond pas aux votes : partage égal des voix "
        "(20 pour, 20 contre), le président s'est abstenu : sa voix ne peut pas départager, la "
        "proposition n'obtient pas la majorité (article L2121-20 du CGCT) : la délibération "
        "est rejetée."
    ]


def test_blank_ballots_count_among_voters_in_the_total():
    vote = Vote(
        20, 18, 0, 0, result="adopted", secret_ballot=True, blank_ballots=5, spoilt_ballots=1
    )
    (total,) = by_code(check_vote(vote, _forty_four_voters()), "vote_total")
    assert total.message == (
        "Décompte des votes : 20 pour + 18 contre + 5 bulletins blancs + 1 bulletin nul + 0 "
        "abstention + 0 ne prenant pas part = 44 = 44 votants (39 présents + 5 représentés)."
    )


@pytest.mark.django_db
def test_blank_ballots_in_a_public_vote_are_refused_next_to_the_field():
    deliberation = DeliberationFactory(secret_ballot=False)
    deliberation.blank_ballots = 2
    with pytest.raises(ValidationError) as refused:
        deliberation.full_clean()
    assert refused.value.message_dict["blank_ballots"] == [
        "Seul un scrutin secret a des bulletins blancs ou nuls : cochez « scrutin secret » ou "
        "laissez ce nombre vide."
    ]


# The register extract prints what the law asks ---------------------------------------------


@pytest.mark.django_db
def test_the_register_extract_prints_ballots_signatures_and_enforceability():
    deliberation = DeliberationFactory(session_date=D(2022, 9, 15))
    sitting(deliberation, present=10)
    Deliberation.objects.filter(pk=deliberation.pk).update(
        secret_ballot=True,
        votes_for=6,
        votes_against=2,
        blank_ballots=1,
        spoilt_ballots=1,
        president_signed=True,
        secretaries_signed=True,
        transmitted_on=D(2022, 9, 16),
        published_on=D(2022, 9, 19),
        publication_url="https://www.example.fr/actes/2022-09-15",
    )
    register = Deliberation.objects.for_register(Convention.objects.all()).get(pk=deliberation.pk)
    text = " ".join(flat(render_deliberation_pdf(register)).split())
    assert "Blancs : 1" in text and "Nuls : 1" in text
    president = register.president.full_name
    secretary = register.secretaries.get().full_name
    assert (
        f"Signé par le président de séance, {president}, et le secrétaire de séance, {secretary}."
        in text
    )
    assert "Transmis en préfecture le 16 septembre 2022." in text
    assert "Publié le 19 septembre 2022 sur https://www.example.fr/actes/2022-09-15." in text
    assert "Certifié exécutoire à compter du 19 septembre 2022." in text


# The commission permanente of a département or a région (L3121-14-1, L4132-13-1) ----------


@pytest.mark.parametrize(
    ("body", "severity", "message"),
    [
        pytest.param(
            DeliberatingBody.STANDING_COMMITTEE,
            Severity.OK,
            "Quorum atteint : 23 membres présents ou représentés sur 45 en exercice ; il en faut "
            "au moins 23, plus de la moitié des membres en exercice présents ou représentés "
            "(articles L3121-14-1 et L4132-13-1 du CGCT).",
            id="commission permanente: 18 present and 5 represented of 45 make the quorum",
        ),
        pytest.param(
            DeliberatingBody.DEPARTEMENT_COUNCIL,
            Severity.ERROR,
            "il en faut au moins 23, plus de la moitié des membres en exercice, les pouvoirs ne "
            "comptant pas (article L3121-14 du CGCT)",
            id="conseil départemental: the same sitting lacks the quorum (present only)",
        ),
    ],
)
def test_the_commission_permanente_counts_the_members_represented(body, severity, message):
    sitting = make_sitting(
        day=D(2024, 3, 18), present=18, proxies=[(19 + i, 1 + i) for i in range(5)], body=body
    )
    (quorum,) = by_code(check_attendance(sitting), "quorum")
    assert quorum.severity == severity
    assert message in quorum.message


def test_before_the_loi_of_12_may_2009_a_commission_permanente_counts_the_present_only():
    sitting = make_sitting(
        day=D(2009, 5, 13),
        present=18,
        proxies=[(19 + i, 1 + i) for i in range(5)],
        body=DeliberatingBody.STANDING_COMMITTEE,
    )
    (quorum,) = by_code(check_attendance(sitting), "quorum")
    assert quorum.severity == Severity.ERROR
    assert "L3121-14-1" not in quorum.message
