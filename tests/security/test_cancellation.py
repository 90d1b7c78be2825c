"""Nothing signed, validated or paid is deleted, in the pages or in the admin: it is
cancelled with a reason (a convention, a payment) or reopened with one (a quarter)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from activity.models import QuarterReport
from conventions.calendar.reminders import send_due_reminders
from conventions.enums import ConventionStatus
from conventions.funding.build import funding_plan
from conventions.funding.services import payment_cancel
from conventions.lifecycle.services import convention_cancel
from conventions.models import Convention, Payment
from partners.enums import Role
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
)

pytestmark = pytest.mark.django_db
D = datetime.date
REASON = "Versement saisi deux fois par erreur."


@pytest.fixture
def world(two_departements):
    """The 79 convention signed by every party, with the commune's 5 000 € paid for 2022."""
    world = two_departements["79"]
    convention = world["convention"]
    convention.parties.update(signed_on=D(2025, 10, 12))
    commune = convention.parties.get(organisation__name="Commune 79").organisation
    contribution = ContributionFactory(
        convention=convention, organisation=commune, amount=Decimal("5000")
    )
    world["payment"] = PaymentFactory(contribution=contribution, year=2022, amount=Decimal("5000"))
    world["commune"] = commune
    return world


@pytest.fixture
def editor(client, world):
    user = world["users"][Role.LOCAL_AUTHORITY]
    client.force_login(user)
    return user


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def cancel_payment(client, payment, reason=REASON):
    return client.post(reverse("conventions:payment_cancel", args=[payment.pk]), {"reason": reason})


def cancel_convention(client, convention, reason="Remplacée avant signature par une autre."):
    return client.post(
        reverse("conventions:cancel", args=[convention.reference]), {"reason": reason}
    )


# Payments ------------------------------------------------------------------------------


def test_a_payment_is_cancelled_with_its_reason_author_and_date(client, world, editor):
    assert cancel_payment(client, world["payment"]).status_code == 302
    payment = Payment.objects.get(pk=world["payment"].pk)
    assert payment.cancellation_reason == REASON
    assert payment.cancelled_by == editor
    assert payment.cancelled_at is not None


def test_a_cancelled_payment_no_longer_counts_in_the_paid_totals(world, editor):
    payment_cancel(payment=world["payment"], user=editor, reason=REASON)
    convention = Convention.objects.get(pk=world["convention"].pk)
    cell = funding_plan(convention).cell(2022, world["commune"].pk)
    assert cell.paid == 0
    assert cell.payments == [] and [p.pk for p in cell.cancelled_payments] == [world["payment"].pk]


def test_the_plan_lists_a_cancelled_payment_with_its_reason_and_no_action(client, world, editor):
    cancel_payment(client, world["payment"])
    content = text(client.get(reverse("conventions:funding_plan", args=["convention-79"])))
    assert "Versements annulés" in content
    assert REASON in content
    assert "Aucun versement enregistré." in content


def test_a_reason_of_a_few_characters_is_refused_in_french_and_nothing_is_cancelled(
    client, world, editor
):
    response = cancel_payment(client, world["payment"], reason="erreur")
    assert response.status_code == 200
    assert "Indiquez le motif de l&#x27;annulation en une phrase" in response.content.decode()
    assert Payment.objects.get(pk=world["payment"].pk).cancelled_at is None


def test_a_payment_is_not_cancelled_twice(world, editor):
    payment_cancel(payment=world["payment"], user=editor, reason=REASON)
    with pytest.raises(ValidationError, match="déjà annulé"):
        payment_cancel(payment=world["payment"], user=editor, reason=REASON)


def test_the_cancellation_is_in_the_history_of_the_funding_plan(client, world, editor):
    cancel_payment(client, world["payment"])
    content = text(client.get(reverse("conventions:funding_plan", args=["convention-79"])))
    history = content[content.index("Historique du financement") :].replace("&#x27;", "'")
    assert f"Motif de l'annulation : (vide) → devient {REASON}" in history


def test_there_is_no_page_to_delete_a_payment(client, world, editor):
    with pytest.raises(NoReverseMatch):
        reverse("conventions:payment_delete", args=[world["payment"].pk])
    url = f"/conventions/financements/versements/{world['payment'].pk}/supprimer/"
    assert client.post(url).status_code == 404
    assert Payment.objects.filter(pk=world["payment"].pk).exists()
    page = client.get(reverse("conventions:funding_plan", args=["convention-79"]))
    assert "Supprimer" not in page.content.decode()


# Conventions ----------------------------------------------------------------------------


def test_a_convention_is_cancelled_with_a_reason_and_shows_the_status_annulee(
    client, world, editor
):
    assert cancel_convention(client, world["convention"]).status_code == 302
    convention = Convention.objects.get(pk=world["convention"].pk)
    assert (convention.cancelled_by, convention.status(D(2026, 1, 1))) == (
        editor,
        ConventionStatus.CANCELLED,
    )
    content = text(client.get(convention.get_absolute_url()))
    assert "Annulée" in content
    assert "Motif : Remplacée avant signature par une autre." in content
    assert "Annuler la convention" not in content


def test_a_convention_cancellation_needs_a_reason(client, world, editor):
    response = cancel_convention(client, world["convention"], reason="erreur")
    assert "Indiquez le motif de l&#x27;annulation" in response.content.decode()
    assert Convention.objects.get(pk=world["convention"].pk).cancelled_at is None


def test_a_partner_who_may_not_edit_gets_403_on_the_cancellation(client, world):
    client.force_login(world["users"][Role.READ_ONLY_PARTNER])
    assert cancel_convention(client, world["convention"]).status_code == 403
    assert cancel_payment(client, world["payment"]).status_code == 403
    assert Convention.objects.get(pk=world["convention"].pk).cancelled_at is None


def test_a_user_of_another_departement_gets_404_on_the_cancellation(
    client, world, two_departements
):
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert cancel_convention(client, world["convention"]).status_code == 404
    assert cancel_payment(client, world["payment"]).status_code == 404


def test_a_model_convention_is_not_cancelled(world, editor):
    model = ConventionFactory(is_template=True)
    with pytest.raises(ValidationError, match="modèle"):
        convention_cancel(convention=model, user=editor, reason="Plus utilisé depuis 2024.")


def test_a_cancelled_convention_leaves_the_dashboard(client, world, editor):
    before = text(client.get(reverse("dashboard")))
    assert "convention-79" in before
    convention_cancel(convention=world["convention"], user=editor, reason="Signée par erreur.")
    assert "convention-79" not in text(client.get(reverse("dashboard")))


def test_a_cancelled_convention_sends_no_reminders(world, editor):
    for party in world["convention"].parties.all():
        party.organisation.email = f"contact-{party.organisation.pk}@example.fr"
        party.organisation.save()
    convention_cancel(convention=world["convention"], user=editor, reason="Signée par erreur.")
    assert send_due_reminders(today=D(2028, 6, 20)).sent == 0
    assert mail.outbox == []


def test_the_list_filters_cancelled_conventions_by_their_own_status(client, world, editor):
    convention_cancel(convention=world["convention"], user=editor, reason="Signée par erreur.")
    url = reverse("conventions:list")
    rows = client.get(url, {"status": "cancelled"}).context["rows"]
    assert [r["convention"].reference for r in rows] == ["convention-79"]
    assert client.get(url, {"status": "signed"}).context["rows"] == []
    assert client.get(url, {"status": "in_force"}).context["rows"] == []


def test_there_is_no_page_to_delete_a_convention(client, world, editor):
    for suffix in ("supprimer/", "suppression/"):
        assert client.post(f"/conventions/convention-79/{suffix}").status_code == 404
    page = client.get(world["convention"].get_absolute_url()).content.decode()
    assert "Supprimer" not in page
    assert Convention.objects.filter(pk=world["convention"].pk).exists()


def test_a_cancelled_convention_refuses_an_edit_prepared_before(world, editor):
    version = world["convention"].version
    convention_cancel(convention=world["convention"], user=editor, reason="Signée par erreur.")
    assert Convention.objects.get(pk=world["convention"].pk).version == version + 1


# The admin -------------------------------------------------------------------------------


def test_a_superuser_cannot_delete_a_signed_convention_in_the_admin(client, world, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:conventions_convention_delete", args=[world["convention"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Convention.objects.filter(pk=world["convention"].pk).exists()


def test_the_admin_offers_no_bulk_deletion_of_conventions(client, world, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:conventions_convention_changelist"))
    assert "delete_selected" not in response.content.decode()
    response = client.post(
        reverse("admin:conventions_convention_changelist"),
        {"action": "delete_selected", "_selected_action": [world["convention"].pk], "post": "yes"},
    )
    assert Convention.objects.filter(pk=world["convention"].pk).exists()


def test_an_unsigned_draft_may_still_be_deleted_by_a_superuser(client, world, admin_user):
    draft = ConventionFactory(post=world["post"])
    client.force_login(admin_user)
    url = reverse("admin:conventions_convention_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Convention.objects.filter(pk=draft.pk).exists()


def test_a_superuser_cannot_delete_a_payment_in_the_admin(client, world, admin_user):
    client.force_login(admin_user)
    payment = world["payment"]
    url = reverse("admin:conventions_payment_delete", args=[payment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:conventions_payment_changelist"),
        {"action": "delete_selected", "_selected_action": [payment.pk], "post": "yes"},
    )
    assert (
        "delete_selected"
        not in client.get(reverse("admin:conventions_payment_changelist")).content.decode()
    )
    assert Payment.objects.filter(pk=payment.pk).exists()


@pytest.mark.parametrize("model", ["quarterreport", "monthlyrecord"])
def test_a_superuser_cannot_delete_a_validated_quarter_or_its_months_in_the_admin(
    client, world, admin_user, model
):
    report = QuarterReportFactory(post=world["post"], filled=True, validated=True)
    target = report if model == "quarterreport" else report.records.first()
    client.force_login(admin_user)
    url = reverse(f"admin:activity_{model}_delete", args=[target.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert QuarterReport.objects.get(pk=report.pk).records.count() == 3


def test_the_admin_shows_an_object_s_history_but_never_reverts_it(client, world, admin_user):
    client.force_login(admin_user)
    payment = world["payment"]
    response = client.get(reverse("admin:conventions_payment_history", args=[payment.pk]))
    assert response.status_code == 200
    record = payment.history.first()
    revert = reverse("admin:conventions_payment_simple_history", args=[payment.pk, record.pk])
    assert client.post(revert, {"amount": "1"}).status_code == 403
    assert Payment.objects.get(pk=payment.pk).amount == Decimal("5000")


def test_the_admin_history_of_an_object_out_of_scope_is_404(client, world, two_departements):
    other = two_departements["95"]["convention"]
    client.force_login(two_departements["79"]["users"][Role.EMPLOYER_COORDINATION])
    url = reverse("admin:conventions_convention_history", args=[other.pk])
    assert client.get(url).status_code == 404


# Query counts ---------------------------------------------------------------------------


def add_parties_and_payments(world, count):
    """More signatories and more payments of the same contribution."""
    convention, payment = world["convention"], world["payment"]
    for index in range(count):
        PartyFactory(convention=convention, order=10 + index, signed_on=D(2025, 10, 12))
        PaymentFactory(contribution=payment.contribution, year=2023 + index, amount=Decimal("1"))


def test_the_cancellation_forms_run_a_fixed_number_of_queries(
    client, world, editor, django_assert_num_queries
):
    convention_url = reverse("conventions:cancel", args=[world["convention"].reference])
    payment_url = reverse("conventions:payment_cancel", args=[world["payment"].pk])
    for extra in (0, 8):
        add_parties_and_payments(world, extra)
        # Session, user, SAVEPOINT, the user's organisation (scope), the convention
        # (scoped), its sections with their posts, the posts' sites, its parties (who may
        # edit), RELEASE.
        with django_assert_num_queries(9):
            assert client.get(convention_url).status_code == 200
        # The same with the payment, its contribution, convention and payer in one query.
        with django_assert_num_queries(7):
            assert client.get(payment_url).status_code == 200
