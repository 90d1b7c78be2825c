"""Conventions of the national dataset: one every three years per post, with their texts."""

import datetime
from collections import defaultdict
from decimal import Decimal

from config.core.formats import euros
from config.devtools.national.common import (
    CONVENTION_YEARS,
    FRAMEWORK_EVERY,
    REFERENCE_PREFIX,
    ConventionPlan,
    elided,
    money,
)
from config.devtools.national.texts import ARTICLES, VISAS
from conventions.enums import (
    ArticleChangeAction,
    ConventionKind,
    ReferenceKind,
    ReportKind,
    Side,
    StartRule,
)
from conventions.models import (
    Amendment,
    Article,
    ArticleChange,
    AssociatedPartner,
    CommitteeMember,
    Convention,
    ConventionPost,
    LegalReference,
    Party,
    ReportingRule,
)


class ConventionsMixin:
    # Conventions ----------------------------------------------------------------

    def plan_conventions(self):
        for plan in self.plans:
            offset = self.rng.randrange(CONVENTION_YEARS)
            if plan.number == 1:
                # The post whose holder has an account: its period in force ends this year
                # and the renewal is in preparation, so that its pages show every kind of
                # row (the benchmark measures them).
                offset = (self.first_year - self.last_year + CONVENTION_YEARS - 1) % 3
            start = self.first_year - offset
            starts = []
            while start <= self.last_year:
                starts.append(start)
                start += CONVENTION_YEARS
            # The period in force ends this year: its renewal is being prepared.
            if starts[-1] + CONVENTION_YEARS - 1 == self.last_year:
                starts.append(self.last_year + 1)
            with_council = self.rng.random() < 0.25
            for year in starts:
                in_preparation = year > self.last_year
                session = self.day_between(
                    datetime.date(year - 1, 9, 15), datetime.date(year - 1, 11, 20)
                )
                if in_preparation and session > self.today:
                    session = None
                signed = not in_preparation
                plan.conventions.append(
                    ConventionPlan(plan, year, None, with_council, signed, session)
                )

        self.plan_frameworks()

    def plan_frameworks(self):
        """In every tenth département of those with three posts or more (the first one
        included, so that a small dataset has one), one framework convention covers 2 to
        4 of its posts (not the first, whose holder has an account): the others'
        conventions are the first's, each post in its own section (annex) with its own
        contributions."""
        several = [dep for dep in self.departements if len(dep.posts) >= 3]
        for index, dep in enumerate(several):
            if index % FRAMEWORK_EVERY:
                continue
            candidates = [plan for plan in dep.posts if plan.number > 1]
            size = min(len(candidates), 2 + (index // FRAMEWORK_EVERY) % 3)
            lead, *members = candidates[:size]
            for item in lead.conventions:
                item.covered = size
            for annex, member in enumerate(members, start=2):
                member.conventions = [
                    ConventionPlan(
                        member,
                        item.start_year,
                        None,
                        item.with_council,
                        item.signed,
                        item.session,
                        framework=item,
                        annex=annex,
                    )
                    for item in lead.conventions
                ]

    def write_conventions(self):
        """In waves, so that each renewal points at the convention it renews."""
        waves = defaultdict(list)
        for plan in self.plans:
            for index, item in enumerate(plan.conventions):
                waves[index].append((item, plan.conventions[index - 1] if index else None))
        for index in sorted(waves):
            conventions = []
            for item, previous in waves[index]:
                if item.framework is None:
                    item.convention = self.convention(item, previous)
                    conventions.append(item.convention)
            self.bulk(Convention, conventions)
            for item, _previous in waves[index]:
                if item.framework is not None:
                    item.convention = item.framework.convention
            # Each covers its plan's post: annex n° 1 of a simple convention, or its own
            # annex of a framework convention.
            self.bulk(
                ConventionPost,
                [
                    ConventionPost(
                        convention=item.convention, post=item.plan.post, number=item.annex
                    )
                    for item, _previous in waves[index]
                ],
            )
        self.convention_plans = [item for plan in self.plans for item in plan.conventions]

    def convention(self, item: ConventionPlan, previous: ConventionPlan | None) -> Convention:
        plan = item.plan
        site = f"au commissariat de police {elided(plan.town)}"
        if plan.mixed:
            site += f" et à la brigade de gendarmerie {elided(plan.town)}"
        elif not plan.police:
            site = f"à la brigade de gendarmerie {elided(plan.town)}"
        if item.covered > 1:
            site = f"dans {item.covered} communes {plan.departement.de}"
        return Convention(
            reference=f"{REFERENCE_PREFIX}{plan.departement.code.lower()}-{plan.number:03d}-"
            f"{item.start_year}",
            title=(
                f"Convention-cadre départementale pour les postes d'intervenant social {site}"
                if item.covered > 1
                else f"Convention de partenariat pour un poste d'intervenant social {site}"
            ),
            subtitle=f"Période {item.start_year}-{item.start_year + CONVENTION_YEARS - 1}",
            kind=ConventionKind.COMMISSARIAT if plan.police else ConventionKind.GENDARMERIE,
            renews=previous.convention if previous else None,
            place_of_signature=plan.departement.city,
            preamble="Dans le cadre de la stratégie nationale de prévention de la délinquance, "
            "les parties s'associent pour pérenniser un poste d'intervenant social "
            f"{site}.",
            start_rule=StartRule.STATED_DATE,
            stated_start_date=datetime.date(item.start_year, 1, 1),
            end_date=datetime.date(item.start_year + CONVENTION_YEARS - 1, 12, 31),
            duration_years=CONVENTION_YEARS,
            renewal_mode="concertation",
            notice_months=3,
            first_contact_hours=72,
            relay_organisation=plan.ccas,
            relay_details="Relais assuré par le CCAS pendant les congés" if plan.ccas else "",
        )

    def write_convention_contents(self):
        parties, associated, visas, articles, rules, committee = [], [], [], [], [], []
        for item in self.convention_plans:
            plan, convention = item.plan, item.convention
            dep = plan.departement
            authorities = [dep.ddsp] if plan.police else []
            if plan.mixed or not plan.police:
                authorities.append(dep.gendarmerie)
            members = [
                (dep.prefecture, Side.FIRST, {"is_funder": True}, "L'État"),
                (plan.local, Side.SECOND, {"is_funder": True, "is_host": True}, ""),
                *(
                    (authority, Side.SECOND, {"is_functional_authority": True}, "")
                    for authority in authorities
                ),
            ]
            if plan.employer == plan.local:
                members[1][2]["is_employer"] = True
            else:
                members.append(
                    (plan.employer, Side.SECOND, {"is_employer": True, "is_funder": True}, "")
                )
            if item.with_council:
                members.append((dep.council, Side.SECOND, {"is_funder": True}, ""))
            if item.framework is not None:
                # A further post of a framework convention: the parties it adds, and its
                # amounts; the texts are the convention's.
                self.framework_parties(item, members, parties)
                self.articles(item)
                continue
            for order, (organisation, side, roles, designation) in enumerate(members, start=1):
                signed_on = None
                if item.signed:
                    signed_on = self.day_between(
                        item.session + datetime.timedelta(days=10),
                        datetime.date(item.start_year - 1, 12, 25),
                    )
                elif item.session and self.rng.random() < 0.5:
                    signed_on = min(
                        self.today, item.session + datetime.timedelta(days=self.rng.randint(5, 40))
                    )
                representative = organisation.representative
                party = Party(
                    convention=convention,
                    organisation=organisation,
                    representative=representative,
                    order=order,
                    side=side,
                    designation=designation,
                    signatory_title=f"{representative.title},",
                    signs=True,
                    signed_on=signed_on,
                    **roles,
                )
                item.parties.append(party)
                parties.append(party)
            if not item.signed and all(p.signed_on for p in item.parties):
                item.parties[-1].signed_on = None
            if self.rng.random() < 0.5:
                associated.append(
                    AssociatedPartner(
                        convention=convention,
                        organisation=dep.parquet,
                        wording="Le Procureur de la République peut être associé à la présente "
                        "convention.",
                    )
                )
            for order, text in enumerate(VISAS, start=1):
                visas.append(
                    LegalReference(
                        convention=convention, kind=ReferenceKind.VU, text=text, order=order
                    )
                )
            visas.append(
                LegalReference(
                    convention=convention,
                    kind=ReferenceKind.CONSIDERANT,
                    text="l'intérêt d'une prise en charge sociale des personnes repérées par les "
                    "services de sécurité",
                    order=len(VISAS) + 1,
                )
            )
            articles.extend(self.articles(item))
            if self.rng.random() < 0.8:
                for kind, period, month, day in [
                    (ReportKind.QUARTERLY_BILAN, "Q1", 4, 15),
                    (ReportKind.QUARTERLY_BILAN, "Q2", 7, 15),
                    (ReportKind.QUARTERLY_BILAN, "Q3", 10, 15),
                    (ReportKind.ANNUAL_BILAN, "year", 1, 7),
                    (ReportKind.REVIEW_MEETING, "year", 3, 31),
                ]:
                    rules.append(
                        ReportingRule(
                            convention=convention,
                            kind=kind,
                            period=period,
                            due_month=month,
                            due_day=day,
                            recipients="Préfet, DDSP, collectivité",
                        )
                    )
            for order, party in enumerate(item.parties, start=1):
                committee.append(
                    CommitteeMember(
                        convention=convention,
                        organisation=party.organisation,
                        member=f"{party.representative.title} ou son représentant",
                        order=order,
                    )
                )
        self.bulk(Party, parties)
        self.bulk(AssociatedPartner, associated)
        self.bulk(LegalReference, visas)
        self.bulk(Article, articles)
        self.bulk(ReportingRule, rules)
        self.bulk(CommitteeMember, committee)

    def framework_parties(self, item: ConventionPlan, members: list, parties: list):
        lead = item.framework
        present = {party.organisation.pk: party for party in lead.parties}
        for organisation, side, roles, designation in members:
            if organisation.pk in present:
                # A role it has for this post too (the employer of two posts…).
                for name, value in roles.items():
                    setattr(present[organisation.pk], name, value)
                continue
            representative = organisation.representative
            party = Party(
                convention=lead.convention,
                organisation=organisation,
                representative=representative,
                order=len(lead.parties) + 1,
                side=side,
                designation=designation,
                signatory_title=f"{representative.title},",
                signs=True,
                signed_on=lead.parties[0].signed_on,
                **roles,
            )
            present[organisation.pk] = party
            lead.parties.append(party)
            parties.append(party)
        item.parties = lead.parties

    def articles(self, item: ConventionPlan) -> list[Article]:
        plan = item.plan
        authority = "la DDSP" if plan.police else "le groupement de gendarmerie"
        if plan.mixed:
            authority = "la DDSP et du groupement de gendarmerie"
        item.state_amount = money(round(self.rng.uniform(12000, 26000) * float(plan.fte), -2))
        item.local_amount = (
            None
            if plan.employer == plan.local
            else money(round(self.rng.uniform(3000, 15000), -2) // 500 * 500)
        )
        local_share = (
            f"{plan.local.name} verse une participation de {euros(item.local_amount)} par an."
            if item.local_amount
            else f"{plan.local.name}, employeur, prend en charge le solde du coût du poste."
        )
        values = {
            "site": item.convention.title.split("social ", 1)[1],
            "force": "de police et de gendarmerie"
            if plan.mixed
            else "de police"
            if plan.police
            else "de gendarmerie",
            "fte": str(plan.fte).replace(".", ","),
            "employer": plan.employer.name,
            "authority": authority,
            "state_amount": euros(item.state_amount),
            "local_share": local_share,
            "local": plan.local.name,
            "start": f"1er janvier {item.start_year}",
        }
        return [
            Article(
                convention=item.convention,
                number=number,
                title=title,
                body=body.format(**values),
            )
            for number, (title, body) in enumerate(ARTICLES, start=1)
        ]

    def write_amendments(self):
        amendments, changes = [], []
        for item in self.convention_plans:
            if item.framework is not None or not item.signed or self.rng.random() >= 0.05:
                continue
            signed_on = self.day_between(
                datetime.date(item.start_year + 1, 2, 1), datetime.date(item.start_year + 1, 6, 30)
            )
            if signed_on > self.today:
                continue
            amendment = Amendment(
                convention=item.convention,
                number=1,
                signed_on=signed_on,
                object="Revalorisation de la participation de l'État",
            )
            amendments.append(amendment)
            changes.append(
                ArticleChange(
                    amendment=amendment,
                    article_number=6,
                    action=ArticleChangeAction.REPLACE,
                    new_title="Financement",
                    new_body="À compter de l'année suivant la signature du présent avenant, "
                    "la participation de l'État au titre du FIPDR est portée à "
                    f"{euros(money(item.state_amount * Decimal('1.05')))} par an.",
                )
            )
        self.bulk(Amendment, amendments)
        self.bulk(ArticleChange, changes)
