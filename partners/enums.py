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
    """The Django groups that grant a role; created by a data migration."""

    LOCAL_AUTHORITY = "collectivite", "Collectivité"
    DDSP_SECRETARIAT = "secretariat_ddsp", "Secrétariat DDSP"
    EMPLOYER_COORDINATION = "coordination_employeur", "Coordination employeur"
    SOCIAL_WORKER = "intervenant_social", "Intervenant social"
    READ_ONLY_PARTNER = "partenaire_lecture", "Partenaire (lecture)"

    @property
    def group_name(self):
        return self.label
