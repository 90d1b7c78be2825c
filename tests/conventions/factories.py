import datetime
from decimal import Decimal

import factory

from conventions.enums import ContributionRule, RenewalMode, Side
from conventions.models import (
    Article,
    Contribution,
    Convention,
    LegalReference,
    Party,
    Payment,
    Post,
    PostCost,
    PostHolder,
    Renewal,
    ReportingRule,
)
from tests.partners.factories import OrganisationFactory, RepresentativeFactory


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    name = factory.Sequence(lambda n: f"ISC du commissariat {n}")
    host_site = factory.LazyAttribute(lambda o: o.name.replace("ISC du c", "C"))
    departement = "79"
    fte = Decimal("1.00")
    employer = factory.SubFactory(
        OrganisationFactory, association=True, departement=factory.SelfAttribute("..departement")
    )
    functional_authority = factory.SubFactory(
        OrganisationFactory, ddsp=True, departement=factory.SelfAttribute("..departement")
    )


class PostHolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostHolder

    post = factory.SubFactory(PostFactory)
    name = factory.Sequence(lambda n: f"Intervenant {n}")
    start = datetime.date(2021, 1, 1)


class ConventionFactory(factory.django.DjangoModelFactory):
    """A three-year convention renewed after concertation; add parties with PartyFactory."""

    class Meta:
        model = Convention

    reference = factory.Sequence(lambda n: f"convention-{n}")
    title = "Convention triennale de partenariat « Intervenant social en commissariat »"
    post = factory.SubFactory(PostFactory)
    place_of_signature = "Niort"
    duration_years = 3
    renewal_mode = RenewalMode.CONCERTATION
    notice_months = 3


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    representative = factory.SubFactory(
        RepresentativeFactory, organisation=factory.SelfAttribute("..organisation")
    )
    side = Side.FIRST


class LegalReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalReference

    convention = factory.SubFactory(ConventionFactory)
    kind = "vu"
    text = "la loi du 5 mars 2007 relative à la prévention de la délinquance ;"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    convention = factory.SubFactory(ConventionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Objet"
    body = "La présente convention a pour objet…"


class RenewalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Renewal

    convention = factory.SubFactory(ConventionFactory)
    number = 1


class ReportingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingRule

    convention = factory.SubFactory(ConventionFactory)
    kind = "quarterly"
    period = "Q1"
    due_month = 4
    due_day = 15


class PostCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostCost

    post = factory.SubFactory(PostFactory)
    year = 2022
    total = Decimal("45000")


class ContributionFactory(factory.django.DjangoModelFactory):
    """A fixed 25 350 € a year for 2021–2023; the organisation must be a party
    (PartyFactory) for ``full_clean`` to pass. Traits: ``share_capped``
    (one third, capped at 13 000 €) and ``balance``."""

    class Meta:
        model = Contribution

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory, prefecture=True)
    source = "FIPDR"
    first_year = 2021
    last_year = 2023
    rule = ContributionRule.FIXED
    amount = Decimal("25350")

    class Params:
        share_capped = factory.Trait(
            rule=ContributionRule.SHARE_CAPPED,
            amount=None,
            share_numerator=1,
            share_denominator=3,
            cap=Decimal("13000"),
            source="budget départemental",
        )
        balance = factory.Trait(
            rule=ContributionRule.BALANCE, amount=None, source="budget de l'employeur"
        )


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    contribution = factory.SubFactory(ContributionFactory)
    year = factory.LazyAttribute(lambda o: o.contribution.first_year)
    date = factory.LazyAttribute(lambda o: datetime.date(o.year, 6, 1))
    amount = Decimal("1000")
    payer = factory.LazyAttribute(lambda o: o.contribution.organisation)
