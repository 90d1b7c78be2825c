from django.db import models


class OrganisationKind(models.TextChoices):
    STATE = "etat", "État / préfecture"
    POLICE = "police", "Police nationale / DDSP"
    GENDARMERIE = "gendarmerie", "Gendarmerie nationale"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI (intercommunalité)"
    PETR = "petr", "PETR (pôle d'équilibre territorial et rural)"
    MIXED_SYNDICATE = "syndicat_mixte", "Syndicat mixte"
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    ASSOCIATION = "association", "Association"
    SOCIAL_ACTION_CENTRE = "ccas", "CCAS / CIAS"
    PUBLIC_INTEREST_GROUP = "gip", "GIP (groupement d'intérêt public)"
    HOSPITAL = "hopital", "Établissement hospitalier"
    FAMILY_ALLOWANCE_FUND = "caf", "CAF (caisse d'allocations familiales)"
    SOCIAL_LANDLORD = "bailleur_social", "Bailleur social"
    PROSECUTION = "parquet", "Parquet"
    # The documents print the organisation's own label (Organisation.kind_label).
    OTHER = "autre", "Autre"


class Civility(models.TextChoices):
    MR = "M.", "Monsieur"
    MRS = "Mme", "Madame"


class Role(models.TextChoices):
    """What a user does in the application (``User.role``); a superuser needs none.

    What each role may see and change is written in code (``conventions.access``,
    ``activity.rules``, the admin's ``ScopedAdminMixin``), not in Django permissions.
    """

    LOCAL_AUTHORITY = "collectivite", "Collectivité"
    DDSP_SECRETARIAT = "secretariat_ddsp", "Secrétariat DDSP"
    GENDARMERIE_SECRETARIAT = (
        "secretariat_gendarmerie",
        "Secrétariat du groupement de gendarmerie",
    )
    EMPLOYER_COORDINATION = "coordination_employeur", "Coordination employeur"
    SOCIAL_WORKER = "intervenant_social", "Intervenant social"
    READ_ONLY_PARTNER = "partenaire_lecture", "Partenaire (lecture)"


# The secretariats of a post's functional authority (the DDSP, the groupement de
# gendarmerie): each works on the posts whose sites its organisation supervises.
AUTHORITY_SECRETARIAT_ROLES = frozenset({Role.DDSP_SECRETARIAT, Role.GENDARMERIE_SECRETARIAT})
