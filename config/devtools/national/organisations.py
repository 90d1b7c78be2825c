"""Départements, organisations, posts, holders, costs and users of the national dataset."""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from config.devtools.demo.partners import DEMO_PASSWORD, demo_siret
from config.devtools.national.common import (
    MARKER_DOMAIN,
    NATIONAL,
    USER_DEPARTEMENTS,
    Departement,
    PostPlan,
    elided,
    money,
)
from config.devtools.national.places import DEPARTEMENTS, TOWN_ROOTS, TOWN_SUFFIXES
from conventions.enums import Force, SiteKind
from conventions.models import Post, PostCost, PostHolder, PostSite
from partners.enums import Civility, OrganisationKind, Role
from partners.models import Organisation, Representative, User, name_key


class OrganisationsMixin:
    def organisation(self, dep: Departement, kind, name, short, *, city="", postal="", **extra):
        number = len(self.organisations) + 1
        organisation = Organisation(
            name=name,
            name_key=name_key(name),
            short_name=short[:60],
            kind=kind,
            departement=dep.code,
            city=city or dep.city,
            postal_code=postal or dep.postal,
            siret=demo_siret(f"7{number:06d}"),
            email=f"contact{number}@{MARKER_DOMAIN}",
            **extra,
        )
        civility, first, last = self.person()
        organisation.representative_spec = (civility, first, last)
        self.organisations.append(organisation)
        return organisation

    # Places and organisations --------------------------------------------------

    def allocate_posts(self) -> dict[str, int]:
        """Posts per département, in proportion to the population.

        A national count (101 posts or more) gives every département at least one. A
        smaller one is shared by the most populous départements, about four posts
        each, so that a small dataset still has départements with several posts.
        """
        by_population = sorted(DEPARTEMENTS, key=lambda d: (-d[4], d[0]))
        if self.total_posts >= len(DEPARTEMENTS):
            chosen, floor = by_population, 1
        else:
            chosen, floor = by_population[: max(1, self.total_posts // 4)], 0
        extra = self.total_posts - floor * len(chosen)
        total = sum(d[4] for d in chosen)
        shares = {d[0]: extra * d[4] / total for d in chosen}
        counts = {code: floor + int(share) for code, share in shares.items()}
        left = self.total_posts - sum(counts.values())
        for code in sorted(shares, key=lambda c: (int(shares[c]) - shares[c], c))[:left]:
            counts[code] += 1
        return counts

    def build_departements(self):
        for code, name, de, city, population in DEPARTEMENTS:
            postal = {"2A": "20000", "2B": "20200"}.get(code, code.ljust(5, "0"))
            dep = Departement(code, name, de, city, population, postal=postal)
            dep.prefecture = self.organisation(
                dep,
                OrganisationKind.STATE,
                f"Préfecture {de}{NATIONAL}",
                f"Préfecture {code}",
                premises="la Préfecture",
                street="1 place de la Préfecture",
            )
            dep.prefecture.representative_title = f"Préfet {de}"
            dep.ddsp = self.organisation(
                dep,
                OrganisationKind.POLICE,
                f"Direction départementale de la sécurité publique {de}{NATIONAL}",
                f"DDSP {code}",
                premises="l'Hôtel de police",
            )
            dep.ddsp.representative_title = "Directeur départemental de la sécurité publique"
            dep.gendarmerie = self.organisation(
                dep,
                OrganisationKind.GENDARMERIE,
                f"Groupement de gendarmerie départementale {de}{NATIONAL}",
                f"Gendarmerie {code}",
            )
            dep.gendarmerie.representative_title = "Commandant du groupement de gendarmerie"
            dep.council = self.organisation(
                dep,
                OrganisationKind.DEPARTEMENT,
                f"Conseil départemental {de}{NATIONAL}",
                f"Département {code}",
                premises="l'Hôtel du Département",
            )
            dep.council.representative_title = "Président du Conseil départemental"
            dep.parquet = self.organisation(
                dep,
                OrganisationKind.PROSECUTION,
                f"Parquet près le tribunal judiciaire {elided(city)}{NATIONAL}",
                f"Parquet {elided(city)}",
            )
            dep.parquet.representative_title = "Procureur de la République"
            dep.association = self.organisation(
                dep,
                OrganisationKind.ASSOCIATION,
                f"Association d'aide aux victimes {de}{NATIONAL}",
                f"Aide aux victimes {code}",
                rna=f"W{self.rng.randint(10**8, 10**9 - 1)}",
            )
            dep.association.representative_title = "Président de l'association"
            self.departements.append(dep)

    def town_name(self, dep: Departement) -> str:
        while True:
            name = self.rng.choice(TOWN_ROOTS) + self.rng.choice(TOWN_SUFFIXES)
            if name not in dep.towns:
                dep.towns.add(name)
                return name

    def town_postal(self, dep: Departement) -> str:
        if dep.code.startswith("97"):
            return f"{dep.code}{self.rng.randint(10, 90)}"
        prefix = "20" if dep.code in ("2A", "2B") else dep.code
        return f"{prefix}{self.rng.randint(1, 99) * 10:03d}"

    def build_post_plans(self, allocation: dict[str, int]):
        for dep in self.departements:
            for number in range(1, allocation.get(dep.code, 0) + 1):
                town = self.town_name(dep)
                postal = self.town_postal(dep)
                police = self.rng.random() < (0.65 if dep.population > 500 else 0.45)
                if self.rng.random() < 0.3:
                    local = self.organisation(
                        dep,
                        OrganisationKind.EPCI,
                        f"Communauté d'agglomération {elided(town)}",
                        f"Agglo {elided(town)}",
                        city=town,
                        postal=postal,
                    )
                    local.representative_title = "Président de la communauté d'agglomération"
                else:
                    local = self.organisation(
                        dep,
                        OrganisationKind.COMMUNE,
                        f"Commune {elided(town)}",
                        f"Ville {elided(town)}",
                        city=town,
                        postal=postal,
                        premises="l'Hôtel de ville",
                    )
                    local.representative_title = "Maire"
                ccas = None
                draw = self.rng.random()
                if number == 1 or draw < 0.45:
                    employer = dep.association
                elif draw < 0.65:
                    ccas = self.organisation(
                        dep,
                        OrganisationKind.SOCIAL_ACTION_CENTRE,
                        f"Centre communal d'action sociale {elided(town)}",
                        f"CCAS {elided(town)}",
                        city=town,
                        postal=postal,
                    )
                    ccas.representative_title = "Vice-président du CCAS"
                    employer = ccas
                else:
                    employer = local
                fte = Decimal(self.rng.choice(["1", "1", "1", "1", "1", "0.5", "0.8"]))
                plan = PostPlan(
                    dep,
                    number,
                    town,
                    police,
                    local,
                    employer,
                    ccas,
                    fte,
                    base=round(self.rng.uniform(15, 45) * float(fte)) + 3,
                    # Chosen without a draw: the rest of the dataset stays the same.
                    mixed=police and number % 4 == 0,
                )
                dep.posts.append(plan)
                self.plans.append(plan)

    def write_organisations(self):
        self.bulk(Organisation, self.organisations)
        representatives = []
        for organisation in self.organisations:
            civility, first, last = organisation.representative_spec
            title = organisation.representative_title
            if civility == Civility.MRS:
                title = (
                    title.replace("Préfet", "Préfète")
                    .replace("Directeur", "Directrice")
                    .replace("Président", "Présidente")
                    .replace("Commandant", "Commandante")
                    .replace("Procureur", "Procureure")
                )
            representative = Representative(
                organisation=organisation,
                civility=civility,
                first_name=first,
                last_name=last.upper(),
                title=title,
            )
            organisation.representative = representative
            representatives.append(representative)
        self.bulk(Representative, representatives)

    # Posts, holders, costs -----------------------------------------------------

    def write_posts(self):
        posts, sites = [], []
        for plan in self.plans:
            town = plan.town
            dep = plan.departement
            if plan.mixed:
                name = f"ISCG du commissariat et de la brigade {elided(town)}"
            elif plan.police:
                name = f"ISC du commissariat {elided(town)}"
            else:
                name = f"ISG de la brigade de gendarmerie {elided(town)}"
            plan.post = Post(
                name=name,
                departement=dep.code,
                fte=plan.fte,
                employer=plan.employer,
            )
            posts.append(plan.post)
            address = (
                f"{self.rng.randint(1, 60)} avenue de la République - "
                f"{plan.local.postal_code} {town.upper()}"
            )
            if plan.police:
                sites.append(
                    PostSite(
                        post=plan.post,
                        kind=SiteKind.COMMISSARIAT,
                        name=f"Commissariat de police {elided(town)}",
                        address=address,
                        force=Force.POLICE,
                        functional_authority=dep.ddsp,
                    )
                )
            if plan.mixed or not plan.police:
                sites.append(
                    PostSite(
                        post=plan.post,
                        kind=SiteKind.GENDARMERIE_BRIGADE,
                        name=f"Brigade de gendarmerie {elided(town)}",
                        address="" if plan.police else address,
                        force=Force.GENDARMERIE,
                        functional_authority=dep.gendarmerie,
                        order=2 if plan.police else 1,
                    )
                )
        self.bulk(Post, posts)
        self.bulk(PostSite, sites)

    def write_holders_and_costs(self):
        holders, costs = [], []
        for plan in self.plans:
            first = datetime.date(plan.conventions[0].start_year, 1, 1)
            tenures = self.rng.randint(1, 3)
            cuts = sorted(
                {
                    self.day_between(first + datetime.timedelta(days=200), self.today)
                    for _ in range(tenures - 1)
                }
            )
            starts = [first, *cuts]
            for index, start in enumerate(starts):
                end = (
                    starts[index + 1] - datetime.timedelta(days=1)
                    if index + 1 < len(starts)
                    else None
                )
                civility, first_name, last_name = self.person()
                holder = PostHolder(
                    post=plan.post, name=f"{first_name} {last_name.upper()}", start=start, end=end
                )
                holders.append(holder)
            plan.current_holder = holders[-1]
            years = range(plan.conventions[0].start_year, plan.conventions[-1].start_year + 3)
            base = 42000 + self.rng.randint(-3000, 6000)
            for year in years:
                total = money(round(base * float(plan.fte) * 1.02 ** (year - 2015), -2))
                salary = money(round(total * Decimal("0.62"), 0))
                charges = money(round(total * Decimal("0.28"), 0))
                cost = PostCost(
                    post=plan.post,
                    year=year,
                    total=total,
                    salary=salary,
                    charges=charges,
                    operating=total - salary - charges,
                    note="montant de démonstration (jeu national)",
                )
                plan.costs[year] = cost
                costs.append(cost)
        self.bulk(PostHolder, holders)
        self.bulk(PostCost, costs)

    # Users ---------------------------------------------------------------------------

    def write_users(self):
        password = make_password(DEMO_PASSWORD)
        users = []

        def user(username, first, last, organisation, role, **extra):
            account = User(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@{MARKER_DOMAIN}",
                organisation=organisation,
                role=role or "",
                password=password,
                **extra,
            )
            users.append(account)
            if role is not None:
                self.summary.usernames.append((username, role.label, organisation.name))
            else:
                self.summary.usernames.append((username, "Administrateur", "—"))
            return account

        user("national.admin", "Équipe", "Nationale", None, None, is_superuser=True, is_staff=True)
        # The national administration of the scheme, read only (made here, without a
        # draw: the rest of the dataset stays the same).
        ministry = Organisation.objects.create(
            name=f"Secrétariat général du CIPDR{NATIONAL}",
            name_key=name_key(f"Secrétariat général du CIPDR{NATIONAL}"),
            short_name="SG-CIPDR",
            kind=OrganisationKind.STATE,
            departement="75",
            city="Paris",
            postal_code="75008",
            siret=demo_siret("6000001"),
            email=f"sg-cipdr@{MARKER_DOMAIN}",
        )
        user("national.pilotage", "Pilotage", "National", ministry, Role.NATIONAL_STEERING)
        ranked = sorted(
            (d for d in self.departements if d.posts), key=lambda d: (-len(d.posts), d.code)
        )
        for dep in ranked[:USER_DEPARTEMENTS]:
            first_post = dep.posts[0]
            code = dep.code.lower()
            self.users[(dep.code, "local")] = user(
                f"collectivite.{code}",
                "Agent",
                first_post.local.short_name,
                first_post.local,
                Role.LOCAL_AUTHORITY,
            )
            self.users[(dep.code, "ddsp")] = user(
                f"ddsp.{code}", "Secrétariat", f"DDSP {dep.code}", dep.ddsp, Role.DDSP_SECRETARIAT
            )
            self.users[(dep.code, "gendarmerie")] = user(
                f"gendarmerie.{code}",
                "Secrétariat",
                f"Groupement {dep.code}",
                dep.gendarmerie,
                Role.GENDARMERIE_SECRETARIAT,
            )
            self.users[(dep.code, "employer")] = user(
                f"employeur.{code}",
                "Coordination",
                dep.association.short_name,
                dep.association,
                Role.EMPLOYER_COORDINATION,
                is_staff=True,
            )
            self.users[(dep.code, "worker")] = user(
                f"intervenant.{code}",
                "Intervenant",
                first_post.town,
                first_post.employer,
                Role.SOCIAL_WORKER,
            )
            self.users[(dep.code, "partner")] = user(
                f"prefecture.{code}",
                "Bureau",
                "des sécurités",
                dep.prefecture,
                Role.READ_ONLY_PARTNER,
            )
            self.users[(dep.code, "pilotage")] = user(
                f"pilotage.{code}",
                "Pilotage",
                f"Préfecture {dep.code}",
                dep.prefecture,
                Role.DEPARTEMENTAL_STEERING,
            )
        self.bulk(User, users)
        for dep in ranked[:USER_DEPARTEMENTS]:
            holder = dep.posts[0].current_holder
            PostHolder.objects.filter(pk=holder.pk).update(user=self.users[(dep.code, "worker")])
