"""The words of the generated documents: articles, visas, comments."""

ANNUAL_COMMENTS = [
    "Activité en hausse, portée par les saisines des services de police. Le délai de premier "
    "contact de 72 heures est tenu pour la grande majorité des situations.",
    "Année marquée par le développement des accompagnements physiques et par un travail "
    "partenarial renforcé avec les services sociaux du Département.",
    "Activité stable. Les violences conjugales restent la première problématique rencontrée ; "
    "les orientations vers l'aide aux victimes se font dans la journée.",
]
REOPENING_REASONS = [
    "Saisines d'un mois comptées deux fois lors de la saisie : correction du nombre de "
    "saisines et de leur origine.",
    "Entretiens téléphoniques oubliés en fin de trimestre : ajout et correction du total.",
]

ARTICLES = [
    (
        "Objet de la convention",
        "La présente convention a pour objet de définir les conditions de mise en place, de "
        "fonctionnement et de financement d'un poste d'intervenant social {site}.",
    ),
    (
        "Missions de l'intervenant social",
        "L'intervenant social accueille, écoute et oriente les personnes en détresse sociale "
        "repérées par les services {force}. Il intervient dans l'urgence, participe au repérage "
        "précoce des violences intrafamiliales et facilite le dialogue entre les services de "
        "sécurité et les partenaires sociaux.",
    ),
    (
        "Public concerné",
        "Toute personne majeure ou mineure, victime, mise en cause ou concernée par une "
        "affaire dont les services {force} ont connaissance et qui relève d'une prise en "
        "charge sociale.",
    ),
    (
        "Lieu et conditions d'exercice",
        "L'intervenant social exerce à {fte} équivalent temps plein dans les locaux mis à sa "
        "disposition {site}. Il n'assure ni astreinte, ni travail de nuit, ni permanence les "
        "week-ends et jours fériés. Le premier contact avec la personne intervient dans les "
        "72 heures suivant la saisine.",
    ),
    (
        "Autorités hiérarchique et fonctionnelle",
        "L'intervenant social est placé sous l'autorité hiérarchique de {employer}, son "
        "employeur, et sous l'autorité fonctionnelle de {authority}, qui fixe ses conditions "
        "de travail au sein du service.",
    ),
    (
        "Financement",
        "L'État participe au financement du poste au titre du FIPDR pour {state_amount} par an. "
        "{local_share} Les versements sont effectués chaque année sur présentation du bilan "
        "d'activité.",
    ),
    (
        "Secret professionnel",
        "L'intervenant social est tenu au secret professionnel. Aucune donnée nominative "
        "concernant les personnes accompagnées n'est transmise aux partenaires.",
    ),
    (
        "Bilans d'activité",
        "Un outil statistique est renseigné chaque mois. Des bilans trimestriels et un bilan "
        "annuel sont adressés au Préfet, au directeur des services {force} et à {local}.",
    ),
    (
        "Comité de suivi",
        "Un comité de suivi réunissant les signataires ou leurs représentants se réunit au "
        "moins une fois par an pour examiner le bilan annuel.",
    ),
    (
        "Durée",
        "La présente convention est conclue pour une durée de trois ans à compter du {start}. "
        "Elle peut être renouvelée après concertation des parties.",
    ),
    (
        "Dénonciation",
        "Chacune des parties peut dénoncer la présente convention par lettre recommandée avec "
        "accusé de réception trois mois avant son échéance.",
    ),
    (
        "Clause suspensive",
        "Le non-versement des crédits prévus constitue une clause suspensive immédiate de la "
        "présente convention.",
    ),
]
VISAS = [
    "le code général des collectivités territoriales",
    "le code de la sécurité intérieure, notamment ses articles L132-1 et suivants",
    "la loi n° 2007-297 du 5 mars 2007 relative à la prévention de la délinquance",
    "la stratégie nationale de prévention de la délinquance",
    "le plan départemental de prévention de la délinquance",
]
