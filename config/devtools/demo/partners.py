"""Demo organisations, representatives and accounts (load_demo).

Names, titles and addresses are those of the seed documents. SIRET and RNA
numbers are fictitious: generated, not the bodies' real ones (which the
application must not guess), with the check digits the official validator asks
for (the SIREN's and the SIRET's). Replace them with the real ones before any
open-data export.
"""

from stdnum import luhn

from partners.enums import Civility, OrganisationKind, Role
from partners.models import Organisation, Representative, User, name_key

# Every demo account's password, printed by load_demo and written in the README.
DEMO_PASSWORD = "convention-demo"  # noqa: S105


def demo_siret(prefix: str) -> str:
    """A SIRET starting with ``prefix`` (8 digits at most) that python-stdnum accepts.

    The SIREN is the prefix padded to 8 digits and its Luhn key; the establishment
    number (NIC) is 0001 and the key of the 14 digits.
    """
    siren_body = prefix.ljust(8, "0")[:8]
    base = siren_body + luhn.calc_check_digit(siren_body) + "0001"
    return base + luhn.calc_check_digit(base)


ORGANISATIONS = [
    # key, name, short name, kind, département, premises, street, postal code, city
    (
        "prefecture79",
        "Préfecture des Deux-Sèvres",
        "Préfecture 79",
        OrganisationKind.STATE,
        "79",
        "la Préfecture",
        "4 rue Du Guesclin",
        "79099",
        "NIORT Cedex 9",
    ),
    (
        "niort",
        "Commune de Niort",
        "Ville de Niort",
        OrganisationKind.COMMUNE,
        "79",
        "la Mairie de Niort",
        "1 Place Martin Bastard",
        "79000",
        "NIORT",
    ),
    (
        "ddsp79",
        "Direction Départementale de la Sécurité Publique des Deux-Sèvres",
        "DDSP 79",
        OrganisationKind.POLICE,
        "79",
        "l'Hôtel de Police",
        "2 rue de la Préfecture",
        "79000",
        "NIORT",
    ),
    (
        "fv79",
        "France Victimes 79",
        "France Victimes 79",
        OrganisationKind.ASSOCIATION,
        "79",
        "",
        "7A rue Max Linder",
        "79000",
        "NIORT",
    ),
    (
        "ccas_niort",
        "Centre Communal d'Action Sociale de Niort",
        "CCAS de Niort",
        OrganisationKind.SOCIAL_ACTION_CENTRE,
        "79",
        "",
        "1 rue du Musée",
        "79000",
        "Niort",
    ),
    (
        "parquet_niort",
        "Parquet près le tribunal judiciaire de Niort",
        "Parquet de Niort",
        OrganisationKind.PROSECUTION,
        "79",
        "",
        "",
        "79000",
        "NIORT",
    ),
    (
        "prefecture95",
        "Préfecture du Val-d'Oise",
        "Préfecture 95",
        OrganisationKind.STATE,
        "95",
        "",
        "",
        "95000",
        "Cergy-Pontoise",
    ),
    (
        "ddsp95",
        "Direction Départementale de la Sécurité Publique du Val-d'Oise",
        "DDSP 95",
        OrganisationKind.POLICE,
        "95",
        "",
        "",
        "95000",
        "Cergy-Pontoise",
    ),
    (
        "cd95",
        "Conseil départemental du Val-d'Oise",
        "Département du Val-d'Oise",
        OrganisationKind.DEPARTEMENT,
        "95",
        "",
        "",
        "95000",
        "Cergy-Pontoise",
    ),
    (
        "valparisis",
        "Communauté d'Agglomération Val Parisis",
        "Val Parisis",
        OrganisationKind.EPCI,
        "95",
        "",
        "",
        "95150",
        "Taverny",
    ),
    # The national administration of the scheme (the FIPD's secretariat): steers the
    # country, read only. Last in the list: the others' SIRETs follow their rows.
    (
        "sgcipdr",
        "Secrétariat général du Comité interministériel de prévention de la délinquance "
        "et de la radicalisation",
        "SG-CIPDR",
        OrganisationKind.STATE,
        "75",
        "",
        "",
        "75008",
        "Paris",
    ),
]

REPRESENTATIVES = [
    # organisation key, civility, first name, last name, title
    ("prefecture79", Civility.MR, "Emmanuel", "AUBRY", "Préfet des Deux-Sèvres"),
    ("niort", Civility.MR, "Jérôme", "BALOGE", "Maire"),
    (
        "ddsp79",
        Civility.MR,
        "Franck",
        "PERRAULT",
        "Directeur Départemental de la Sécurité Publique",
    ),
    ("fv79", Civility.MR, "Jean-Marc", "BESNARD", "Président"),
    ("prefecture95", Civility.MR, "", "", "Préfet du Val-d'Oise"),
    (
        "ddsp95",
        Civility.MR,
        "",
        "",
        "Directeur Départemental de la Sécurité Publique du Val-d'Oise",
    ),
    ("cd95", Civility.MRS, "", "", "Présidente du Conseil départemental"),
    ("valparisis", Civility.MR, "", "", "Président de la Communauté d'Agglomération Val Parisis"),
]

ACCOUNTS = [
    # username, first name, last name, organisation key, role (None: administrator)
    ("admin", "Administratrice", "Nationale", None, None),
    ("ville.niort", "Claire", "Agent Ville", "niort", Role.LOCAL_AUTHORITY),
    ("ddsp79", "Paul", "Secrétariat 79", "ddsp79", Role.DDSP_SECRETARIAT),
    ("fv79", "Sophie", "Coordinatrice", "fv79", Role.EMPLOYER_COORDINATION),
    ("intervenant.niort", "Camille", "Intervenante", "fv79", Role.SOCIAL_WORKER),
    ("valparisis", "Marc", "Agent Val Parisis", "valparisis", Role.LOCAL_AUTHORITY),
    ("ddsp95", "Julie", "Secrétariat 95", "ddsp95", Role.DDSP_SECRETARIAT),
    ("prefecture79", "Luc", "Bureau des sécurités", "prefecture79", Role.READ_ONLY_PARTNER),
    ("pilotage79", "Inès", "Pilotage 79", "prefecture79", Role.DEPARTEMENTAL_STEERING),
    ("pilotage.national", "Nora", "Pilotage national", "sgcipdr", Role.NATIONAL_STEERING),
]

# The referents of their organisation: they invite their colleagues (Équipe page).
REFERENTS = frozenset({"ville.niort", "valparisis"})


def organisation(key: str, table=ORGANISATIONS, series: str = "9") -> Organisation:
    """The demo organisation of ``key`` in ``table`` (these seeds', or the fictional
    conventions' whose SIRETs are of ``series`` 8)."""
    return Organisation.objects.get(siret=demo_siret(siret_prefix(key, table, series)))


def siret_prefix(key: str, table=ORGANISATIONS, series: str = "9") -> str:
    """The prefix of ``key``'s demo SIRET: its ``series``, then its row in ``table``."""
    index = [row[0] for row in table].index(key)
    return f"{series}{index:02d}"


def load():
    orgs = {}
    for key, name, short, kind, dep, premises, street, postal_code, city in ORGANISATIONS:
        # Found by kind, département and name, not by SIRET: a database loaded before
        # the SIRETs were regenerated (issue #17) gets the new numbers, not duplicates.
        orgs[key], _ = Organisation.objects.update_or_create(
            kind=kind,
            departement=dep,
            name_key=name_key(name),
            defaults={
                "siret": demo_siret(siret_prefix(key)),
                "name": name,
                "short_name": short,
                "premises": premises,
                "street": street,
                "postal_code": postal_code,
                "city": city,
                "rna": "W791000123" if kind == OrganisationKind.ASSOCIATION else "",
            },
        )
    for key, civility, first, last, title in REPRESENTATIVES:
        Representative.objects.update_or_create(
            organisation=orgs[key],
            title=title,
            defaults={"civility": civility, "first_name": first, "last_name": last},
        )
    for username, first, last, org_key, role in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "organisation": orgs.get(org_key),
                "role": role or "",
                "is_superuser": role is None,
                "is_staff": role in (None, Role.EMPLOYER_COORDINATION),
                "email": f"{username}@demo.invalid",
                "is_referent": username in REFERENTS,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        elif (user.role, user.is_referent) != (role or "", username in REFERENTS):
            # The pages and the access tests rely on each demo account's role: put it back.
            user.role = role or ""
            user.is_referent = username in REFERENTS
            user.save(update_fields=["role", "is_referent"])
    return orgs


def accounts_summary() -> list[tuple[str, str, str]]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).select_related(
            "organisation"
        )
    }
    return [
        (name, users[name].role_label, str(users[name].organisation or "—"))
        for name, *_ in ACCOUNTS
        if name in users
    ]
