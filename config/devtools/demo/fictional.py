"""Two fictional conventions beside the seeds (load_demo), for the cases the seeds lack.

Every organisation, person, town and amount below is invented: the demo says so
(« fictive » in the conventions' subtitles and in load_demo's output). They show
what the two seeds cannot:

- ``cadre-18-2025``: a departmental framework convention of the Cher covering
  three posts (two police posts in two towns, one gendarmerie post), employed by
  a GIP, funded by the State with a share of each post's cost decreasing by year
  (80 %, 50 %, 30 %), the Département with a fixed amount per post, one
  intercommunality paying the balance of its post and another one in kind (the
  premises); each post's statistics validated by its own secretariat (police or
  gendarmerie);
- ``montclar-2025``: a mixed post (a commissariat and two gendarmerie brigades of
  the Aveyron) employed by a hospital, funded by a région and a syndicat mixte
  whose comité syndical approved it, signed by delegation (« Pour la Présidente
  du conseil régional et par délégation ») and by an acting director; its quarters
  are validated by both secretariats.

``load_reference`` loads the organisations, people, accounts and posts only: the
browser tests (tests/e2e/test_fictional_conventions.py) then enter both
conventions through the pages, as a user would; ``load`` adds the conventions.
"""

import datetime
from decimal import Decimal

from activity.enums import QuarterState
from activity.models import QuarterReport, QuarterValidation
from config.devtools.demo.activity import PostDemo, at, default_due
from config.devtools.demo.partners import DEMO_PASSWORD, demo_siret, organisation, siret_prefix
from config.devtools.demo.seeds import load_articles, load_parties, representative
from conventions.deliberations.services import parse_member_names
from conventions.enums import (
    AttendanceStatus,
    BudgetLine,
    ContributionNature,
    ContributionRule,
    ConventionKind,
    DeliberatingBody,
    DeliberationResult,
    Force,
    PresidentVote,
    RenewalMode,
    ReportKind,
    ReportPeriod,
    Side,
    SiteKind,
    StartRule,
    StatisticsValidation,
    TermGovernedBy,
)
from conventions.models import (
    Attendance,
    CommitteeMember,
    Contribution,
    ContributionYearShare,
    Convention,
    ConventionPost,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
    Payment,
    Post,
    PostCost,
    PostHolder,
    PostSite,
    ReportingRule,
)
from partners.enums import Civility, OrganisationKind, Role
from partners.models import Organisation, Representative, User, name_key

FICTIONAL = "convention fictive de démonstration"

ORGANISATIONS = [
    # key, name, short name, kind, département, street, postal code, city
    ("pref18", "Préfecture du Cher", "Préfecture 18", OrganisationKind.STATE, "18",
     "Place Marcel Plaisant", "18000", "Bourges"),
    ("ddpn18", "Direction départementale de la police nationale du Cher", "DDPN 18",
     OrganisationKind.POLICE, "18", "", "18000", "Bourges"),
    ("ggd18", "Groupement de gendarmerie départementale du Cher", "Gendarmerie 18",
     OrganisationKind.GENDARMERIE, "18", "", "18000", "Bourges"),
    ("cd18", "Département du Cher", "Département du Cher", OrganisationKind.DEPARTEMENT, "18",
     "", "18000", "Bourges"),
    ("deux_rives", "Communauté d'agglomération des Deux Rives", "Agglo des Deux Rives",
     OrganisationKind.EPCI, "18", "1 place de l'Hôtel de Ville", "18100", "Castelnau-sur-Cher"),
    ("haut_cher", "Communauté de communes du Haut-Cher", "CC du Haut-Cher",
     OrganisationKind.EPCI, "18", "", "18200", "Vierval"),
    ("gip18", "GIP Aide aux victimes et accès au droit du Cher", "GIP AVAD 18",
     OrganisationKind.PUBLIC_INTEREST_GROUP, "18", "12 rue des Arènes", "18000", "Bourges"),
    ("ddpn12", "Direction départementale de la police nationale de l'Aveyron", "DDPN 12",
     OrganisationKind.POLICE, "12", "", "12000", "Rodez"),
    ("ggd12", "Groupement de gendarmerie départementale de l'Aveyron", "Gendarmerie 12",
     OrganisationKind.GENDARMERIE, "12", "", "12000", "Rodez"),
    ("ch_montclar", "Centre hospitalier de Montclar", "CH de Montclar",
     OrganisationKind.HOSPITAL, "12", "Avenue des Causses", "12400", "Montclar"),
    ("region", "Région Grands Causses", "Région Grands Causses", OrganisationKind.REGION,
     "12", "", "12000", "Rodez"),
    ("syndicat", "Syndicat mixte du Pays de Montclar", "Pays de Montclar",
     OrganisationKind.MIXED_SYNDICATE, "12", "2 rue du Foirail", "12400", "Montclar"),
]  # fmt: skip

REPRESENTATIVES = [
    # key, civility, first name, last name, title, extra fields
    ("pref18", Civility.MRS, "Claire", "VALMONT", "Préfète du Cher", {}),
    ("pref18", Civility.MRS, "Inès", "MOREAU", "Sous-préfète, directrice de cabinet",
     {"delegated_by": "Préfète du Cher", "delegation_reference":
      "arrêté n° 18-2024-09-112 du 2 septembre 2024"}),
    ("ddpn18", Civility.MR, "Olivier", "RENAUD",
     "Directeur départemental de la police nationale du Cher", {}),
    ("ggd18", Civility.MR, "Marc", "LEBRUN",
     "Commandant du groupement de gendarmerie départementale du Cher", {}),
    ("cd18", Civility.MR, "Jacques", "FERRAND", "Président du Conseil départemental", {}),
    ("deux_rives", Civility.MRS, "Sylvie", "GARNIER",
     "Présidente de la Communauté d'agglomération", {}),
    # Only the title is known: no civility, no name (item 6 of issue #18).
    ("haut_cher", "", "", "", "Président de la Communauté de communes du Haut-Cher", {}),
    ("gip18", Civility.MRS, "Nadia", "BENALI", "Directrice du GIP", {}),
    ("ddpn12", Civility.MR, "Thomas", "VIDAL",
     "Directeur départemental de la police nationale de l'Aveyron", {}),
    ("ggd12", Civility.MRS, "Hélène", "ROCHE",
     "Commandante du groupement de gendarmerie départementale de l'Aveyron", {}),
    ("ch_montclar", Civility.MR, "Paul", "ESTÈVE", "Directeur du centre hospitalier",
     {"acting": True}),
    ("region", Civility.MRS, "Anne", "DELCROS", "Présidente du Conseil régional", {}),
    ("region", Civility.MR, "Luc", "FABRE",
     "Vice-président délégué à la tranquillité publique",
     {"delegated_by_title": "la Présidente du Conseil régional"}),
    ("syndicat", Civility.MR, "Henri", "COMBES", "Président du syndicat mixte", {}),
]  # fmt: skip

ACCOUNTS = [
    # username, first name, last name, organisation key, role, referent
    ("cd18", "Élise", "Agent Département", "cd18", Role.LOCAL_AUTHORITY, True),
    ("ddpn18", "Karim", "Secrétariat police 18", "ddpn18", Role.DDSP_SECRETARIAT, False),
    ("ggd18", "Laure", "Secrétariat gendarmerie 18", "ggd18", Role.GENDARMERIE_SECRETARIAT, False),
    ("gip18", "Bruno", "Coordinateur GIP", "gip18", Role.EMPLOYER_COORDINATION, False),
    ("syndicat.montclar", "Agnès", "Agent Pays de Montclar", "syndicat",
     Role.LOCAL_AUTHORITY, True),
    ("ddpn12", "Hugo", "Secrétariat police 12", "ddpn12", Role.DDSP_SECRETARIAT, False),
    ("ggd12", "Chloé", "Secrétariat gendarmerie 12", "ggd12", Role.GENDARMERIE_SECRETARIAT, False),
    ("ch.montclar", "Manon", "Coordinatrice CH", "ch_montclar", Role.EMPLOYER_COORDINATION,
     False),
]  # fmt: skip

# name, département, FTE, employer, sites (kind, name, force, authority), holder
POSTS = [
    ("ISC du commissariat de Castelnau-sur-Cher", "18", "1.00", "gip18",
     [(SiteKind.COMMISSARIAT, "Commissariat de Castelnau-sur-Cher", Force.POLICE, "ddpn18")],
     ("Alix Intervenante", datetime.date(2025, 1, 6))),
    ("ISC du commissariat de Vierval", "18", "1.00", "gip18",
     [(SiteKind.COMMISSARIAT, "Commissariat de Vierval", Force.POLICE, "ddpn18")],
     ("Noé Intervenant", datetime.date(2025, 2, 3))),
    ("ISC de la compagnie de gendarmerie de Sancy-le-Bois", "18", "0.80", "gip18",
     [(SiteKind.GENDARMERIE_COMPANY, "Compagnie de gendarmerie de Sancy-le-Bois",
       Force.GENDARMERIE, "ggd18")],
     ("Sacha Intervenante", datetime.date(2025, 3, 1))),
    ("ISC de Montclar (commissariat et gendarmerie)", "12", "1.00", "ch_montclar",
     [(SiteKind.COMMISSARIAT, "Commissariat de Montclar", Force.POLICE, "ddpn12"),
      (SiteKind.GENDARMERIE_BRIGADE, "Brigade de gendarmerie de Roquevalle",
       Force.GENDARMERIE, "ggd12"),
      (SiteKind.GENDARMERIE_BRIGADE, "Brigade de gendarmerie de Saint-Just-sur-Tarn",
       Force.GENDARMERIE, "ggd12")],
     ("Lou Intervenante", datetime.date(2025, 4, 1))),
]  # fmt: skip
CASTELNAU, VIERVAL, SANCY, MONTCLAR = (row[0] for row in POSTS)


# Their SIRETs are of series 8, the seeds' of series 9 (``partners.siret_prefix``).
SERIES = "8"


def org(key: str) -> Organisation:
    return organisation(key, ORGANISATIONS, SERIES)


def rep(key: str, title: str) -> Representative:
    return representative(key, title, ORGANISATIONS, SERIES)


def post(name: str) -> Post:
    return Post.objects.get(name=name)


# Reference data: organisations, people, accounts, posts --------------------------------


def load_reference():
    for key, name, short, kind, dep, street, postal_code, city in ORGANISATIONS:
        Organisation.objects.update_or_create(
            kind=kind,
            departement=dep,
            name_key=name_key(name),
            defaults={
                "siret": demo_siret(siret_prefix(key, ORGANISATIONS, SERIES)),
                "name": name,
                "short_name": short,
                "street": street,
                "postal_code": postal_code,
                "city": city,
            },
        )
    for key, civility, first, last, title, extra in REPRESENTATIVES:
        delegated = dict(extra)
        if "delegated_by" in delegated:  # the title of a representative loaded above
            delegated["delegated_by"] = rep(key, delegated["delegated_by"])
        Representative.objects.update_or_create(
            organisation=org(key),
            title=title,
            defaults={"civility": civility, "first_name": first, "last_name": last, **delegated},
        )
    for username, first, last, org_key, role, referent in ACCOUNTS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "organisation": org(org_key),
                "role": role,
                "is_staff": role == Role.EMPLOYER_COORDINATION,
                "email": f"{username}@demo.invalid",
                "is_referent": referent,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    for name, dep, fte, employer, sites, (holder, since) in POSTS:
        item, _ = Post.objects.update_or_create(
            name=name,
            defaults={"departement": dep, "fte": Decimal(fte), "employer": org(employer)},
        )
        for order, (kind, site_name, force, authority) in enumerate(sites, start=1):
            PostSite.objects.update_or_create(
                post=item,
                order=order,
                defaults={
                    "kind": kind,
                    "name": site_name,
                    "force": force,
                    "functional_authority": org(authority),
                },
            )
        item.sites.filter(order__gt=len(sites)).delete()
        PostHolder.objects.update_or_create(post=item, start=since, defaults={"name": holder})


def accounts_summary() -> list[tuple[str, str, str]]:
    users = User.objects.filter(username__in=[a[0] for a in ACCOUNTS]).select_related(
        "organisation"
    )
    by_name = {u.username: u for u in users}
    return [
        (name, by_name[name].role_label, str(by_name[name].organisation))
        for name, *_ in ACCOUNTS
        if name in by_name
    ]


# Conventions ---------------------------------------------------------------------------


def _parties(convention, rows):
    """``rows``: (organisation key, representative's title, the party's fields)."""
    parties = [
        {"organisation": key, "representative": title, **fields} for key, title, fields in rows
    ]
    load_parties(convention, parties, ORGANISATIONS, SERIES)


def _articles(convention, articles):
    """``articles``: (title, body), numbered from 1."""
    load_articles(
        convention, [(number, *article) for number, article in enumerate(articles, start=1)]
    )


def _sections(convention, names):
    for number, name in enumerate(names, start=1):
        ConventionPost.objects.update_or_create(
            convention=convention, number=number, defaults={"post": post(name)}
        )
    convention.sections.filter(number__gt=len(names)).delete()


def _contribution(convention, org_key, post_name, *, line="", **fields):
    fields.setdefault("due_month", None)
    fields.setdefault("due_day", None)
    item, _ = Contribution.objects.update_or_create(
        convention=convention,
        organisation=org(org_key),
        post=post(post_name),
        budget_line=line,
        first_year=fields.pop("first_year"),
        defaults=fields,
    )
    return item


def _costs(post_name, by_year):
    for year, total in by_year.items():
        PostCost.objects.update_or_create(
            post=post(post_name),
            year=year,
            defaults={"total": Decimal(total), "note": FICTIONAL},
        )


def _paid(contribution, year, date, amount, reference):
    Payment.objects.update_or_create(
        contribution=contribution,
        year=year,
        reference=reference,
        defaults={"date": date, "amount": Decimal(amount), "payer": contribution.organisation},
    )


FRAMEWORK_COSTS = {
    CASTELNAU: {2025: 52000, 2026: 53000, 2027: 54000},
    VIERVAL: {2025: 50000, 2026: 51000, 2027: 52000},
    SANCY: {2025: 42000, 2026: 43000, 2027: 44000},
}
STATE_SHARES = {2025: 80, 2026: 50, 2027: 30}


def state_share(post_name: str, year: int) -> str:
    return str(FRAMEWORK_COSTS[post_name][year] * STATE_SHARES[year] // 100)


FRAMEWORK_ARTICLES = [
    ("Objet", "La présente convention-cadre organise, pour le département du Cher, les postes "
     "d'intervenant social en commissariat et en gendarmerie décrits en annexe : un poste par "
     "annexe, avec ses sites, son employeur, son coût et son financement."),
    ("Employeur", "Le GIP Aide aux victimes et accès au droit du Cher recrute et emploie les "
     "intervenants sociaux. Il en est l'autorité hiérarchique."),
    ("Autorité fonctionnelle", "Chaque intervenant exerce sous l'autorité fonctionnelle du "
     "chef du service de police ou de l'unité de gendarmerie qui l'accueille. Les statistiques "
     "trimestrielles sont validées par le secrétariat de cette autorité."),
    ("Financement", "L'État finance chaque poste au titre du FIPD à hauteur de 80 % de son "
     "coût en 2025, 50 % en 2026 et 30 % en 2027. Le Département verse 6 000 € par poste et "
     "par an. La Communauté d'agglomération des Deux Rives verse le solde du coût du poste de "
     "Castelnau-sur-Cher ; la Communauté de communes du Haut-Cher met à disposition les locaux "
     "du poste de Vierval. Le GIP prend en charge le solde des autres postes."),
    ("Durée", "La convention prend effet le 1er janvier 2025 pour une durée de trois ans. Elle "
     "peut être renouvelée après concertation des parties."),
    ("Avenants", "Un poste peut être ajouté ou retiré par avenant signé de toutes les parties."),
]  # fmt: skip

FRAMEWORK_PARTIES = [
    ("pref18", "Sous-préfète, directrice de cabinet",
     {"side": Side.FIRST, "designation": "L'État", "is_funder": True,
      "signed_on": datetime.date(2024, 12, 18)}),
    ("cd18", "Président du Conseil départemental",
     {"side": Side.FIRST, "designation": "Le Département du Cher", "is_funder": True,
      "signed_on": datetime.date(2024, 12, 12)}),
    ("deux_rives", "Présidente de la Communauté d'agglomération",
     {"side": Side.FIRST, "designation": "La Communauté d'agglomération des Deux Rives",
      "is_funder": True, "signed_on": datetime.date(2024, 12, 10)}),
    ("haut_cher", "Président de la Communauté de communes du Haut-Cher",
     {"side": Side.FIRST, "designation": "La Communauté de communes du Haut-Cher",
      "is_funder": True, "signed_on": datetime.date(2024, 12, 11)}),
    ("ddpn18", "Directeur départemental de la police nationale du Cher",
     {"side": Side.SECOND, "designation": "La police nationale", "is_functional_authority":
      True, "is_host": True, "signed_on": datetime.date(2024, 12, 9)}),
    ("ggd18", "Commandant du groupement de gendarmerie départementale du Cher",
     {"side": Side.SECOND, "designation": "La gendarmerie nationale",
      "is_functional_authority": True, "is_host": True,
      "signed_on": datetime.date(2024, 12, 9)}),
    ("gip18", "Directrice du GIP",
     {"side": Side.SECOND, "designation": "Le GIP Aide aux victimes et accès au droit du Cher",
      "is_employer": True, "is_funder": True, "signed_on": datetime.date(2024, 12, 5)}),
]  # fmt: skip


def load_framework():
    convention, _ = Convention.objects.update_or_create(
        reference="cadre-18-2025",
        defaults={
            "title": "Convention-cadre départementale des intervenants sociaux en commissariat "
            "et en gendarmerie du Cher",
            "subtitle": f"2025-2027 ({FICTIONAL})",
            "kind": ConventionKind.MIXED,
            "place_of_signature": "Bourges",
            "start_rule": StartRule.STATED_DATE,
            "stated_start_date": datetime.date(2025, 1, 1),
            "end_date": datetime.date(2027, 12, 31),
            "duration_years": 3,
            "term_governed_by": TermGovernedBy.END_DATE,
            "renewal_mode": RenewalMode.CONCERTATION,
            "notice_months": 3,
            "statistics_validation": StatisticsValidation.EACH_AUTHORITY,
        },
    )
    _sections(convention, [CASTELNAU, VIERVAL, SANCY])
    _parties(convention, FRAMEWORK_PARTIES)
    _articles(convention, FRAMEWORK_ARTICLES)
    for order, (key, member) in enumerate(
        [
            ("pref18", "La Préfète ou son représentant"),
            ("cd18", "Le Président du Conseil départemental ou son représentant"),
            ("ddpn18", "Le directeur départemental de la police nationale"),
            ("ggd18", "Le commandant du groupement de gendarmerie"),
            ("gip18", "La directrice du GIP"),
        ],
        start=1,
    ):
        CommitteeMember.objects.update_or_create(
            convention=convention,
            order=order,
            defaults={"organisation": org(key), "member": member},
        )
    for kind, period, due in [
        (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q1, (15, 4)),
        (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q2, (15, 7)),
        (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q3, (15, 10)),
        (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q4, (15, 1)),
        (ReportKind.ANNUAL_BILAN, ReportPeriod.YEAR, (31, 1)),
    ]:
        ReportingRule.objects.update_or_create(
            convention=convention,
            kind=kind,
            period=period,
            defaults={
                "due_day": due[0],
                "due_month": due[1],
                "recipients": "Secrétariat de l'autorité fonctionnelle du poste",
            },
        )

    years = {"first_year": 2025, "last_year": 2027}
    for name in (CASTELNAU, VIERVAL, SANCY):
        _costs(name, FRAMEWORK_COSTS[name])
        state = _contribution(
            convention,
            "pref18",
            name,
            line=BudgetLine.FIPD,
            source="FIPD",
            rule=ContributionRule.SHARE_BY_YEAR,
            legal_basis_text="convention-cadre, article 4",
            beneficiary=org("gip18"),
            **years,
        )
        for year, share in [(2025, 80), (2026, 50), (2027, 30)]:
            ContributionYearShare.objects.update_or_create(
                contribution=state, year=year, defaults={"share": Decimal(share)}
            )
        departement = _contribution(
            convention,
            "cd18",
            name,
            source="budget départemental",
            rule=ContributionRule.FIXED,
            amount=Decimal("6000"),
            due_day=30,
            due_month=6,
            legal_basis_text="convention-cadre, article 4",
            beneficiary=org("gip18"),
            **years,
        )
        _paid(state, 2025, datetime.date(2025, 5, 20), state_share(name, 2025), "FIPD 2025")
        _paid(state, 2026, datetime.date(2026, 5, 19), state_share(name, 2026), "FIPD 2026")
        _paid(departement, 2025, datetime.date(2025, 6, 24), "6000", "mandat CD18-2025")
        # 2026: the Département has not paid by 30 June: « en retard » on the dashboard.
    balance = _contribution(
        convention,
        "deux_rives",
        CASTELNAU,
        source="budget communautaire",
        rule=ContributionRule.BALANCE,
        legal_basis_text="convention-cadre, article 4",
        beneficiary=org("gip18"),
        **years,
    )
    _paid(balance, 2025, datetime.date(2025, 12, 15), "4400", "mandat 2025-DR-118")
    _contribution(
        convention,
        "haut_cher",
        VIERVAL,
        source="mise à disposition",
        nature=ContributionNature.IN_KIND,
        rule="",
        in_kind_description="mise à disposition des locaux de l'antenne de Vierval",
        in_kind_value=Decimal("4800"),
        legal_basis_text="convention-cadre, article 4",
        **years,
    )
    for name in (VIERVAL, SANCY):
        _contribution(
            convention,
            "gip18",
            name,
            line=BudgetLine.OWN_FUNDS,
            source="fonds propres du GIP",
            rule=ContributionRule.BALANCE,
            legal_basis_text="convention-cadre, article 4",
            **years,
        )
    return convention


MIXED_ARTICLES = [
    ("Objet", "La présente convention organise le poste d'intervenant social de Montclar, "
     "accueilli au commissariat de Montclar et dans les brigades de gendarmerie de Roquevalle "
     "et de Saint-Just-sur-Tarn."),
    ("Employeur", "Le Centre hospitalier de Montclar emploie l'intervenant social."),
    ("Statistiques", "Les statistiques trimestrielles sont validées par le secrétariat de la "
     "direction départementale de la police nationale et par celui du groupement de "
     "gendarmerie, chacun pour les sites qu'il supervise."),
    ("Financement", "La Région verse 20 000 € par an. Le syndicat mixte du Pays de Montclar "
     "verse le solde du coût du poste, conformément à la délibération du comité syndical "
     "n° CS-2025-04 du 20 février 2025."),
    ("Durée", "La convention est conclue pour trois ans à compter de la dernière signature."),
]  # fmt: skip

MIXED_PARTIES = [
    ("region", "Vice-président délégué à la tranquillité publique",
     {"side": Side.FIRST, "designation": "La Région Grands Causses", "is_funder": True,
      "signed_on": datetime.date(2025, 3, 10)}),
    ("syndicat", "Président du syndicat mixte",
     {"side": Side.FIRST, "designation": "Le Syndicat mixte du Pays de Montclar",
      "mandate_note": "dûment habilité par délibération du comité syndical du 20 février 2025",
      "is_funder": True, "signed_on": datetime.date(2025, 3, 4)}),
    ("ch_montclar", "Directeur du centre hospitalier",
     {"side": Side.SECOND, "designation": "Le Centre hospitalier de Montclar",
      "is_employer": True, "signed_on": datetime.date(2025, 3, 3)}),
    ("ddpn12", "Directeur départemental de la police nationale de l'Aveyron",
     {"side": Side.SECOND, "designation": "La police nationale",
      "is_functional_authority": True, "is_host": True,
      "signed_on": datetime.date(2025, 3, 12)}),
    ("ggd12", "Commandante du groupement de gendarmerie départementale de l'Aveyron",
     {"side": Side.SECOND, "designation": "La gendarmerie nationale",
      "is_functional_authority": True, "is_host": True,
      "signed_on": datetime.date(2025, 3, 14)}),
]  # fmt: skip

COMMITTEE_MEMBERS = """
Monsieur Henri COMBES, Madame Julie ARNAL, Monsieur Pierre BOUSQUET, Madame Rose CAYLA,
Monsieur Jean DAURES, Madame Odile FAGES, Monsieur Marcel GINESTE, Madame Lucie MAURY,
Monsieur Denis ROUQUETTE, Madame Marthe SOULIÉ, Monsieur Yves TRUEL, Madame Anaïs VERNHET
"""
REPRESENTED = {"Jean DAURES": "Henri COMBES"}
EXCUSED = {"Marthe SOULIÉ", "Yves TRUEL"}


def load_mixed():
    convention, _ = Convention.objects.update_or_create(
        reference="montclar-2025",
        defaults={
            "title": "Convention de partenariat pour le poste d'intervenant social de Montclar",
            "subtitle": f"commissariat et brigades de gendarmerie ({FICTIONAL})",
            "kind": ConventionKind.MIXED,
            "place_of_signature": "Montclar",
            "start_rule": StartRule.LAST_SIGNATURE,
            "duration_years": 3,
            "term_governed_by": TermGovernedBy.DURATION,
            "renewal_mode": RenewalMode.NONE,
            "notice_months": 3,
            "statistics_validation": StatisticsValidation.EACH_AUTHORITY,
        },
    )
    _sections(convention, [MONTCLAR])
    _parties(convention, MIXED_PARTIES)
    _articles(convention, MIXED_ARTICLES)
    _costs(MONTCLAR, {2025: 50000, 2026: 50000, 2027: 50000})
    years = {"first_year": 2025, "last_year": 2027}
    region = _contribution(
        convention,
        "region",
        MONTCLAR,
        source="budget régional",
        rule=ContributionRule.FIXED,
        amount=Decimal("20000"),
        legal_basis_text="convention, article 4",
        beneficiary=org("ch_montclar"),
        **years,
    )
    deliberation = load_committee_deliberation(convention)
    syndicate = _contribution(
        convention,
        "syndicat",
        MONTCLAR,
        source="budget syndical",
        rule=ContributionRule.BALANCE,
        legal_basis=deliberation,
        legal_basis_text="délibération CS-2025-04 du 20 février 2025",
        beneficiary=org("ch_montclar"),
        **years,
    )
    _paid(region, 2025, datetime.date(2025, 7, 8), "20000", "mandat RGC-2025-3312")
    _paid(syndicate, 2025, datetime.date(2025, 9, 30), "30000", "mandat SM-2025-087")
    _paid(region, 2026, datetime.date(2026, 7, 7), "20000", "mandat RGC-2026-2978")
    return convention


def load_committee_deliberation(convention):
    council, _ = Council.objects.update_or_create(
        organisation=org("syndicat"),
        body=DeliberatingBody.SYNDICATE_COMMITTEE,
        term_start_year=2020,
        defaults={"term_end_year": 2026},
    )
    parsed, errors = parse_member_names(COMMITTEE_MEMBERS)
    if errors:
        raise ValueError(errors)
    members = {}
    for order, person in enumerate(parsed, start=1):
        member, _ = CouncilMember.objects.update_or_create(
            council=council,
            first_name=person.first_name,
            last_name=person.last_name,
            defaults={"civility": person.civility, "order": order},
        )
        members[member.name] = member
    deliberation, _ = Deliberation.objects.update_or_create(
        organisation=council.organisation,
        number="CS-2025-04",
        defaults={
            "body": council.body,
            "council": council,
            "session_date": datetime.date(2025, 2, 20),
            "convocation_date": datetime.date(2025, 2, 12),
            "object": "Poste d'intervenant social de Montclar (commissariat et gendarmerie) - "
            "convention de partenariat et participation du syndicat mixte",
            "matter_code": "7.5",
            "matter_name": "Subventions",
            "president": members["Henri COMBES"],
            "report": "Le syndicat mixte participe au financement du poste d'intervenant social "
            "de Montclar, employé par le Centre hospitalier, à hauteur du solde de son coût, "
            "soit 30 000 € par an pour un coût de 50 000 €, la Région versant 20 000 €.",
            "votes_for": 10,
            "votes_against": 0,
            "abstentions": 0,
            "not_participating": 0,
            "president_vote": PresidentVote.FOR,
            "result": DeliberationResult.ADOPTED,
            "signer_name": "Henri COMBES",
            "signer_capacity": "Le Président du syndicat mixte",
            "signed_mention": "Signé",
        },
    )
    deliberation.conventions.set([convention])
    deliberation.secretaries.set([members["Anaïs VERNHET"]])
    for name, member in members.items():
        if name in EXCUSED:
            status, holder = AttendanceStatus.EXCUSED, None
        elif name in REPRESENTED:
            status, holder = AttendanceStatus.REPRESENTED, members[REPRESENTED[name]]
        else:
            status, holder = AttendanceStatus.PRESENT, None
        Attendance.objects.update_or_create(
            deliberation=deliberation,
            member=member,
            defaults={"status": status, "proxy_holder": holder},
        )
    for order, text in enumerate(
        [
            "approuver la convention de partenariat pour le poste d'intervenant social de "
            "Montclar ;",
            "autoriser le Président à la signer ;",
            "verser chaque année le solde du coût du poste, soit 30 000 € pour 2025.",
        ],
        start=1,
    ):
        Decision.objects.update_or_create(
            deliberation=deliberation, order=order, defaults={"text": text}
        )
    DecidedAmount.objects.update_or_create(
        deliberation=deliberation,
        label="participation annuelle du syndicat mixte",
        defaults={"organisation": org("syndicat"), "year": 2025, "amount": Decimal("30000")},
    )
    return deliberation


# Statistics ----------------------------------------------------------------------------


def load_statistics():
    """2026 up to September: Q1 and Q2 validated by each post's own secretariat, Q3
    submitted; Montclar's Q2 validated by the police only, waiting for the gendarmerie."""
    for name, key, base, secretariats in [
        (CASTELNAU, "castelnau", 24, ["ddpn18"]),
        (VIERVAL, "vierval", 20, ["ddpn18"]),
        (SANCY, "sancy", 14, ["ggd18"]),
        (MONTCLAR, "montclar", 26, ["ddpn12", "ggd12"]),
    ]:
        item = post(name)
        validators = [User.objects.get(username=username) for username in secretariats]
        entered_by = User.objects.get(username="ch.montclar" if name == MONTCLAR else "gip18")
        demo = PostDemo(item, key, base, entered_by, validators[-1], default_due)
        for quarter, (submitted, validated) in {
            1: (at(2026, 4, 9), at(2026, 4, 14, 15)),
            2: (at(2026, 7, 8), at(2026, 7, 15, 15)),
        }.items():
            partial = name == MONTCLAR and quarter == 2
            report = demo.quarter(
                2026,
                quarter,
                QuarterState.SUBMITTED if partial else QuarterState.VALIDATED,
                submitted=submitted,
                validated=None if partial else validated,
            )
            _validations(report, validators[:1] if partial else validators, validated)
        demo.quarter(2026, 3, QuarterState.SUBMITTED, submitted=at(2026, 10, 12))


def _validations(report: QuarterReport, validators, when):
    for user in validators:
        QuarterValidation.objects.update_or_create(
            report=report,
            authority=user.organisation,
            defaults={"validated_by": user, "validated_at": when},
        )


def load():
    load_reference()
    load_framework()
    load_mixed()
    load_statistics()
