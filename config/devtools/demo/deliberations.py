"""Deliberation D-2021-313 of Niort as written in the seed, and Ermont's reference.

The seed gives no convocation date, no @ctes transmission and no publication
date: they stay empty rather than invented, and the checks say the act is not
shown enforceable. The roster is the 45 members the register names (39 present,
5 who gave a proxy, 1 excused), in its order.

The session of 20 September 2021 fell under the health-emergency rules (article 6
of the loi n° 2020-1379, until 30 September 2021): a third of the members in
office present, 15 of 45, and up to two proxies per holder; the checks cite that
law, not L2121-17 and its 23. The proxies are not dated in the register: they
are recorded without a date.
"""

import datetime
from decimal import Decimal

from config.devtools.demo.partners import organisation
from conventions.deliberations.services import parse_member_names
from conventions.enums import AttendanceStatus, DeliberatingBody, DeliberationResult, PresidentVote
from conventions.models import (
    Attendance,
    Convention,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
)

PRESENT = """
Monsieur Jérôme BALOGE, Monsieur Dominique SIX, Madame Rose-Marie NIETO, Madame
Christelle CHASSAGNE, Monsieur Nicolas VIDEAU, Madame Anne-Lydie LARRIBAU, Monsieur
Elmano MARTINS, Madame Christine HYPEAU, Monsieur Bastien MARCHIVE, Monsieur Philippe
TERRASSIN, Madame Valérie BELY-VOLLAND, Monsieur Thibault HEBRARD, Monsieur Romain
DUPEYROU, Madame Yamina BOUDAHMANI, Madame Sophie BOUTRIT, Monsieur Gerard
LEFEVRE, Madame Aurore NADAL, Monsieur Guillaume JUIN, Madame Marie-Paule
MILLASSEAU, Monsieur Florent SIMMONET, Madame Yvonne VACKER, Monsieur Eric PERSAIS,
Monsieur François GUYON, Madame Lydia ZANATTA, Madame Ségolène BARDET, Monsieur
Nicolas ROBIN, Madame Mélina TACHE, Monsieur Hervé GERARD, Madame Noélie FERREIRA,
Monsieur David MICHAUT, Madame Aline DI MEGLIO, Monsieur Karl BRETEAU, Monsieur
Baptiste DAVID, Monsieur François GIBERT, Madame Cathy GIRARDIN, Monsieur Sébastien
MATHIEU, Madame Véronique BONNET-LECLERC, Madame Elsa FORTAGE, Monsieur Yann
JEZEQUEL.
"""

# (giver, holder), as in "Excusés ayant donné pouvoir".
PROXIES = [
    ("Monsieur Michel PAILLEY", "Jérôme BALOGE"),
    ("Madame Jeanine BARBOTIN", "Romain DUPEYROU"),
    ("Monsieur Lucien-Jean LAHOUSSE", "Anne-Lydie LARRIBAU"),
    ("Madame Florence VILLES", "Rose-Marie NIETO"),
    ("Madame Stéphanie ANTIGNY", "Nicolas VIDEAU"),
]

EXCUSED = "Madame Fatima PEREIRA."

OBJECT = (
    "Poste d'intervenant social au Commissariat de police de Niort - Convention triennale de "
    "partenariat technique et financier"
)

REPORT = """Mesdames et Messieurs,

Sur proposition de Monsieur le Maire

En application du plan départemental de prévention de la délinquance du département des \
Deux-Sèvres, l’association « France victimes 79 » porte un poste d’intervenant social au \
commissariat de police de Niort. Cet intervenant a pour objectif de permettre la prise en charge \
des personnes ou familles confrontées à des difficultés sociales présentant des situations à \
risque ou victimes de violences, repérées par les agents du commissariat de police dans le cadre \
de leurs missions.

Les missions de l’intervenant social sont de plusieurs natures :

- accueil et écoute active pour évaluer la nature des besoins sociaux ;
- intervention sociale de proximité selon la situation d’urgence ;
- participation au repérage précoce des situations de violences intrafamiliales pour limiter la \
dégradation ;
- information et orientation vers les partenaires de droit commun et/ou spécialisés ;
- facilitation du dialogue entre les services de sécurité publique et la sphère \
socio-médico-éducative.

Le poste d’intervenant social en commissariat repose sur un financement partenarial entre la \
Ville de Niort et l’Etat au titre du FIPDR pour un montant annuel de 28 967 € ;

Le montant de la participation annuelle de la Ville de Niort est de 5 000 €.
L’association « France victime 79 » produira chaque année à la Ville de Niort un bilan de son \
activité au sein du commissariat de police.

Il est demandé au Conseil municipal de bien vouloir :"""

DECISIONS = [
    "approuver la convention triennale de partenariat technique et financier avec l’état pour "
    "le poste intervenant social en commissariat de police ;",
    "autoriser Monsieur le Maire ou l’Adjointe déléguée à la signer ;",
    "autoriser Monsieur le Maire ou l’Adjointe déléguée à verser le montant de la participation "
    "financière communale d’un montant de 5 000 €.",
]


def _parsed(text):
    members, errors = parse_member_names(text)
    if errors:
        raise ValueError(errors)
    return members


def load_niort_council():
    council, _ = Council.objects.update_or_create(
        organisation=organisation("niort"),
        body=DeliberatingBody.MUNICIPAL_COUNCIL,
        term_start_year=2020,
        defaults={"term_end_year": 2026},
    )
    roster = _parsed(PRESENT) + _parsed(", ".join(giver for giver, _ in PROXIES)) + _parsed(EXCUSED)
    members = {}
    for order, parsed in enumerate(roster, start=1):
        member, _ = CouncilMember.objects.update_or_create(
            council=council,
            first_name=parsed.first_name,
            last_name=parsed.last_name,
            defaults={"civility": parsed.civility, "order": order},
        )
        members[member.name] = member
    return council, members


def load_niort_deliberation(council, members):
    deliberation, _ = Deliberation.objects.update_or_create(
        organisation=council.organisation,
        number="D-2021-313",
        defaults={
            "body": council.body,
            "council": council,
            "session_date": datetime.date(2021, 9, 20),
            "object": OBJECT,
            # ACTES 7.5: the act decides a subsidy (the Ville's 5 000 € to France Victimes 79).
            "matter_code": "7.5",
            "matter_name": "Subventions",
            "service": "Direction de Projet de Politique de la Ville",
            "president": members["Jérôme BALOGE"],
            "rapporteur": members["Valérie BELY-VOLLAND"],
            "rapporteur_capacity": "Adjointe au Maire",
            "report": REPORT,
            "votes_for": 44,
            "votes_against": 0,
            "abstentions": 0,
            "not_participating": 0,
            "president_vote": PresidentVote.FOR,
            "result": DeliberationResult.ADOPTED,
            "signer_for": "Pour le Maire de Niort,",
            "signer_for_name": "Jérôme BALOGE",
            "signer_capacity": "L'Adjointe déléguée",
            "signed_mention": "Signé",
            "signer_name": "Valérie BELY-VOLLAND",
        },
    )
    deliberation.secretaries.set([members["Thibault HEBRARD"]])
    deliberation.conventions.set([Convention.objects.get(reference="niort-2021")])

    sheet = [(members[p.name], AttendanceStatus.PRESENT, None) for p in _parsed(PRESENT)]
    for giver, holder in PROXIES:
        (parsed,) = _parsed(giver)
        sheet.append((members[parsed.name], AttendanceStatus.REPRESENTED, members[holder]))
    sheet += [(members[p.name], AttendanceStatus.EXCUSED, None) for p in _parsed(EXCUSED)]
    for member, status, holder in sheet:
        Attendance.objects.update_or_create(
            deliberation=deliberation,
            member=member,
            defaults={"status": status, "proxy_holder": holder},
        )

    for order, text in enumerate(DECISIONS, start=1):
        Decision.objects.update_or_create(
            deliberation=deliberation, order=order, defaults={"text": text}
        )
    # Both figures as the exposé writes them; the first disagrees with the convention
    # (État 25 350 € + Ville 5 000 € = 30 350 €), and the checks say so.
    DecidedAmount.objects.update_or_create(
        deliberation=deliberation,
        label="financement partenarial annuel (Ville et État)",
        defaults={"organisation": None, "year": None, "amount": Decimal("28967")},
    )
    DecidedAmount.objects.update_or_create(
        deliberation=deliberation,
        label="participation annuelle de la Ville de Niort",
        defaults={"organisation": organisation("niort"), "year": None, "amount": Decimal("5000")},
    )
    return deliberation


def load_ermont_reference():
    """Article 7 of the Ermont convention cites it; nothing more is known of it."""
    deliberation, _ = Deliberation.objects.update_or_create(
        organisation=organisation("cd95"),
        number="3-15",
        defaults={
            "body": DeliberatingBody.DEPARTEMENT_COUNCIL,
            "is_reference_only": True,
            "session_date": datetime.date(2010, 11, 15),
            "object": "Cofinancement des postes d'intervenant social : au plus un tiers du coût "
            "du poste, dans la limite de 13 000 € par poste et par an (cité à l'article 7 de la "
            "convention d'Ermont).",
        },
    )
    deliberation.conventions.set([Convention.objects.get(reference="ermont-2022")])
    return deliberation


def load():
    council, members = load_niort_council()
    load_niort_deliberation(council, members)
    load_ermont_reference()
