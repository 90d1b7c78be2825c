"""What the funding models refuse, in French, and the services that write them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from conventions.enums import ContributionRule, ProRata
from conventions.funding.services import contribution_save, payment_record, post_cost_set
from conventions.models import Contribution, PostCost
from conventions.models.funding import validate_pdf
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PostCostFactory,
    PostFactory,
)
from tests.partners.factories import OrganisationFactory
from tests.pdfs import ONE_PAGE_PDF

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def convention():
    return ConventionFactory()


def funder(convention):
    return PartyFactory(convention=convention).organisation


def messages_of(error: ValidationError) -> str:
    return " ".join(m for messages in error.message_dict.values() for m in messages)


def test_a_contributor_must_be_a_party_to_the_convention(convention):
    contribution = ContributionFactory.build(
        convention=convention, organisation=OrganisationFactory()
    )
    with pytest.raises(ValidationError) as error:
        contribution.full_clean()
    assert "n'est pas partie à la convention" in messages_of(error.value)


def test_a_partner_cannot_have_two_contributions_over_the_same_years(convention):
    organisation = funder(convention)
    ContributionFactory(convention=convention, organisation=organisation, last_year=2023)
    second = ContributionFactory.build(
        convention=convention, organisation=organisation, first_year=2023, last_year=2025
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "déjà une contribution pour 2021–2023" in messages_of(error.value)


def test_a_partner_may_have_a_new_contribution_for_later_years(convention):
    organisation = funder(convention)
    ContributionFactory(convention=convention, organisation=organisation, last_year=2023)
    ContributionFactory.build(
        convention=convention, organisation=organisation, first_year=2024, last_year=2026
    ).full_clean()


def test_only_one_partner_pays_the_balance(convention):
    ContributionFactory(convention=convention, organisation=funder(convention), balance=True)
    second = ContributionFactory.build(
        convention=convention, organisation=funder(convention), balance=True
    )
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "finance déjà le solde" in messages_of(error.value)


def test_a_fixed_contribution_needs_its_amount(convention):
    contribution = ContributionFactory.build(
        convention=convention, organisation=funder(convention), amount=None
    )
    with pytest.raises(ValidationError) as error:
        contribution.full_clean()
    assert error.value.message_dict["amount"] == ["Indiquez le montant annuel."]


def test_the_database_refuses_a_fixed_contribution_without_amount(convention):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContributionFactory(convention=convention, organisation=funder(convention), amount=None)


def test_a_share_larger_than_the_whole_cost_is_refused(convention):
    contribution = ContributionFactory.build(
        convention=convention,
        organisation=funder(convention),
        share_capped=True,
        share_numerator=4,
        share_denominator=3,
    )
    with pytest.raises(ValidationError) as error:
        contribution.full_clean()
    assert "ne peut dépasser la totalité" in messages_of(error.value)


def test_a_balance_cannot_be_prorated(convention):
    contribution = ContributionFactory.build(
        convention=convention, organisation=funder(convention), balance=True, prorata="days"
    )
    with pytest.raises(ValidationError) as error:
        contribution.full_clean()
    assert "prorata" in error.value.message_dict


def test_a_due_date_that_does_not_exist_is_refused(convention):
    contribution = ContributionFactory.build(
        convention=convention, organisation=funder(convention), due_month=4, due_day=31
    )
    with pytest.raises(ValidationError) as error:
        contribution.full_clean()
    assert error.value.message_dict["due_day"] == ["Ce jour n'existe pas dans ce mois."]


def test_a_cost_breakdown_must_add_up_to_the_total():
    cost = PostCostFactory.build(
        post=PostFactory(),
        total=D("45000"),
        salary=D("30000"),
        charges=D("12000"),
        operating=D("2000"),
    )
    with pytest.raises(ValidationError) as error:
        cost.full_clean()
    assert error.value.message_dict == {
        "total": [
            "Le détail fait 44\u00a0000\u00a0€ et non 45\u00a0000\u00a0€ : corrigez le total "
            "ou le détail, ou laissez le détail vide."
        ]
    }


def test_the_database_refuses_a_breakdown_that_does_not_add_up():
    with pytest.raises(IntegrityError), transaction.atomic():
        PostCostFactory(total=D("45000"), salary=D("30000"))


def test_a_cost_without_breakdown_is_accepted():
    PostCostFactory.build(post=PostFactory(), total=D("45000")).full_clean()


def test_setting_a_cost_twice_for_a_year_replaces_it():
    cost = PostCostFactory(year=2023, total=D("45000"))
    post_cost_set(
        post=cost.post, year=2023, total=D("46500"), note="budget voté", expected_version=1
    )
    assert list(PostCost.objects.values_list("year", "total", "note")) == [
        (2023, D("46500"), "budget voté")
    ]


def test_a_payment_outside_the_years_of_its_contribution_is_refused(convention):
    contribution = ContributionFactory(convention=convention, organisation=funder(convention))
    with pytest.raises(ValidationError) as error:
        payment_record(
            contribution=contribution,
            year=2025,
            date="2025-03-01",
            amount=D("1000"),
            payer=contribution.organisation,
        )
    assert error.value.message_dict["year"] == ["Cette contribution couvre 2021–2023, pas 2025."]


def test_a_stale_edit_of_a_contribution_is_refused_and_the_newer_one_kept(convention):
    contribution = ContributionFactory(convention=convention, organisation=funder(convention))
    first = Contribution.objects.get(pk=contribution.pk)
    second = Contribution.objects.get(pk=contribution.pk)
    first.amount = D("26000")
    contribution_save(contribution=first, expected_version=1)
    second.amount = D("20000")
    with pytest.raises(ValidationError) as error:
        contribution_save(contribution=second, expected_version=1)
    assert "Quelqu'un d'autre a enregistré cette contribution" in error.value.messages[0]
    contribution.refresh_from_db()
    assert (contribution.amount, contribution.version) == (D("26000"), 2)


def test_a_new_contribution_is_saved_at_version_1(convention):
    contribution = Contribution(
        convention=convention,
        organisation=funder(convention),
        source="FIPDR",
        first_year=2022,
        last_year=2024,
        rule=ContributionRule.FIXED,
        amount=D("13000"),
        prorata=ProRata.NONE,
    )
    assert contribution_save(contribution=contribution).version == 1


def test_a_proof_that_is_not_a_pdf_is_refused():
    fake = SimpleUploadedFile("avis.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError) as error:
        validate_pdf(fake)
    assert error.value.messages == [
        "Ce fichier n'est pas un PDF. Enregistrez le justificatif au format PDF."
    ]


def test_a_proof_over_10_mb_is_refused():
    big = SimpleUploadedFile(
        "avis.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf"
    )
    with pytest.raises(ValidationError) as error:
        validate_pdf(big)
    assert "dépasse 10 Mo" in error.value.messages[0]


def test_a_real_pdf_proof_is_accepted_and_left_readable_from_the_start():
    proof = SimpleUploadedFile("avis.pdf", ONE_PAGE_PDF, "application/pdf")
    validate_pdf(proof)
    assert proof.read(5) == b"%PDF-"
