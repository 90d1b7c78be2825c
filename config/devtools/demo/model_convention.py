"""A model convention for a commissariat, written from the Niort convention (seed 000).

Names that change from one site to the next are placeholders (see
conventions/agreements/placeholders.py); amounts are left as "[montant]" to be typed in.
"""

from conventions.enums import (
    ConventionKind,
    ReferenceKind,
    RenewalMode,
    ReportKind,
    ReportPeriod,
    StartRule,
    TermGovernedBy,
)
from conventions.models import Article, Convention, LegalReference, ReportingRule

REFERENCE = "modele-commissariat"

PREAMBLE = (
    "Le procureur de la République près le tribunal judiciaire, dont le rôle est de défendre "
    "l'ordre public et les intérêts sociaux, peut être associé de façon partenariale."
)

REFERENCES = [
    (ReferenceKind.VU, "la loi du 5 mars 2007 relative à la prévention de la délinquance ;"),
    (
        ReferenceKind.VU,
        "le 5ème plan de mobilisation et de lutte contre toutes les violences faites aux femmes "
        "(2017-2019) rappelant l'importance de la protection des femmes victimes de violences ;",
    ),
    (
        ReferenceKind.VU,
        "les engagements du comité interministériel aux droits des femmes et à l'égalité entre "
        "les femmes et les hommes du 8 mars 2018 ;",
    ),
    (
        ReferenceKind.VU,
        "la circulaire interministérielle NOR/INT/K/06/30043/J du 1er août 2006 relative à "
        "l'extension du dispositif des travailleurs sociaux dans les services de police et de "
        "gendarmerie ;",
    ),
    (
        ReferenceKind.VU,
        "la circulaire DGPN/DGGN du 21 décembre 2006 relative à l'extension du dispositif des "
        "travailleurs sociaux dans les services de police et de gendarmerie ;",
    ),
    (
        ReferenceKind.CONSIDERANT,
        "la politique volontariste de la ville de {commune} en matière de tranquillité publique, "
        "de prévention de la délinquance et d'accompagnement social des personnes ;",
    ),
]

ARTICLES = [
    (
        "Objet",
        "La présente convention a pour objet de déterminer la répartition des rôles, les "
        "objectifs et les modalités de fonctionnement établis entre les différents partenaires "
        "signataires de la présente convention, en cohérence avec les orientations de politique "
        "publique de mobilisation et de lutte contre les violences intrafamiliales.",
    ),
    (
        "Missions de l'intervenant social en commissariat (ISC)",
        "- Accueil et écoute active en évaluant la nature des besoins sociaux révélés par "
        "l'activité des forces de l'ordre ;\n"
        "- Intervention sociale de proximité selon la situation de crise, voire d'urgence ;\n"
        "- Participation au repérage précoce des situations de violences intrafamiliales pour "
        "prévenir toute dégradation ;\n"
        "- Informations et orientations spécifiques (services sociaux départementaux, "
        "spécialisés et/ou de droit commun) ;\n"
        "- Relais vers les partenaires (accès au droit, justice, services sociaux, services "
        "sanitaires…) ;\n"
        "- Facilitation du dialogue entre les services de sécurité publique et la sphère "
        "socio-médico-éducative ;\n"
        "- Participation à l'observatoire national du dispositif (outil statistique et rapport "
        "d'activité annuel).\n"
        "La spécificité de ce poste réside dans la croisée de plusieurs champs professionnels et "
        "la nécessaire complémentarité des rôles afin de développer une prise en charge globale "
        "et adaptée.",
    ),
    (
        "Objectifs du dispositif",
        "La mise en place de l'Intervenant Social en Commissariat a pour objectif de permettre "
        "la prise en charge par les services compétents des personnes ou familles confrontées à "
        "des difficultés sociales présentant des situations à risque ou victimes de violences, "
        "repérées par le commissariat de police dans le cadre de ses missions. Cela répond à un "
        "besoin de prévention générale.",
    ),
    (
        "Profil du poste et procédure de recrutement",
        "Une fiche de poste est annexée à la présente convention.\n"
        "L'ISC a un lien fonctionnel avec {autorite_fonctionnelle} et un lien hiérarchique avec "
        "{employeur}.\n"
        "L'intervenant social est positionné au {site}.\n"
        "Son recrutement est réalisé par un comité de sélection composé a minima d'un "
        "représentant de l'autorité hiérarchique et de l'autorité fonctionnelle après analyse "
        "des candidatures.",
    ),
    (
        "Moyens mis à disposition",
        "Pour réaliser ce projet, les moyens suivants seront mis en œuvre par les partenaires "
        "respectifs :\n"
        "- {autorite_fonctionnelle} mettra à disposition de l'ISC un bureau dédié garantissant "
        "le respect des règles de confidentialité, une ligne téléphonique fixe directe, un "
        "ordinateur avec une connexion internet.\n"
        "- {employeur} portera un poste d'Intervenant Social en Commissariat, travailleur social "
        "au profit des agents de police nationale du {site}, à hauteur de {etp} ETP.",
    ),
    (
        "Modalités financières",
        "Le budget de l'action repose sur le portage du poste par la commune de {commune} et "
        "l'État.\n"
        "Pendant la durée de la convention :\n"
        "La Ville de {commune} participera au financement du poste à hauteur de [montant] euros "
        "via les subventions versées annuellement à {employeur}.\n"
        "L'État participera au financement du poste par une participation annuelle à hauteur de "
        "[montant] euros, pendant la durée de la convention.\n"
        "L'ISC ne peut pas engager de démarches liant financièrement la Police Nationale ou "
        "{employeur}.",
    ),
    (
        "Cadre juridique et déontologique",
        "L'action de l'ISC s'inscrit dans le cadre légal et respecte les règles éthiques et "
        "déontologiques du travail social.\n"
        "L'accueil doit reposer sur la libre adhésion de la personne et s'effectuer dans un "
        "cadre confidentiel.\n"
        "L'obligation légale de secret professionnel est un élément constitutif de son action. "
        "Il a pour objectif de garantir la confiance accordée et il répond également à la "
        "nécessité de protéger la vie privée et la dignité des personnes qui se confient à lui. "
        "L'intervenant social doit également respecter les règles de secret et de "
        "confidentialité qui s'imposent. Il ne peut participer à des investigations dans le "
        "cadre d'enquête judiciaire.",
    ),
    (
        "Cadre d'intervention",
        "L'intervenant social peut recevoir toute personne majeure ou mineure, dont la situation "
        "sociale est marquée par des difficultés (violences conjugales et familiales, situation "
        "de détresse et vulnérabilité, familles démunies face à l'instabilité ou "
        "l'endoctrinement de leurs enfants ou de leurs proches, etc.) après saisine des services "
        "internes, ou après interventions, orientation des services sociaux ou associatifs, ou à "
        "la demande des personnes elles-mêmes.\n"
        "Il peut également procéder à une auto-saisine à partir des informations recueillies "
        "ressortant de l'activité des services de sécurité de l'État. Il propose un temps "
        "d'écoute, permettant d'évaluer les besoins et d'envisager les réponses à apporter. "
        "Sauf exception, cette action se situe dans le court terme. Il doit mettre en œuvre les "
        "orientations nécessaires pour garantir un traitement adéquat des situations.\n"
        "En commissariat l'ISC peut :\n"
        "- être saisi soit pour information, soit pour intervention, par tous moyens et en "
        "stricte application des règles de secret partagé ;\n"
        "- se déplacer sur l'ensemble de la commune de {commune} dans le cadre de sa mission ;\n"
        "- solliciter le concours de la police pour effectuer une visite à domicile lorsque les "
        "circonstances le justifient et le permettent, avec l'accord de l'autorité "
        "hiérarchique ;\n"
        "- être amené à informer les personnes concernées de l'aspect pénal de la situation "
        "qu'il traite (particulièrement en cas de violences intrafamiliales).\n"
        "L'ISC aura si nécessaire une formation dispensée par la DDSP ou une formation proposée "
        "par l'ANISCG.",
    ),
    (
        "Traitement des situations",
        "Hors période de congés et sauf cas d'urgence avérée, l'ISC établira un premier contact "
        "avec la ou les personnes faisant l'objet du signalement dans les 72 heures suivant sa "
        "saisine.\n"
        "Dans le cas d'une prise en charge d'une situation, l'ISC établit un contact, recueille "
        "les informations, écoute puis établit le plan d'action à mettre en place (rendez-vous "
        "avec les différents interlocuteurs, orientation vers les structures adaptées, "
        "médiation…).\n"
        "L'ISC peut être amené à soutenir une personne dans sa démarche, sans prendre part à la "
        "procédure judiciaire.\n"
        "Lors des congés de l'ISC, le relais sera pris par [organisme relais].",
    ),
    (
        "Disponibilités de l'intervenant social en commissariat",
        "L'ISC est placé sous l'autorité fonctionnelle de {autorite_fonctionnelle} lors de son "
        "temps de mise à disposition à l'exclusion des week-ends, des jours fériés et des "
        "nuits.\n"
        "L'intervenant est sous un lien hiérarchique avec {employeur}.\n"
        "Afin de garantir la continuité du service rendu, l'agent organise son emploi du temps "
        "sous la responsabilité de son employeur et en concertation avec "
        "{autorite_fonctionnelle}, de manière à assurer une permanence en cas d'absence "
        "temporaire de l'agent.",
    ),
    (
        "Évaluation de l'activité de l'intervenant social en commissariat",
        "Un outil statistique rempli mensuellement par l'ISC, au regard de l'activité réelle, "
        "sera transmis à {autorite_fonctionnelle} selon les modalités suivantes :\n"
        "Bilan trimestriel : pour les 15 avril, 15 juillet et 15 octobre ;\n"
        "Bilan annuel : pour le 7 janvier.\n"
        "Cet outil statistique sera également transmis à {employeur}.\n"
        "Une réunion sera organisée chaque année à la fin du premier trimestre pour dresser un "
        "bilan d'activité et évaluer les éventuels aménagements à opérer.\n"
        "Le bilan d'activité et les observations éventuelles sont communiqués au {prefet} "
        "(service des sécurités), à {autorite_fonctionnelle} et au Maire de la commune de "
        "{commune}.\n"
        "Le bilan d'activité ainsi que les éventuelles observations et préconisations peuvent "
        "être communiqués au Procureur de la République.",
    ),
    (
        "Durée de la convention",
        "La présente convention de {duree} est établie à compter de la date de signature. À "
        "échéance, sa reconduction fait l'objet d'une concertation entre les présentes parties "
        "contractantes et les éventuels nouveaux partenaires.\n"
        "Elle peut être dénoncée par l'une ou l'autre des parties par lettre recommandée avec "
        "accusé de réception, adressée trois mois avant la date d'expiration. Le non-versement "
        "des crédits prévus constitue une clause suspensive immédiate.",
    ),
]

REPORTING_RULES = [
    # kind, period, due month, due day, recipients
    (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q1, 4, 15, "{autorite_fonctionnelle}"),
    (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q2, 7, 15, "{autorite_fonctionnelle}"),
    (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q3, 10, 15, "{autorite_fonctionnelle}"),
    (
        ReportKind.ANNUAL_BILAN,
        ReportPeriod.YEAR,
        1,
        7,
        "{prefet}, {autorite_fonctionnelle}, Maire de {commune}",
    ),
    (ReportKind.REVIEW_MEETING, ReportPeriod.YEAR, 3, 31, "{autorite_fonctionnelle}"),
]


def load():
    convention, _ = Convention.objects.update_or_create(
        reference=REFERENCE,
        defaults={
            "title": "Convention triennale de partenariat « Intervenant social en commissariat »",
            "kind": ConventionKind.COMMISSARIAT,
            "is_template": True,
            "place_of_signature": "{commune}",
            "preamble": PREAMBLE,
            "start_rule": StartRule.LAST_SIGNATURE,
            "end_date": None,
            "duration_years": 3,
            "term_governed_by": TermGovernedBy.DURATION,
            "renewal_mode": RenewalMode.CONCERTATION,
            "notice_months": 3,
            "suspensive_clause": True,
            "first_contact_hours": 72,
        },
    )
    for order, (kind, text) in enumerate(REFERENCES):
        LegalReference.objects.update_or_create(
            convention=convention, order=order, defaults={"kind": kind, "text": text}
        )
    for number, (title, body) in enumerate(ARTICLES, start=1):
        Article.objects.update_or_create(
            convention=convention, number=number, defaults={"title": title, "body": body}
        )
    for kind, period, month, day, recipients in REPORTING_RULES:
        ReportingRule.objects.update_or_create(
            convention=convention,
            kind=kind,
            period=period,
            defaults={"due_month": month, "due_day": day, "recipients": recipients},
        )
    return convention
