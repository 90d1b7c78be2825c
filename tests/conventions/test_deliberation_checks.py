"""The law's checks on a deliberation (CGCT L2121-17, L2121-20), in French."""

from decimal import Decimal

import pytest

from config.core.formats import NBSP
from config.devtools.demo import deliberations as demo_deliberations
from config.devtools.demo import partners as partners_demo
from config.devtools.demo import seeds as demo_seeds
from conventions.deliberations.checks.amounts import DecidedFigure, check_amounts
from conventions.deliberations.checks.attendance import check_attendance
from conventions.deliberations.checks.common import Proxy, Severity, Sitting, Vote
from conventions.deliberations.checks.deliberation import check_deliberation
from conventions.deliberations.checks.vote import check_vote
from conventions.models import Convention, Deliberation


def make_sitting(*, in_office=45, present=39, proxies=(), excused=(), absent=(), **kwargs):
    """Members are numbered 1..in_office; the first ``present`` are present."""
    members = range(1, in_office + 1)
    officers = {"president": 1, "secretaries": [2], "rapporteur": 3}
    return Sitting(
        names={m: f"Membre {m}" for m in members},
        in_office=frozenset(members),
        present=list(range(1, present + 1)) if isinstance(present, int) else list(present),
        proxies=[Proxy(g, h) for g, h in proxies],
        excused=list(excused),
        absent=list(absent),
        **{**officers, **kwargs},
    )


def niort_like(**kwargs):
    """39 present, 5 proxies to members 1..5, member 45 excused: the seed's shape."""
    defaults = {"proxies": [(40 + i, 1 + i) for i in range(5)], "excused": [45]}
    return make_sitting(**{**defaults, **kwargs})


def plain(message):
    """Amounts are written with non-breaking spaces, as French typography wants."""
    return message.replace(NBSP, " ")


def errors(checks):
    return [plain(c.message) for c in checks if c.severity == Severity.ERROR]


def messages(checks):
    return " ".join(plain(c.message) for c in checks)


# The seed ---------------------------------------------------------------------------


@pytest.fixture
def niort_deliberation(db):
    partners_demo.load()
    demo_seeds.load()
    demo_deliberations.load()
    return Deliberation.objects.for_detail(Convention.objects.all()).get(number="D-2021-313")


def niort_planned_amounts(convention, year):
    """État 25 350 € and Ville 5 000 € a year, as article 6 of the convention says."""
    return {
        partners_demo.organisation("prefecture79").pk: Decimal("25350"),
        partners_demo.organisation("niort").pk: Decimal("5000"),
    }


def test_the_seed_deliberation_passes_every_law_check(niort_deliberation):
    checks = check_deliberation(niort_deliberation, planned_amounts=niort_planned_amounts)
    assert errors(checks) == []
    passed = {c.code for c in checks if c.severity == Severity.OK}
    assert {"proxies", "attendance_total", "quorum", "vote_total", "result"} <= passed


def test_the_seed_deliberation_shows_the_amount_discrepancy_with_the_convention(
    niort_deliberation,
):
    checks = check_deliberation(niort_deliberation, planned_amounts=niort_planned_amounts)
    warnings = [
        plain(c.message) for c in checks if c.severity == Severity.WARNING and c.code == "amounts"
    ]
    assert warnings == [
        "Le montant annuel annoncé par la délibération (28 967 €) ne correspond pas au "
        "total des contributions de la convention (30 350 €)."
    ]


def test_the_seed_city_contribution_matches_the_convention(niort_deliberation):
    checks = check_deliberation(niort_deliberation, planned_amounts=niort_planned_amounts)
    assert "Le montant décidé (5 000 €) est égal à la contribution de Ville de Niort" in (
        messages(c for c in checks if c.severity == Severity.OK)
    )


def test_without_funding_data_the_amounts_are_said_not_comparable(niort_deliberation):
    checks = check_deliberation(niort_deliberation, planned_amounts=lambda c, y: None)
    assert [c.code for c in checks if c.severity == Severity.INFO] == ["amounts"]
    assert "ne peuvent pas encore être comparés" in messages(checks)


def test_the_seed_counts_are_those_of_the_register(niort_deliberation):
    d = niort_deliberation
    assert (len(d.members_in_office), len(d.present_members), len(d.proxies)) == (45, 39, 5)
    assert [m.full_name for m in d.excused_members] == ["Madame Fatima PEREIRA"]
    assert [(p.member.name, p.proxy_holder.name) for p in d.proxies] == [
        ("Michel PAILLEY", "Jérôme BALOGE"),
        ("Jeanine BARBOTIN", "Romain DUPEYROU"),
        ("Lucien-Jean LAHOUSSE", "Anne-Lydie LARRIBAU"),
        ("Florence VILLES", "Rose-Marie NIETO"),
        ("Stéphanie ANTIGNY", "Nicolas VIDEAU"),
    ]


# Each rule broken, with its French message ---------------------------------------------


def test_it_refuses_a_proxy_giver_who_is_also_present():
    sitting = niort_like(present=list(range(1, 40)) + [40])
    (check,) = [c for c in check_attendance(sitting) if c.code == "giver_present"]
    assert check.blocking
    assert check.message == (
        "Membre 40 a donné pouvoir à Membre 1 mais figure aussi parmi les présents : un membre "
        "qui donne pouvoir n'est pas présent."
    )


def test_it_refuses_a_proxy_held_by_a_member_who_is_not_present():
    sitting = niort_like(proxies=[(40, 45), (41, 2), (42, 3), (43, 4), (44, 5)], excused=[45])
    assert (
        "Membre 45 détient le pouvoir de Membre 40 mais n'est pas présent(e) : seul un membre "
        "présent peut voter pour un autre."
    ) in errors(check_attendance(sitting))


def test_it_reports_votes_that_do_not_add_up_to_present_and_represented():
    checks = check_vote(Vote(43, 0, 0, 0, result="adopted"), niort_like())
    assert errors(checks) == [
        "Les votes ne correspondent pas aux votants : 43 pour + 0 contre + 0 abstention + 0 ne "
        "prenant pas part = 43, pour 44 votants (39 présents + 5 représentés)."
    ]


def test_it_reports_a_sheet_that_does_not_account_for_every_member_in_office():
    sitting = niort_like(excused=[])
    assert errors(check_attendance(sitting)) == [
        "La feuille de présence compte 44 membres (39 présents + 5 représentés + 0 excusé ou "
        "absent) pour 45 membres en exercice. Sans statut : Membre 45."
    ]


def test_a_session_on_second_convocation_needs_no_quorum():
    sitting = make_sitting(present=10, absent=range(11, 46), second_convocation=True)
    checks = check_attendance(sitting)
    assert errors(checks) == []
    assert "sans condition de quorum" in messages(checks)


def test_it_reports_a_result_that_contradicts_the_votes():
    sitting = niort_like()
    checks = check_vote(Vote(20, 24, 0, 0, result="adopted"), sitting)
    assert errors(checks) == [
        "Le résultat enregistré (adoptée) ne correspond pas aux votes : 20 voix pour sur 44 "
        "suffrages exprimés, majorité absolue 23 (article L2121-20 du CGCT) : la délibération "
        "est rejetée."
    ]


def test_abstentions_and_non_participation_are_not_votes_cast():
    # 10 pour, 9 contre, 20 abstentions, 5 ne prennent pas part: adopted by 10 of 19 cast.
    checks = check_vote(Vote(10, 9, 20, 5, result="adopted"), niort_like())
    assert errors(checks) == []
    assert "10 voix pour sur 19 suffrages exprimés, majorité absolue 10" in messages(checks)


def test_a_tie_is_decided_by_the_presidents_vote():
    sitting = niort_like()
    adopted = check_vote(Vote(20, 20, 4, 0, result="adopted", president_vote="for"), sitting)
    rejected = check_vote(Vote(20, 20, 4, 0, result="rejected", president_vote="against"), sitting)
    assert errors(adopted) == [] and errors(rejected) == []
    assert "la voix du président, qui a voté pour, est prépondérante" in messages(adopted)
    wrong = check_vote(Vote(20, 20, 4, 0, result="rejected", president_vote="for"), sitting)
    assert "Le résultat enregistré (rejetée) ne correspond pas aux votes" in messages(wrong)


def test_a_tie_without_the_presidents_vote_asks_for_it():
    checks = check_vote(Vote(20, 20, 4, 0, result="adopted"), niort_like())
    assert errors(checks) == [
        "Partage égal des voix (20 pour, 20 contre) : indiquez le vote du président, dont la "
        "voix est prépondérante (article L2121-20 du CGCT)."
    ]


def test_in_a_secret_ballot_a_tie_rejects_whatever_the_president_voted():
    vote = Vote(20, 20, 4, 0, result="adopted", president_vote="for", secret_ballot=True)
    assert "en scrutin secret" in messages(check_vote(vote, niort_like()))
    assert errors(check_vote(vote, niort_like()))


def test_it_reports_a_secretary_who_was_not_present():
    sitting = niort_like(secretaries=[45])
    assert "Le secrétaire de séance (Membre 45) ne figure pas parmi les présents." in errors(
        check_attendance(sitting)
    )


def test_only_attendance_errors_about_the_sheet_itself_block_saving():
    no_quorum = make_sitting(present=10, absent=range(11, 46))
    assert errors(check_attendance(no_quorum))
    assert not any(c.blocking for c in check_attendance(no_quorum))


# Amounts -------------------------------------------------------------------------------


class FakeConvention:
    reference = "c-1"
    effective_date = None
    initial_end_date = None
    duration_years = 3


def test_an_amount_for_one_partner_is_compared_with_that_partners_contribution():
    checks = check_amounts(
        [DecidedFigure(Decimal("5000"), organisation_id=7, organisation_name="Ville de Niort")],
        [FakeConvention()],
        session_year=2021,
        planned_amounts=lambda c, y: {7: Decimal("4000"), 8: Decimal("25350")},
    )
    assert [plain(c.message) for c in checks] == [
        "La participation annuelle de Ville de Niort décidée par la délibération (5 000 €) "
        "ne correspond pas à sa contribution dans la convention (4 000 €)."
    ]
    assert checks[0].severity == Severity.WARNING and not checks[0].blocking


def test_an_annual_amount_names_the_budgets_that_differ():
    planned = {2021: Decimal("30350"), 2022: Decimal("28967"), 2023: Decimal("28967")}
    checks = check_amounts(
        [DecidedFigure(Decimal("28967"))],
        [FakeConvention()],
        session_year=2021,
        planned_amounts=lambda c, y: {1: planned[y]},
    )
    assert [plain(c.message) for c in checks] == [
        "Le montant annuel annoncé par la délibération (28 967 €) ne correspond pas au "
        "total des contributions de la convention (30 350 €) pour le budget 2021."
    ]
