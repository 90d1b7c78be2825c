"""The two seed conventions (shared/seeds), loaded faithfully for the demo.

Signature dates are not written in the seeds ("Fait à Niort, le"): the dates
below are demo values, chosen so that Niort's written end date (31 December
2023) disagrees with its declared three-year duration, as in the original.
"""

import datetime
from decimal import Decimal

from partners.demo import organisation
from partners.models import Representative, User

from ..enums import ConventionKind, Force, RenewalMode, Side, StartRule, TermGovernedBy
from ..models import Convention, Party, Post, PostHolder


def representative(org_key, title):
    return Representative.objects.get(organisation=organisation(org_key), title=title)


def load_posts():
    niort, _ = Post.objects.update_or_create(
        name="ISC du commissariat de Niort",
        defaults={
            "force": Force.POLICE,
            "host_site": "Commissariat de Niort",
            "host_address": "2 rue de la Préfecture - 79000 NIORT",
            "departement": "79",
            "fte": Decimal("1.00"),
            "employer": organisation("fv79"),
            "functional_authority": organisation("ddsp79"),
        },
    )
    PostHolder.objects.update_or_create(
        post=niort,
        start=datetime.date(2021, 10, 18),
        defaults={
            "name": "Camille Intervenante",
            "user": User.objects.filter(username="intervenant.niort").first(),
        },
    )
    ermont, _ = Post.objects.update_or_create(
        name="ISC du commissariat d'Ermont",
        defaults={
            "force": Force.POLICE,
            "host_site": "Commissariat d'Ermont",
            "host_address": "Ermont (Val-d'Oise)",
            "departement": "95",
            "fte": Decimal("1.00"),
            "employer": organisation("valparisis"),
            "functional_authority": organisation("ddsp95"),
        },
    )
    PostHolder.objects.update_or_create(
        post=ermont, start=datetime.date(2022, 4, 1), defaults={"name": "Dominique Intervenant"}
    )
    return niort, ermont


def load_niort(post):
    convention, _ = Convention.objects.update_or_create(
        reference="niort-2021",
        defaults={
            "title": "Convention triennale de partenariat « Intervenant social en commissariat »",
            "kind": ConventionKind.COMMISSARIAT,
            "post": post,
            "place_of_signature": "Niort",
            "start_rule": StartRule.LAST_SIGNATURE,
            "end_date": datetime.date(2023, 12, 31),
            "duration_years": 3,
            "term_governed_by": TermGovernedBy.END_DATE,
            "renewal_mode": RenewalMode.CONCERTATION,
            "notice_months": 3,
            "suspensive_clause": True,
            "first_contact_hours": 72,
            "relay_organisation": organisation("ccas_niort"),
            "relay_details": "orientation des personnes vers le siège du CCAS, 1 rue du Musée "
            "à Niort",
        },
    )
    parties = [
        (
            "prefecture79",
            "Préfet des Deux-Sèvres",
            Side.FIRST,
            "L'État",
            {"is_funder": True},
            "Le Préfet des Deux-Sèvres,",
            datetime.date(2021, 10, 12),
        ),
        (
            "niort",
            "Maire",
            Side.FIRST,
            "La Commune de Niort",
            {"is_funder": True},
            "Le Maire de Niort,",
            datetime.date(2021, 10, 5),
        ),
        (
            "ddsp79",
            "Directeur Départemental de la Sécurité Publique",
            Side.SECOND,
            "La Direction Départementale de la Sécurité Publique, ci-après nommé « DDSP »",
            {"is_functional_authority": True, "is_host": True},
            "Le Directeur Départemental de la Sécurité Publique des Deux-Sèvres,",
            datetime.date(2021, 10, 8),
        ),
        (
            "fv79",
            "Président",
            Side.SECOND,
            "L'Association France Victimes 79",
            {"is_employer": True},
            "Le Président de l'Association France Victimes 79,",
            datetime.date(2021, 10, 6),
        ),
    ]
    for order, (key, title, side, designation, roles, signatory, signed_on) in enumerate(parties):
        Party.objects.update_or_create(
            convention=convention,
            organisation=organisation(key),
            defaults={
                "representative": representative(key, title),
                "order": order,
                "side": side,
                "designation": designation,
                "signatory_title": signatory,
                "signed_on": signed_on,
                **roles,
            },
        )
    return convention


def load_ermont(post):
    convention, _ = Convention.objects.update_or_create(
        reference="ermont-2022",
        defaults={
            "title": "Convention triennale de partenariat",
            "subtitle": "relative au recrutement et au financement d'un intervenant social au "
            "sein du commissariat de police d'Ermont",
            "kind": ConventionKind.COMMISSARIAT,
            "post": post,
            "place_of_signature": "Cergy-Pontoise",
            "agreement_heading": "",
            "start_rule": StartRule.LAST_SIGNATURE,
            "duration_years": 3,
            "term_governed_by": TermGovernedBy.DURATION,
            "renewal_mode": RenewalMode.SUCCESSIVE_PERIODS,
            "renewal_period_years": 3,
            "notice_months": 3,
            "suspensive_clause": True,
        },
    )
    parties = [
        (
            "prefecture95",
            "Préfet du Val-d'Oise",
            Side.FIRST,
            "L'État",
            "représenté par Monsieur le Préfet du Val-d'Oise",
            {"is_funder": True},
            "Le Préfet du Val d'Oise",
            datetime.date(2022, 3, 1),
        ),
        (
            "ddsp95",
            "Directeur Départemental de la Sécurité Publique du Val-d'Oise",
            Side.FIRST,
            "La police nationale",
            "représentée par Monsieur le Directeur Départemental de la Sécurité Publique du "
            "Val-d'Oise",
            {"is_functional_authority": True, "is_host": True},
            "Le Directeur Départemental de la Sécurité Publique",
            datetime.date(2022, 2, 21),
        ),
        (
            "cd95",
            "Présidente du Conseil départemental",
            Side.SECOND,
            "Le Conseil départemental du Val-d'Oise",
            "représenté par sa Présidente",
            {"is_funder": True},
            "La Présidente du Conseil Départemental",
            datetime.date(2022, 2, 14),
        ),
        (
            "valparisis",
            "Président de la Communauté d'Agglomération Val Parisis",
            Side.SECOND,
            "La Communauté d'Agglomération Val Parisis",
            "représentée par son Président",
            {"is_funder": True, "is_employer": True},
            "Le Président de La Communauté d'Agglomération Val Parisis",
            datetime.date(2022, 2, 10),
        ),
    ]
    for order, (
        key,
        title,
        side,
        designation,
        representation,
        roles,
        signatory,
        signed_on,
    ) in enumerate(parties):
        Party.objects.update_or_create(
            convention=convention,
            organisation=organisation(key),
            defaults={
                "representative": representative(key, title),
                "order": order,
                "side": side,
                "designation": designation,
                "representation": representation,
                "signatory_title": signatory,
                "signed_on": signed_on,
                **roles,
            },
        )
    return convention


def load():
    niort_post, ermont_post = load_posts()
    load_niort(niort_post)
    load_ermont(ermont_post)
