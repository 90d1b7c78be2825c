from django.db import models


class OrganisationKind(models.TextChoices):
    STATE = "etat", "État / préfecture"
    POLICE = "police", "Police nationale / DDSP"
    GENDARMERIE = "gendarmerie", "Gendarmerie nationale"
    COMMUNE = "commune", "Commune"
    EPCI = "epci", "EPCI (intercommunalité)"
    DEPARTEMENT = "departement", "Département"
    ASSOCIATION = "association", "Association"
    SOCIAL_ACTION_CENTRE = "ccas", "CCAS / CIAS"
    PROSECUTION = "parquet", "Parquet"
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
