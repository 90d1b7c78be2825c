"""The default grid (shared/DOMAIN.md, "Activity statistics"), as version 1.

There is no official national grid; this one is built from public sources.
The data is written here rather than imported, so that later edits of the
grid (through the admin, as new versions) never rewrite history.
"""

import datetime

from django.db import migrations

PERSONS = "personnes_rencontrees"
REFERRALS = "saisines_recues"
INTERVIEWS = "entretiens"

# (code, label, help text, kind, total code, [(code, label, help text), ...])
DEFAULT_GRID = [
    (
        "activite",
        "Activité",
        "Les totaux du mois ; les groupes suivants les répartissent.",
        "counts",
        "",
        [
            (
                PERSONS,
                "Personnes rencontrées",
                "Chaque personne compte une fois dans le mois, même rencontrée plusieurs fois.",
            ),
            (
                INTERVIEWS,
                "Entretiens réalisés",
                "Tous les entretiens du mois, quel qu'en soit le mode.",
            ),
            (
                REFERRALS,
                "Saisines reçues",
                "Situations signalées à l'intervenant social, auto-saisines comprises.",
            ),
        ],
    ),
    (
        "personnes_connues",
        "Personnes nouvelles ou déjà connues",
        "La somme est égale au nombre de personnes rencontrées.",
        "partition",
        PERSONS,
        [
            ("personnes_nouvelles", "Nouvelles personnes", ""),
            (
                "personnes_deja_connues",
                "Personnes déjà connues",
                "Déjà rencontrées un mois précédent.",
            ),
        ],
    ),
    (
        "entretiens_modalite",
        "Entretiens par modalité",
        "La somme est égale au nombre d'entretiens réalisés.",
        "partition",
        INTERVIEWS,
        [
            ("entretien_commissariat", "En présentiel au commissariat", ""),
            ("entretien_telephone", "Par téléphone", ""),
            ("entretien_domicile", "Visite à domicile", ""),
            (
                "entretien_accompagnement",
                "Accompagnement physique",
                "Vers un service, une audience…",
            ),
        ],
    ),
    (
        "premier_contact",
        "Délai du premier contact",
        "La somme est égale au nombre de saisines reçues.",
        "partition",
        REFERRALS,
        [
            ("contact_72h", "Premier contact dans les 72 heures", ""),
            ("contact_apres_72h", "Premier contact au-delà de 72 heures", ""),
            (
                "contact_non_etabli",
                "Aucun contact établi",
                "Personne injoignable ou refusant le contact.",
            ),
        ],
    ),
    (
        "public_sexe",
        "Public : sexe",
        "La somme est égale au nombre de personnes rencontrées.",
        "partition",
        PERSONS,
        [
            ("femmes", "Femmes", ""),
            ("hommes", "Hommes", ""),
            ("sexe_non_renseigne", "Non renseigné", ""),
        ],
    ),
    (
        "public_age",
        "Public : âge",
        "La somme est égale au nombre de personnes rencontrées.",
        "partition",
        PERSONS,
        [
            ("mineurs", "Mineurs", ""),
            ("age_18_25", "18 à 25 ans", ""),
            ("age_26_59", "26 à 59 ans", ""),
            ("age_60_plus", "60 ans et plus", ""),
            ("age_non_renseigne", "Âge non renseigné", ""),
        ],
    ),
    (
        "public_situation",
        "Public : situation au regard des faits",
        "La somme est égale au nombre de personnes rencontrées.",
        "partition",
        PERSONS,
        [
            ("victimes", "Victimes", ""),
            ("auteurs_presumes", "Auteurs présumés", ""),
            ("autres_personnes", "Autres personnes concernées", "Proches, témoins…"),
        ],
    ),
    (
        "public_services_sociaux",
        "Public : connu des services sociaux",
        "La somme est égale au nombre de personnes rencontrées.",
        "partition",
        PERSONS,
        [
            ("connu_oui", "Oui", ""),
            ("connu_non", "Non", ""),
            ("connu_inconnu", "Ne sait pas", ""),
        ],
    ),
    (
        "origine_saisine",
        "Origine des saisines",
        "La somme est égale au nombre de saisines reçues.",
        "partition",
        REFERRALS,
        [
            ("origine_police", "Services de police", ""),
            ("origine_gendarmerie", "Gendarmerie", ""),
            ("origine_auto_saisine", "Auto-saisine", ""),
            ("origine_services_sociaux", "Services sociaux", ""),
            ("origine_associations", "Associations", ""),
            ("origine_justice", "Justice", ""),
            ("origine_personne", "La personne elle-même", ""),
            ("origine_autre", "Autre origine", ""),
        ],
    ),
    (
        "problematiques",
        "Problématiques rencontrées",
        "Plusieurs par personne ; chacune au plus égale au nombre de personnes rencontrées.",
        "multiple",
        PERSONS,
        [
            ("pb_violences_conjugales", "Violences conjugales", ""),
            ("pb_violences_intrafamiliales", "Violences intrafamiliales", ""),
            ("pb_violences_sexuelles", "Violences sexuelles", ""),
            ("pb_conflit_familial", "Conflit familial, séparation", ""),
            ("pb_mineurs", "Mineurs en danger ou en fugue", ""),
            ("pb_detresse_sociale", "Détresse sociale, précarité", ""),
            ("pb_logement", "Logement, expulsion, hébergement d'urgence", ""),
            ("pb_sante_mentale", "Santé mentale", ""),
            ("pb_addictions", "Addictions", ""),
            ("pb_personne_vulnerable", "Personne âgée ou vulnérable", ""),
            ("pb_conflit_voisinage", "Conflit de voisinage", ""),
            ("pb_harcelement", "Harcèlement", ""),
            ("pb_radicalisation", "Radicalisation, emprise", ""),
            ("pb_autre", "Autre problématique", ""),
        ],
    ),
    (
        "orientations",
        "Orientations",
        "Plusieurs par personne ; chacune au plus égale au nombre de personnes rencontrées.",
        "multiple",
        PERSONS,
        [
            ("or_service_social_departemental", "Service social départemental", ""),
            ("or_ccas", "CCAS / CIAS", ""),
            ("or_aide_victimes", "Association d'aide aux victimes", ""),
            ("or_justice", "Justice, accès au droit", ""),
            ("or_sante", "Soins, santé", ""),
            ("or_hebergement_urgence", "Hébergement d'urgence (115 / SIAO)", ""),
            ("or_logement", "Logement", ""),
            ("or_protection_enfance", "Protection de l'enfance", ""),
            ("or_autre", "Autre orientation", ""),
        ],
    ),
]


def create_default_grid(apps, schema_editor):
    GridVersion = apps.get_model("activity", "GridVersion")
    IndicatorGroup = apps.get_model("activity", "IndicatorGroup")
    Indicator = apps.get_model("activity", "Indicator")
    version = GridVersion.objects.create(
        name="Grille par défaut",
        valid_from=datetime.date(2021, 1, 1),
        notes="Grille initiale, construite à partir de sources publiques.",
    )
    for group_order, (code, label, help_text, kind, total_code, indicators) in enumerate(
        DEFAULT_GRID, start=1
    ):
        group = IndicatorGroup.objects.create(
            version=version,
            code=code,
            label=label,
            help_text=help_text,
            order=group_order,
            kind=kind,
            total_code=total_code,
        )
        Indicator.objects.bulk_create(
            Indicator(
                version=version,
                group=group,
                code=indicator_code,
                label=indicator_label,
                help_text=indicator_help,
                order=order,
            )
            for order, (indicator_code, indicator_label, indicator_help) in enumerate(
                indicators, start=1
            )
        )


def delete_default_grid(apps, schema_editor):
    apps.get_model("activity", "GridVersion").objects.filter(
        valid_from=datetime.date(2021, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]

    operations = [migrations.RunPython(create_default_grid, delete_default_grid)]
