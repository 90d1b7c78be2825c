"""Councils, rosters and the deliberations that approved each convention."""

import datetime

from config.core.formats import euros
from config.devtools.national.common import CONVENTION_YEARS, TERM_STARTS, ConventionPlan
from conventions.bodies import usual_body
from conventions.enums import AttendanceStatus, DeliberatingBody, DeliberationResult, PresidentVote
from conventions.models import (
    Attendance,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
)
from partners.enums import OrganisationKind
from partners.models import Organisation


class DeliberationsMixin:
    # Councils and deliberations ------------------------------------------------

    def council_for(self, organisation: Organisation, session: datetime.date) -> Council:
        start = max(s for s in TERM_STARTS if s <= session.year)
        key = (organisation.pk, start)
        if key not in self.councils:
            self.councils[key] = Council(
                organisation=organisation,
                body=usual_body(organisation.kind),
                term_start_year=start,
                term_end_year=TERM_STARTS[TERM_STARTS.index(start) + 1],
            )
        return self.councils[key]

    def write_councils(self):
        for item in self.convention_plans:
            if item.session:
                self.council_for(item.plan.local, item.session)
        councils = self.bulk(Council, self.councils.values())
        members = []
        for council in councils:
            size = (
                self.rng.randint(40, 70)
                if council.body == DeliberatingBody.COMMUNITY_COUNCIL
                else self.rng.choice([27, 29, 33, 35, 39, 43, 45, 49])
            )
            names = set()
            roster = []
            while len(roster) < size:
                civility, first, last = self.person()
                if (first, last) in names:
                    continue
                names.add((first, last))
                roster.append(
                    CouncilMember(
                        council=council,
                        civility=civility,
                        first_name=first,
                        last_name=last.upper(),
                        order=len(roster) + 1,
                    )
                )
            self.council_members[id(council)] = roster
            members.extend(roster)
        self.bulk(CouncilMember, members)

    def number(self, organisation: Organisation, year: int, prefix: str = "D") -> str:
        key = (organisation.pk, year)
        self.numbers[key] = self.numbers.get(key, self.rng.randint(80, 250)) + 1
        return f"{prefix}-{year}-{self.numbers[key]:03d}"

    def write_deliberations(self):
        deliberations, attendances, decisions, amounts = [], [], [], []
        secretaries, links = [], []
        # The conseil départemental's framework deliberation that its contributions cite.
        for dep in self.departements:
            if not any(i.with_council for p in dep.posts for i in p.conventions):
                continue
            year = min(i.start_year for p in dep.posts for i in p.conventions) - 1
            dep.cd_deliberation = Deliberation(
                organisation=dep.council,
                body=DeliberatingBody.DEPARTEMENT_COUNCIL,
                is_reference_only=True,
                number=self.number(dep.council, year, "CP"),
                session_date=datetime.date(year, 11, 20),
                object="Cofinancement des postes d'intervenant social en commissariat et en "
                "gendarmerie : au plus un tiers du coût du poste, dans la limite de 13 000 € par "
                "poste et par an.",
            )
            deliberations.append(dep.cd_deliberation)
        for item in self.convention_plans:
            if item.session is None:
                continue
            deliberation, sheet, texts, secretary = self.deliberation(item)
            item.deliberation = deliberation
            deliberations.append(deliberation)
            attendances.append((deliberation, sheet))
            decisions.append((deliberation, texts))
            secretaries.append((deliberation, secretary))
        self.bulk(Deliberation, deliberations)

        attendance_rows = [
            Attendance(deliberation=d, member=member, status=status, proxy_holder=holder)
            for d, sheet in attendances
            for member, status, holder in sheet
        ]
        self.bulk(Attendance, attendance_rows)
        self.bulk(
            Decision,
            [
                Decision(deliberation=d, order=order, text=text)
                for d, texts in decisions
                for order, text in enumerate(texts, start=1)
            ],
        )
        through = Deliberation.secretaries.through
        self.bulk(
            through,
            [through(deliberation_id=d.pk, councilmember_id=m.pk) for d, m in secretaries],
            "secrétaires de séance",
        )
        for item in self.convention_plans:
            if item.deliberation is not None:
                links.append((item.deliberation, item.convention))
                if item.local_amount:
                    amounts.append(
                        DecidedAmount(
                            deliberation=item.deliberation,
                            organisation=item.plan.local,
                            amount=item.local_amount,
                            label=f"participation annuelle de {item.plan.local.short_name}",
                        )
                    )
                    if self.rng.random() < 0.1:
                        # As in Niort: the exposé announces a total that the plan does not reach.
                        amounts.append(
                            DecidedAmount(
                                deliberation=item.deliberation,
                                amount=item.local_amount + item.state_amount - 1383,
                                label="financement partenarial annuel",
                            )
                        )
            dep = item.plan.departement
            if item.with_council and dep.cd_deliberation is not None:
                links.append((dep.cd_deliberation, item.convention))
        self.bulk(DecidedAmount, amounts)
        through = Deliberation.conventions.through
        self.bulk(
            through,
            # A framework convention's posts may share a deliberation (the département's).
            [
                through(deliberation_id=d, convention_id=c)
                for d, c in dict.fromkeys((d.pk, c.pk) for d, c in links)
            ],
            "liens délibération-convention",
        )

    def deliberation(self, item: ConventionPlan):
        plan = item.plan
        council = self.council_for(plan.local, item.session)
        roster = self.council_members[id(council)]
        size = len(roster)
        away = self.rng.randint(1, max(2, size // 6))
        represented = self.rng.randint(0, away)
        excused = self.rng.randint(0, away - represented)
        absent_members = self.rng.sample(roster[1:], away)
        present = [m for m in roster if m not in absent_members]
        holders = self.rng.sample(present, represented)
        sheet = [(m, AttendanceStatus.PRESENT, None) for m in present]
        for index, member in enumerate(absent_members):
            if index < represented:
                sheet.append((member, AttendanceStatus.REPRESENTED, holders[index]))
            elif index < represented + excused:
                sheet.append((member, AttendanceStatus.EXCUSED, None))
            else:
                sheet.append((member, AttendanceStatus.ABSENT, None))
        voters = len(present) + represented
        against = self.rng.choice([0] * 8 + [1, 2])
        abstentions = self.rng.choice([0] * 6 + [1, 2, 3])
        session = item.session
        mayor = plan.local.kind == OrganisationKind.COMMUNE
        transmitted = session + datetime.timedelta(days=self.rng.randint(2, 12))
        if transmitted > self.today or (
            (self.today - session).days < 90 and self.rng.random() < 0.5
        ):
            transmitted = None
        published = session + datetime.timedelta(days=self.rng.randint(3, 15))
        deliberation = Deliberation(
            organisation=plan.local,
            body=council.body,
            council=council,
            number=self.number(plan.local, session.year),
            session_date=session,
            convocation_date=session - datetime.timedelta(days=5),
            object=f"Poste d'intervenant social - {item.convention.title} "
            f"({item.start_year}-{item.start_year + CONVENTION_YEARS - 1})",
            matter_code="7.5",
            matter_name="Subventions",
            service="Direction de la tranquillité publique",
            president=roster[0],
            rapporteur=present[self.rng.randint(1, min(6, len(present) - 1))],
            rapporteur_capacity="Adjointe au Maire" if mayor else "Vice-présidente",
            report="Mesdames et Messieurs,\n\nLe poste d'intervenant social "
            f"{item.convention.title.split('social ', 1)[1]} repose sur un financement "
            "partenarial de l'État (FIPDR) et de la collectivité.\n\nLes missions de "
            "l'intervenant social sont :\n- accueil et écoute des personnes repérées par les "
            "services ;\n- intervention sociale de proximité ;\n- orientation vers les "
            "partenaires.\n\nIl est demandé à l'assemblée de bien vouloir :",
            votes_for=voters - against - abstentions,
            votes_against=against,
            abstentions=abstentions,
            not_participating=0,
            president_vote=PresidentVote.FOR,
            result=DeliberationResult.ADOPTED,
            signer_for=f"Pour le {'Maire' if mayor else 'Président'},",
            signer_for_name=roster[0].name,
            signer_capacity="L'Adjointe déléguée" if mayor else "La Vice-présidente",
            signed_mention="Signé",
            signer_name=present[1].name,
            # L2121-23: the president and the secretary sign the register.
            president_signed=True,
            secretaries_signed=True,
            transmitted_on=transmitted,
            actes_id=f"0{plan.departement.code}-{plan.local.siret[:9]}-{session:%Y%m%d}-"
            f"{self.numbers[(plan.local.pk, session.year)]}-DE"
            if transmitted
            else "",
            published_on=published if published <= self.today else None,
        )
        texts = [
            "approuver la convention de partenariat pour le poste d'intervenant social ;",
            f"autoriser {'Monsieur le Maire' if mayor else 'Monsieur le Président'} ou son "
            "représentant à la signer ;",
        ]
        if item.local_amount:
            texts.append(
                "autoriser le versement de la participation annuelle de "
                f"{euros(item.local_amount)}."
            )
        return deliberation, sheet, texts, present[2]
