import datetime
from decimal import Decimal

import factory

from conventions.enums import (
    AttendanceStatus,
    BudgetLine,
    ContributionNature,
    ContributionRule,
    DeliberatingBody,
    DeliberationResult,
    Force,
    RenewalMode,
    Side,
    SiteKind,
)
from conventions.models import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    AssociatedPartner,
    Attendance,
    CommitteeMember,
    Contribution,
    ContributionYearShare,
    Convention,
    ConventionPost,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
    LegalReference,
    Party,
    Payment,
    Post,
    PostCost,
    PostHolder,
    PostSite,
    Renewal,
    ReportingRule,
)
from partners.enums import Civility, OrganisationKind
from tests.partners.factories import OrganisationFactory, RepresentativeFactory


class PostSiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostSite

    post = factory.SubFactory("tests.conventions.factories.PostFactory", site=None)
    force = Force.POLICE
    kind = factory.LazyAttribute(
        lambda o: SiteKind.COMMISSARIAT if o.force == Force.POLICE else SiteKind.GENDARMERIE_BRIGADE
    )
    name = factory.Sequence(lambda n: f"Site {n}")
    functional_authority = factory.LazyAttribute(
        lambda o: OrganisationFactory(
            departement=o.post.departement,
            kind=OrganisationKind.POLICE
            if o.force == Force.POLICE
            else OrganisationKind.GENDARMERIE,
        )
    )

    class Params:
        gendarmerie = factory.Trait(force=Force.GENDARMERIE)


class PostFactory(factory.django.DjangoModelFactory):
    """A police post with one site (a commissariat under a DDSP of its département).

    ``force``, ``host_site``, ``host_address`` and ``functional_authority`` say what
    its first site is; ``site=None`` makes a post without a site; the ``gendarmerie``
    trait makes a brigade under a groupement, ``mixed`` adds a brigade to the commissariat.
    """

    class Meta:
        model = Post
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"ISC du commissariat {n}")
    departement = "79"
    fte = Decimal("1.00")
    employer = factory.SubFactory(
        OrganisationFactory, association=True, departement=factory.SelfAttribute("..departement")
    )

    class Params:
        force = Force.POLICE
        host_site = factory.LazyAttribute(lambda o: o.name.replace("ISC du c", "C"))
        host_address = ""
        functional_authority = factory.LazyAttribute(
            lambda o: OrganisationFactory(
                departement=o.departement,
                kind=OrganisationKind.POLICE
                if o.force == Force.POLICE
                else OrganisationKind.GENDARMERIE,
            )
        )
        gendarmerie = factory.Trait(
            force=Force.GENDARMERIE,
            name=factory.Sequence(lambda n: f"ISG de la brigade {n}"),
            host_site=factory.LazyAttribute(lambda o: o.name.replace("ISG de la b", "B")),
        )
        mixed = factory.Trait(
            second_site=factory.RelatedFactory(
                PostSiteFactory,
                factory_related_name="post",
                gendarmerie=True,
                order=2,
                name="Brigade de gendarmerie",
            )
        )

    site = factory.RelatedFactory(
        PostSiteFactory,
        factory_related_name="post",
        order=1,
        name=factory.SelfAttribute("..host_site"),
        address=factory.SelfAttribute("..host_address"),
        force=factory.SelfAttribute("..force"),
        functional_authority=factory.SelfAttribute("..functional_authority"),
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

    # Zero-padded so that it never meets the fixture's "convention-79" and "convention-95".
    reference = factory.Sequence(lambda n: f"convention-{n:05d}")
    title = "Convention triennale de partenariat « Intervenant social en commissariat »"
    post = factory.SubFactory(PostFactory)
    place_of_signature = "Niort"
    duration_years = 3
    renewal_mode = RenewalMode.CONCERTATION
    notice_months = 3

    @classmethod
    def _create(cls, model_class, *args, post=None, posts=(), **kwargs):
        """``post``: a one-post convention (annex n° 1; None: no post); ``posts``: a
        framework convention, one annex each in that order."""
        convention = super()._create(model_class, *args, **kwargs)
        covered = list(posts) or ([post] if post is not None else [])
        for number, each in enumerate(covered, start=1):
            ConventionPost.objects.create(convention=convention, post=each, number=number)
        return convention

    @classmethod
    def _build(cls, model_class, *args, post=None, posts=(), **kwargs):
        return super()._build(model_class, *args, **kwargs)


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


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    convention = factory.SubFactory(ConventionFactory)
    number = factory.Sequence(lambda n: n + 1)
    signed_on = datetime.date(2022, 11, 15)
    object = "Le présent avenant modifie le montant de la participation de l’État."


class ArticleChangeFactory(factory.django.DjangoModelFactory):
    """Replaces an article by default; traits ``insert`` and ``delete`` for the others."""

    class Meta:
        model = ArticleChange

    amendment = factory.SubFactory(AmendmentFactory)
    article_number = 6
    action = "replace"
    new_title = "Modalités financières"
    new_body = "L’État participera au financement du poste à hauteur de 27 000 euros par an."

    class Params:
        insert = factory.Trait(action="insert", article_number=13, new_title="Article ajouté")
        delete = factory.Trait(action="delete", new_title="", new_body="")


class AnnexFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annex

    convention = factory.SubFactory(ConventionFactory)
    title = "Fiche de poste"
    body = "Missions de l'intervenant social."


class CommitteeMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMember

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    member = "Monsieur le Préfet ou son représentant"


class AssociatedPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssociatedPartner

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory, kind="parquet")
    wording = "Le procureur de la République peut être associé de façon partenariale."


def signed_convention(*, post, signed_on, organisations, **kwargs):
    """A convention whose parties (one per organisation) all signed on ``signed_on``."""
    convention = ConventionFactory(post=post, **kwargs)
    for order, organisation in enumerate(organisations):
        PartyFactory(
            convention=convention, organisation=organisation, order=order, signed_on=signed_on
        )
    return convention


# Deliberations -----------------------------------------------------------------------


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council

    organisation = factory.SubFactory(OrganisationFactory)
    body = DeliberatingBody.MUNICIPAL_COUNCIL
    term_start_year = 2020
    term_end_year = 2026


class CouncilMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMember

    council = factory.SubFactory(CouncilFactory)
    civility = Civility.MRS
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"CONSEILLERE{n}")
    order = factory.Sequence(lambda n: n + 1)


class DeliberationFactory(factory.django.DjangoModelFactory):
    """A municipal council deliberation; ``sitting(...)`` below fills its attendance."""

    class Meta:
        model = Deliberation
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    organisation = factory.SelfAttribute("council.organisation")
    body = factory.SelfAttribute("council.body")
    body_label = factory.SelfAttribute("council.body_label")
    number = factory.Sequence(lambda n: f"D-2024-{n:03d}")
    session_date = datetime.date(2024, 3, 18)
    object = "Poste d'intervenant social au commissariat - convention de partenariat"

    class Params:
        reference = factory.Trait(
            council=None,
            organisation=factory.SubFactory(OrganisationFactory, departement_council=True),
            body=DeliberatingBody.DEPARTEMENT_COUNCIL,
            body_label="",
            is_reference_only=True,
        )

    @factory.post_generation
    def conventions(self, create, extracted, **kwargs):
        if create and extracted:
            self.conventions.set(extracted)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    deliberation = factory.SubFactory(DeliberationFactory)
    order = factory.Sequence(lambda n: n + 1)
    text = "approuver la convention ;"


class DecidedAmountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecidedAmount

    deliberation = factory.SubFactory(DeliberationFactory)
    amount = Decimal("5000")


def sitting(deliberation, *, present, represented=0, excused=0, absent=0):
    """Seat a roster of that many members and record their attendance.

    The first ``represented`` present members each hold one proxy. Votes are
    set to all "pour", and the first present member presides.
    """
    size = present + represented + excused + absent
    members = CouncilMemberFactory.create_batch(size, council=deliberation.council)
    present_members = members[:present]
    rows = [Attendance(member=m, status=AttendanceStatus.PRESENT) for m in present_members]
    givers = members[present : present + represented]
    rows += [
        Attendance(member=giver, status=AttendanceStatus.REPRESENTED, proxy_holder=holder)
        for giver, holder in zip(givers, present_members, strict=False)
    ]
    rest = members[present + represented :]
    rows += [Attendance(member=m, status=AttendanceStatus.EXCUSED) for m in rest[:excused]]
    rows += [Attendance(member=m, status=AttendanceStatus.ABSENT) for m in rest[excused:]]
    for row in rows:
        row.deliberation = deliberation
    Attendance.objects.bulk_create(rows)
    deliberation.president = present_members[0]
    deliberation.rapporteur = present_members[-1]
    deliberation.votes_for = present + represented
    deliberation.votes_against = deliberation.abstentions = deliberation.not_participating = 0
    deliberation.result = DeliberationResult.ADOPTED
    deliberation.save()
    deliberation.secretaries.set([present_members[1 % present]])
    return members


class PostCostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PostCost

    post = factory.SubFactory(PostFactory)
    year = 2022
    total = Decimal("45000")


class ContributionFactory(factory.django.DjangoModelFactory):
    """A fixed 25 350 € a year for 2021–2023; the organisation must be a party
    (PartyFactory) for ``full_clean`` to pass. Traits: ``share_capped``
    (one third, capped at 13 000 €), ``balance``, ``share_by_year`` (with ``shares``) and
    ``in_kind``."""

    class Meta:
        model = Contribution
        skip_postgeneration_save = True  # ``shares`` writes its own rows

    convention = factory.SubFactory(ConventionFactory)
    organisation = factory.SubFactory(OrganisationFactory, prefecture=True)
    # The convention's post when it covers one (a framework convention: say which).
    post = factory.LazyAttribute(lambda o: o.convention.single_post if o.convention.pk else None)
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
        # The State's FIPD, 80 % then 50 % then 30 % of the cost: pass ``shares``.
        share_by_year = factory.Trait(
            rule=ContributionRule.SHARE_BY_YEAR,
            amount=None,
            source="FIPD",
            budget_line=BudgetLine.FIPD,
        )
        in_kind = factory.Trait(
            nature=ContributionNature.IN_KIND,
            rule="",
            amount=None,
            source="patrimoine communal",
            in_kind_description="mise à disposition des locaux",
        )

    @factory.post_generation
    def shares(self, create, extracted, **kwargs):
        """``shares={2024: 80, 2025: 50}``: the percentage of each year stated."""
        if create and extracted:
            for year, share in extracted.items():
                ContributionYearShare.objects.create(
                    contribution=self, year=year, share=Decimal(share)
                )


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    contribution = factory.SubFactory(ContributionFactory)
    year = factory.LazyAttribute(lambda o: o.contribution.first_year)
    date = factory.LazyAttribute(lambda o: datetime.date(o.year, 6, 1))
    amount = Decimal("1000")
    payer = factory.LazyAttribute(lambda o: o.contribution.organisation)
