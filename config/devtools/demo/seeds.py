"""The two seed conventions (shared/seeds), loaded faithfully for the demo.

The text of the articles, references and preamble is in ``texts/<reference>.txt``,
copied from the seeds with only PDF-extraction artefacts fixed; the structured
facts (parties, schedule, committee) are below.

Signature dates are not written in the seeds ("Fait à Niort, le"): the dates
below are demo values, chosen so that Niort's written end date (31 December
2023) disagrees with its declared three-year duration, as in the original.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from config.devtools.demo.partners import ORGANISATIONS, organisation
from conventions.enums import (
    ConventionKind,
    Force,
    ReferenceKind,
    RenewalMode,
    ReportKind,
    ReportPeriod,
    Side,
    SiteKind,
    StartRule,
    TermGovernedBy,
)
from conventions.models import (
    Annex,
    Article,
    AssociatedPartner,
    CommitteeMember,
    Convention,
    ConventionPost,
    LegalReference,
    Party,
    Post,
    PostHolder,
    PostSite,
    ReportingRule,
)
from partners.models import Representative, User

TEXTS_DIR = Path(__file__).parent / "texts"


def representative(org_key, title, table=ORGANISATIONS, series="9"):
    """``table`` and ``series``: as ``partners.organisation``."""
    return Representative.objects.get(
        organisation=organisation(org_key, table, series), title=title
    )


def load_posts():
    niort, _ = Post.objects.update_or_create(
        name="ISC du commissariat de Niort",
        defaults={
            "departement": "79",
            "fte": Decimal("1.00"),
            "employer": organisation("fv79"),
        },
    )
    PostSite.objects.update_or_create(
        post=niort,
        order=1,
        defaults={
            "kind": SiteKind.COMMISSARIAT,
            "name": "Commissariat de Niort",
            "address": "2 rue de la Préfecture - 79000 NIORT",
            "force": Force.POLICE,
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
            "departement": "95",
            "fte": Decimal("1.00"),
            "employer": organisation("valparisis"),
        },
    )
    PostSite.objects.update_or_create(
        post=ermont,
        order=1,
        defaults={
            "kind": SiteKind.COMMISSARIAT,
            "name": "Commissariat d'Ermont",
            "address": "Ermont (Val-d'Oise)",
            "force": Force.POLICE,
            "functional_authority": organisation("ddsp95"),
        },
    )
    PostHolder.objects.update_or_create(
        post=ermont, start=datetime.date(2022, 4, 1), defaults={"name": "Dominique Intervenant"}
    )
    return niort, ermont


# Texts -----------------------------------------------------------------------


@dataclass
class ConventionText:
    preamble: str = ""
    references: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    articles: list[tuple[int, str, str]] = field(default_factory=list)  # (number, title, body)


BLOCK_HEADER = re.compile(
    r"^\[(?P<kind>preamble|vu|considerant|article)(?: (?P<number>\d+))?\]"
    r"(?: (?P<title>.+))?$"
)


def read_text(reference: str) -> ConventionText:
    """Parse ``texts/<reference>.txt``: blocks opened by ``[vu]``, ``[article 3] Title``…

    Lines starting with ``#`` are comments; inside a block, one line is one paragraph.
    """
    text = ConventionText()
    blocks = []
    for line in (TEXTS_DIR / f"{reference}.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        header = BLOCK_HEADER.match(line)
        if header:
            blocks.append((header, []))
        else:
            blocks[-1][1].append(line.strip())
    for header, lines in blocks:
        body = "\n".join(lines)
        match header["kind"]:
            case "preamble":
                text.preamble = body
            case "vu":
                text.references.append((ReferenceKind.VU, body))
            case "considerant":
                text.references.append((ReferenceKind.CONSIDERANT, body))
            case "article":
                text.articles.append((int(header["number"]), header["title"], body))
    return text


def load_text(convention, text: ConventionText):
    """Write references and articles, removing rows the text no longer has."""
    for order, (kind, body) in enumerate(text.references, start=1):
        LegalReference.objects.update_or_create(
            convention=convention, order=order, defaults={"kind": kind, "text": body}
        )
    convention.references.filter(order__gt=len(text.references)).delete()
    load_articles(convention, text.articles)


def load_articles(convention, articles):
    """``articles``: (number, title, body); the convention's other articles are removed."""
    for number, title, body in articles:
        Article.objects.update_or_create(
            convention=convention, number=number, defaults={"title": title, "body": body}
        )
    convention.articles.exclude(number__in=[n for n, _, _ in articles]).delete()


def load_parties(convention, parties, table=ORGANISATIONS, series="9"):
    """``parties``: dicts with the keys of ``organisation`` and ``representative`` in
    ``table`` (as ``partners.organisation``); the convention's other parties are removed."""
    kept = []
    for order, party in enumerate(parties):
        key, title = party.pop("organisation"), party.pop("representative")
        row, _ = Party.objects.update_or_create(
            convention=convention,
            organisation=organisation(key, table, series),
            defaults={
                "representative": representative(key, title, table, series),
                "order": order,
                **party,
            },
        )
        kept.append(row.pk)
    convention.parties.exclude(pk__in=kept).delete()


def load_reporting_rules(convention, rules):
    """Rules are keyed on (kind, period): a convention asks one report per period."""
    kept = []
    for kind, period, due, recipients in rules:
        rule, _ = ReportingRule.objects.update_or_create(
            convention=convention,
            kind=kind,
            period=period,
            defaults={
                "due_day": due[0] if due else None,
                "due_month": due[1] if due else None,
                "recipients": recipients,
            },
        )
        kept.append(rule.pk)
    convention.reporting_rules.exclude(pk__in=kept).delete()


# Niort -----------------------------------------------------------------------

NIORT_PARTIES = [
    {
        "organisation": "prefecture79",
        "representative": "Préfet des Deux-Sèvres",
        "side": Side.FIRST,
        "designation": "L’État",
        "domicile": "à la Préfecture, 4 rue Du Guesclin - 79099 NIORT Cedex 9",
        "signatory_title": "Le Préfet des Deux-Sèvres,",
        "signed_on": datetime.date(2021, 10, 12),
        "is_funder": True,
    },
    {
        "organisation": "niort",
        "representative": "Maire",
        "side": Side.FIRST,
        "designation": "La Commune de Niort",
        "mandate_note": "dûment habilité par délibération du conseil municipal du "
        "20 septembre 2021",
        "domicile": "à la Mairie de Niort - 1 Place Martin Bastard - 79000 NIORT",
        "signatory_title": "Le Maire de Niort,",
        "signed_on": datetime.date(2021, 10, 5),
        "is_funder": True,
    },
    {
        "organisation": "ddsp79",
        "representative": "Directeur Départemental de la Sécurité Publique",
        "side": Side.SECOND,
        "designation": "La Direction Départementale de la Sécurité Publique, ci-après nommé "
        "« DDSP »",
        "domicile": "à l’Hôtel de Police - 2 rue de la Préfecture - 79000 NIORT",
        "signatory_title": "Le Directeur Départemental de la Sécurité Publique des Deux-Sèvres,",
        "signed_on": datetime.date(2021, 10, 8),
        "is_functional_authority": True,
        "is_host": True,
    },
    {
        "organisation": "fv79",
        "representative": "Président",
        "side": Side.SECOND,
        "designation": "L’Association France Victimes 79",
        "domicile": "au 7A rue Max Linder - 79000 NIORT",
        "signatory_title": "Le Président de l’Association France Victimes 79,",
        "signed_on": datetime.date(2021, 10, 6),
        "is_employer": True,
    },
]

NIORT_PROSECUTOR_WORDING = (
    "Le procureur de la République près du tribunal judiciaire de Niort dont le rôle est de "
    "défendre l’ordre public et les intérêts sociaux peut être associé de façon partenariale."
)

DDSP_SECRETARIAT = "Secrétariat de la DDSP"
NIORT_BILAN_RECIPIENTS = (
    "Monsieur le Préfet (service des sécurités), le DDSP et Monsieur le Maire de la commune "
    "de Niort"
)

# Article 11: (kind, period covered, (day, month) due, recipients).
NIORT_REPORTING = [
    (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q1, (15, 4), DDSP_SECRETARIAT),
    (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q2, (15, 7), DDSP_SECRETARIAT),
    (ReportKind.QUARTERLY_BILAN, ReportPeriod.Q3, (15, 10), DDSP_SECRETARIAT),
    (
        ReportKind.ANNUAL_BILAN,
        ReportPeriod.YEAR,
        (7, 1),
        f"{DDSP_SECRETARIAT} ; bilan communiqué à {NIORT_BILAN_RECIPIENTS}",
    ),
    # "à la fin du premier trimestre": the meeting reviews the year before.
    (ReportKind.REVIEW_MEETING, ReportPeriod.YEAR, (31, 3), "en présence du DDSP"),
]


def load_niort(post):
    convention, _ = Convention.objects.update_or_create(
        reference="niort-2021",
        defaults={
            "title": "Convention triennale de partenariat « Intervenant social en commissariat »",
            "subtitle": "",
            "kind": ConventionKind.COMMISSARIAT,
            "place_of_signature": "Niort",
            "preamble": "",
            "agreement_heading": "IL A ÉTÉ CONVENU CE QUI SUIT",
            # « ENTRE » État « ET » Commune « D'une part, » DDSP « ET » France Victimes
            # « D'autre part. »: nothing between the two groups.
            "parties_opening": "ENTRE",
            "parties_member_link": "ET",
            "parties_group_link": "",
            "first_side_closing": "D’une part,",
            "second_side_closing": "D’autre part.",
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
    # A simple convention: the post is its annex n° 1.
    ConventionPost.objects.update_or_create(
        convention=convention, number=1, defaults={"post": post}
    )
    load_parties(convention, [dict(p) for p in NIORT_PARTIES])
    AssociatedPartner.objects.update_or_create(
        convention=convention,
        organisation=organisation("parquet_niort"),
        defaults={"wording": NIORT_PROSECUTOR_WORDING},
    )
    load_text(convention, read_text("niort-2021"))
    load_reporting_rules(convention, NIORT_REPORTING)
    # Article 4: « Une fiche de poste est annexée ». Its text is not in the seed: the
    # annex is recorded without a text, and the PDF prints no page for it.
    Annex.objects.update_or_create(
        convention=convention, order=1, defaults={"title": "Fiche de poste", "body": ""}
    )
    return convention


# Ermont ----------------------------------------------------------------------

# The signature grid of the original: Préfet | Présidente du Conseil départemental,
# then DDSP | Président de la Communauté d'agglomération (not the parties' order).
ERMONT_PARTIES = [
    {
        "organisation": "prefecture95",
        "representative": "Préfet du Val-d'Oise",
        "side": Side.FIRST,
        "designation": "L’État",
        "representation": "représenté par Monsieur le Préfet du Val-d’Oise",
        "signatory_title": "Le Préfet du Val d’Oise",
        "signature_row": 1,
        "signature_column": 1,
        "signed_on": datetime.date(2022, 3, 1),
        "is_funder": True,
    },
    {
        "organisation": "ddsp95",
        "representative": "Directeur Départemental de la Sécurité Publique du Val-d'Oise",
        "side": Side.FIRST,
        "designation": "La police nationale",
        "representation": "représentée par Monsieur le Directeur Départemental de la Sécurité "
        "Publique du Val-d’Oise",
        "signatory_title": "Le Directeur Départemental de la Sécurité Publique",
        "signature_row": 2,
        "signature_column": 1,
        "signed_on": datetime.date(2022, 2, 21),
        "is_functional_authority": True,
        "is_host": True,
    },
    {
        "organisation": "cd95",
        "representative": "Présidente du Conseil départemental",
        "side": Side.SECOND,
        "designation": "Le Conseil départemental du Val-d’Oise",
        "representation": "représenté par sa Présidente",
        "signatory_title": "La Présidente du Conseil Départemental",
        "signature_row": 1,
        "signature_column": 2,
        "signed_on": datetime.date(2022, 2, 14),
        "is_funder": True,
    },
    {
        "organisation": "valparisis",
        "representative": "Président de la Communauté d'Agglomération Val Parisis",
        "side": Side.SECOND,
        "designation": "La Communauté d’Agglomération Val Parisis",
        "representation": "représentée par son Président",
        "signatory_title": "Le Président de La Communauté d’Agglomération Val Parisis",
        "signature_row": 2,
        "signature_column": 2,
        "signed_on": datetime.date(2022, 2, 10),
        "is_funder": True,
        "is_employer": True,
    },
]

# Article 8, in its order.
ERMONT_COMMITTEE = [
    ("prefecture95", "Monsieur le Préfet ou son représentant"),
    ("cd95", "Madame la Présidente du Conseil départemental ou son représentant"),
    ("ddsp95", "Monsieur le directeur départemental de la sécurité publique ou son représentant"),
    (
        "valparisis",
        "Monsieur le Président de la Communauté d’agglomération Val Parisis ou son représentant",
    ),
]

# Article 8: "Ce comité examine tous les ans, le bilan d'activité"; no date is written.
ERMONT_REPORTING = [(ReportKind.ANNUAL_BILAN, ReportPeriod.YEAR, None, "Comité de suivi")]


def load_ermont(post):
    text = read_text("ermont-2022")
    convention, _ = Convention.objects.update_or_create(
        reference="ermont-2022",
        defaults={
            "title": "Convention triennale de partenariat",
            "subtitle": "relative au recrutement et au financement d’un intervenant social au "
            "sein du commissariat de police d'Ermont",
            "kind": ConventionKind.COMMISSARIAT,
            "place_of_signature": "Cergy-Pontoise",
            "preamble": text.preamble,
            # The Ermont original goes from the preamble straight to article 1.
            "agreement_heading": "",
            # « Entre » État, police nationale « Et » Conseil départemental, Communauté
            # d'agglomération: no word inside a group, no « D'une part ».
            "parties_opening": "Entre",
            "parties_member_link": "",
            "parties_group_link": "Et",
            "first_side_closing": "",
            "second_side_closing": "",
            "start_rule": StartRule.LAST_SIGNATURE,
            "duration_years": 3,
            "term_governed_by": TermGovernedBy.DURATION,
            "renewal_mode": RenewalMode.SUCCESSIVE_PERIODS,
            "renewal_period_years": 3,
            "notice_months": 3,
            "suspensive_clause": True,
        },
    )
    # A simple convention: the post is its annex n° 1.
    ConventionPost.objects.update_or_create(
        convention=convention, number=1, defaults={"post": post}
    )
    load_parties(convention, [dict(p) for p in ERMONT_PARTIES])
    load_text(convention, text)
    for order, (key, member) in enumerate(ERMONT_COMMITTEE, start=1):
        CommitteeMember.objects.update_or_create(
            convention=convention,
            order=order,
            defaults={"organisation": organisation(key), "member": member},
        )
    convention.committee_members.filter(order__gt=len(ERMONT_COMMITTEE)).delete()
    load_reporting_rules(convention, ERMONT_REPORTING)
    return convention


def load():
    niort_post, ermont_post = load_posts()
    load_niort(niort_post)
    load_ermont(ermont_post)
