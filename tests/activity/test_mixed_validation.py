"""A mixed post's quarter is validated by the right authorities: each functional
authority of its sites, or the one its convention names (issue #18, item 2)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activity.dashboard import statistics_sections
from activity.enums import QuarterAction, QuarterState
from activity.history import quarter_history
from activity.layout import SITE_PLACEHOLDER
from activity.models import MonthlyValue, QuarterValidation
from activity.services import quarter_reopen, quarter_save, quarter_validate
from conventions.enums import StartRule, StatisticsValidation
from conventions.models import Post
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory, month_values
from tests.conventions.factories import ConventionFactory, PostFactory, PostSiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_departements):
    """Niort's DDSP (A) and the Deux-Sèvres groupement (B); a mixed post with a
    commissariat under A and a brigade under B, its first quarter submitted."""
    niort = two_departements["79"]
    ddsp = niort["post"].functional_authorities[0]
    groupement = niort["gendarmerie_post"].functional_authorities[0]
    mixed = PostFactory(departement="79", functional_authority=ddsp)
    PostSiteFactory(post=mixed, gendarmerie=True, order=2, functional_authority=groupement)
    report = QuarterReportFactory(post=mixed, filled=True, submitted=True)
    return {
        **niort,
        "mixed": mixed,
        "report": report,
        "ddsp": ddsp,
        "groupement": groupement,
        "A": niort["users"][Role.DDSP_SECRETARIAT],
        "B": niort["users"][Role.GENDARMERIE_SECRETARIAT],
    }


def named_validator(world, authority):
    """A convention in force in 2025 that names ``authority`` alone."""
    return ConventionFactory(
        post=world["mixed"],
        start_rule=StartRule.STATED_DATE,
        stated_start_date=datetime.date(2024, 1, 1),
        statistics_validation=StatisticsValidation.NAMED_AUTHORITY,
        statistics_validator=authority,
    )


def validate_url(report):
    return reverse("activity:quarter_validate", args=[report.post_id, report.year, report.quarter])


def entry_url(report):
    return reverse("activity:quarter_entry", args=[report.post_id, report.year, report.quarter])


def refreshed(report):
    report.refresh_from_db()
    return report


def test_it_keeps_a_mixed_quarter_pending_until_the_groupement_validates_too(world, client):
    report = quarter_validate(report=world["report"], user=world["A"])
    assert refreshed(report).state == QuarterState.SUBMITTED
    client.force_login(world["A"])
    page = client.get(entry_url(report)).content.decode()
    assert "Validé par " in page
    assert f"en attente de {world['groupement'].name}" in page
    assert "Valider le trimestre" not in page

    quarter_validate(report=report, user=world["B"])
    report = refreshed(report)
    assert report.state == QuarterState.VALIDATED
    assert report.validated_by == world["B"]
    assert {v.authority for v in report.validations.all()} == {world["ddsp"], world["groupement"]}
    actions = list(report.events.values_list("action", flat=True))
    assert actions[-2:] == [QuarterAction.AUTHORITY_VALIDATED, QuarterAction.VALIDATED]


def test_it_offers_the_groupement_the_button_while_it_is_awaited(world, client):
    quarter_validate(report=world["report"], user=world["A"])
    client.force_login(world["B"])
    assert "Valider le trimestre" in client.get(entry_url(world["report"])).content.decode()


def test_it_refuses_an_authority_that_validates_twice(world, client):
    quarter_validate(report=world["report"], user=world["A"])
    with pytest.raises(ValidationError, match="a déjà validé ce trimestre"):
        quarter_validate(report=world["report"], user=world["A"])
    # A double click: the second POST says so, nothing is recorded twice.
    client.force_login(world["A"])
    client.post(validate_url(world["report"]))
    assert world["report"].validations.count() == 1


def test_it_clears_both_validations_when_the_quarter_is_reopened(world):
    quarter_validate(report=world["report"], user=world["A"])
    quarter_validate(report=world["report"], user=world["B"])
    report = quarter_reopen(report=world["report"], user=world["B"], reason="Erreur en mars")
    assert refreshed(report).state == QuarterState.DRAFT
    assert not QuarterValidation.objects.exists()


def test_it_clears_a_partial_validation_when_the_counts_change(world):
    quarter_validate(report=world["report"], user=world["A"])
    report = refreshed(world["report"])
    report.post = world["mixed"]
    quarter_save(
        report=report,
        values={1: month_values(persons=21)},
        user=world["B"],
        expected_version=report.version,
    )
    assert not QuarterValidation.objects.exists()
    event = report.events.last()
    assert event.action == QuarterAction.VALIDATIONS_CLEARED
    assert world["ddsp"].name in event.reason


def test_an_administrator_validates_for_every_authority_and_says_so(world, admin_user):
    report = quarter_validate(report=world["report"], user=admin_user)
    assert refreshed(report).state == QuarterState.VALIDATED
    event = report.events.last()
    assert event.action == QuarterAction.VALIDATED
    assert "pour toutes les autorités" in event.reason


def test_the_named_authority_validates_alone(world):
    named_validator(world, world["ddsp"])
    report = quarter_validate(report=world["report"], user=world["A"])
    assert refreshed(report).state == QuarterState.VALIDATED


def test_the_authority_not_named_gets_no_button_and_a_403(world, client):
    named_validator(world, world["ddsp"])
    with pytest.raises(PermissionDenied):
        quarter_validate(report=world["report"], user=world["B"])
    client.force_login(world["B"])
    assert "Valider le trimestre" not in client.get(entry_url(world["report"])).content.decode()
    assert client.post(validate_url(world["report"])).status_code == 403
    assert refreshed(world["report"]).state == QuarterState.SUBMITTED


def test_the_groupement_alone_validates_a_gendarmerie_post(world):
    report = QuarterReportFactory(post=world["gendarmerie_post"], filled=True, submitted=True)
    quarter_validate(report=report, user=world["B"])
    assert refreshed(report).state == QuarterState.VALIDATED


def test_the_ddsp_of_the_departement_cannot_validate_a_gendarmerie_post(world, client):
    report = QuarterReportFactory(post=world["gendarmerie_post"], filled=True, submitted=True)
    client.force_login(world["A"])
    assert client.post(validate_url(report)).status_code in (403, 404)
    assert refreshed(report).state == QuarterState.SUBMITTED


def test_the_submission_message_names_both_secretariats(world, client):
    report = QuarterReportFactory(post=world["mixed"], quarter=2, filled=True)
    client.force_login(world["A"])
    url = reverse("activity:quarter_submit", args=[report.post_id, 2025, 2])
    response = client.post(url, follow=True)
    text = response.content.decode()
    assert "secrétariats des autorités fonctionnelles du poste" in text
    assert world["groupement"].name in text


def test_the_dashboard_lists_a_mixed_quarter_only_for_the_authority_it_waits_for(
    world, client, monkeypatch
):
    report = QuarterReportFactory(
        post=world["mixed"], year=2026, quarter=3, filled=True, submitted=True
    )
    quarter_validate(report=report, user=world["A"])
    today = datetime.date(2026, 10, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    ConventionFactory(
        post=world["mixed"], start_rule=StartRule.STATED_DATE, stated_start_date=today.replace(2025)
    )
    item = f"3e trimestre 2026 — {world['mixed'].name} : transmis, à valider"
    client.force_login(world["A"])
    assert item not in client.get(reverse("dashboard")).content.decode()
    client.force_login(world["B"])
    assert item in client.get(reverse("dashboard")).content.decode()


def validated_year(world, year=2025):
    """The mixed post's four quarters of ``year``, validated."""
    world["report"].delete()
    return [
        QuarterReportFactory(post=world["mixed"], year=year, quarter=q, filled=True, validated=True)
        for q in range(1, 5)
    ]


def reopen_url(report):
    return reverse("activity:quarter_reopen", args=[report.post_id, report.year, report.quarter])


def test_the_authority_not_named_may_not_reopen_a_quarter(world, client):
    named_validator(world, world["ddsp"])
    report = validated_year(world)[0]
    with pytest.raises(PermissionDenied):
        quarter_reopen(report=report, user=world["B"], reason="Erreur de saisie")
    client.force_login(world["B"])
    assert "Rouvrir le trimestre" not in client.get(entry_url(report)).content.decode()
    assert client.get(reopen_url(report)).status_code == 403
    assert client.post(reopen_url(report), {"reason": "Erreur"}).status_code == 403
    assert refreshed(report).state == QuarterState.VALIDATED


def test_the_named_authority_reopens_a_quarter(world, client):
    named_validator(world, world["ddsp"])
    report = validated_year(world)[0]
    client.force_login(world["A"])
    assert "Rouvrir le trimestre" in client.get(entry_url(report)).content.decode()
    response = client.post(reopen_url(report), {"reason": "Erreur de saisie"})
    assert response.status_code == 302
    assert refreshed(report).state == QuarterState.DRAFT


def test_each_authority_reopens_when_the_convention_names_none(world):
    report = validated_year(world)[0]
    quarter_reopen(report=report, user=world["B"], reason="Erreur de saisie")
    assert refreshed(report).state == QuarterState.DRAFT


def test_only_the_named_authority_validates_the_year(world, client):
    named_validator(world, world["ddsp"])
    reports = validated_year(world)
    board = f"{reverse('activity:status_board')}?annee=2025"
    annual = reverse("activity:annual_validate", args=[world["mixed"].pk, 2025])
    client.force_login(world["B"])
    assert "Valider le bilan 2025" not in client.get(board).content.decode()
    assert client.post(annual).status_code == 403
    assert {refreshed(r).state for r in reports} == {QuarterState.VALIDATED}
    client.force_login(world["A"])
    assert "Valider le bilan 2025" in client.get(board).content.decode()
    assert client.post(annual).status_code == 302
    assert {refreshed(r).state for r in reports} == {QuarterState.LOCKED}


def test_the_validate_button_names_the_authority_it_validates_for(world, client):
    client.force_login(world["A"])
    page = client.get(entry_url(world["report"])).content.decode()
    assert f"Valider le trimestre pour {world['ddsp'].short_name or world['ddsp'].name}" in page


def test_the_board_and_the_dashboard_say_the_same_of_a_partly_validated_quarter(
    world, client, monkeypatch
):
    report = QuarterReportFactory(
        post=world["mixed"], year=2026, quarter=3, filled=True, submitted=True
    )
    quarter_validate(report=report, user=world["A"])
    today = datetime.date(2026, 10, 5)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    ConventionFactory(
        post=world["mixed"], start_rule=StartRule.STATED_DATE, stated_start_date=today.replace(2025)
    )
    board = f"{reverse('activity:status_board')}?annee=2026"
    groupement = world["groupement"].short_name or world["groupement"].name
    said = {}
    for key in ("A", "B"):
        client.force_login(world[key])
        response = client.get(board)
        row = next(r for r in response.context["rows"] if r["post"] == world["mixed"])
        to_validate = statistics_sections(world[key], today=today)[0]
        said[key] = (
            row["cells"][2]["state_label"],
            response.context["submitted_count"],
            [item.text for item in to_validate.items],
        )
    item = f"3e trimestre 2026 — {world['mixed'].name} : transmis, à valider"
    assert said["A"] == (f"Transmis, validé par vous, en attente de {groupement}", 0, [])
    assert said["B"] == ("Transmis, à valider", 1, [item])


def test_the_quarter_history_of_a_gendarmerie_post_never_says_commissariat(world):
    report = QuarterReportFactory(post=world["gendarmerie_post"], filled=True)
    value = MonthlyValue.objects.filter(
        record__report=report, indicator__label__contains=SITE_PLACEHOLDER
    ).first()
    value.value += 1
    value.save()  # the latest change: on the first page of the history
    report.post = Post.objects.with_sites().get(pk=report.post_id)
    subjects = [entry.subject for entry in quarter_history(report)]
    assert any("à la brigade" in subject for subject in subjects)
    assert not any("commissariat" in subject for subject in subjects)
