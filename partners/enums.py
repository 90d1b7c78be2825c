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
    # A préfecture's steering of its département: every post, convention, contribution
    # and validated statistic of the département, read only (config.steering).
    DEPARTEMENTAL_STEERING = "pilotage_departemental", "Pilotage départemental (préfecture)"
    # The national administration's steering (the ministry's prevention service, the
    # national observatory): every département's posts, conventions, contributions and
    # validated statistics, read only. Only the administrator gives it.
    NATIONAL_STEERING = "pilotage_national", "Pilotage national (administration centrale)"


# The secretariats of a post's functional authority (the DDSP, the groupement de
# gendarmerie): each works on the posts whose sites its organisation supervises.
AUTHORITY_SECRETARIAT_ROLES = frozenset({Role.DDSP_SECRETARIAT, Role.GENDARMERIE_SECRETARIAT})

# The steering roles: read only, validated statistics only (config.steering).
STEERING_ROLES = frozenset({Role.DEPARTEMENTAL_STEERING, Role.NATIONAL_STEERING})


_LOCAL = (Role.LOCAL_AUTHORITY, Role.READ_ONLY_PARTNER)
_EMPLOYER = (Role.EMPLOYER_COORDINATION, Role.SOCIAL_WORKER, Role.READ_ONLY_PARTNER)

# The roles an organisation's users may be given, by its kind: an invitation offers no
# other (a commune has no « Secrétariat DDSP »). The administrator is not a role: nobody
# gets it through an invitation.
ROLES_BY_KIND: dict[str, tuple[Role, ...]] = {
    OrganisationKind.STATE: (
        Role.READ_ONLY_PARTNER,
        Role.DEPARTEMENTAL_STEERING,
        Role.NATIONAL_STEERING,
    ),
    OrganisationKind.POLICE: (Role.DDSP_SECRETARIAT, Role.READ_ONLY_PARTNER),
    OrganisationKind.GENDARMERIE: (Role.GENDARMERIE_SECRETARIAT, Role.READ_ONLY_PARTNER),
    OrganisationKind.COMMUNE: _LOCAL,
    OrganisationKind.EPCI: _LOCAL,
    OrganisationKind.PETR: _LOCAL,
    OrganisationKind.MIXED_SYNDICATE: _LOCAL,
    OrganisationKind.DEPARTEMENT: _LOCAL,
    OrganisationKind.REGION: _LOCAL,
    OrganisationKind.ASSOCIATION: _EMPLOYER,
    # A CCAS or CIAS employs social workers and may fund a post too.
    OrganisationKind.SOCIAL_ACTION_CENTRE: (Role.LOCAL_AUTHORITY, *_EMPLOYER),
    OrganisationKind.PUBLIC_INTEREST_GROUP: _EMPLOYER,
    OrganisationKind.HOSPITAL: _EMPLOYER,
    OrganisationKind.FAMILY_ALLOWANCE_FUND: (Role.READ_ONLY_PARTNER,),
    OrganisationKind.SOCIAL_LANDLORD: (Role.READ_ONLY_PARTNER,),
    OrganisationKind.PROSECUTION: (Role.READ_ONLY_PARTNER,),
    OrganisationKind.OTHER: (
        Role.LOCAL_AUTHORITY,
        Role.EMPLOYER_COORDINATION,
        Role.SOCIAL_WORKER,
        Role.READ_ONLY_PARTNER,
    ),
}
