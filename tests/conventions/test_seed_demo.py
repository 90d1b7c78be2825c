"""The demo holds the two seed conventions as a reader of the originals would check them."""

import datetime
import io

import pytest
from django.core.management import call_command

from config.devtools.demo.seeds import read_text
from conventions.enums import ReferenceKind, ReportKind, ReportPeriod
from conventions.models import (
    Annex,
    Article,
    AssociatedPartner,
    CommitteeMember,
    Convention,
    LegalReference,
    Party,
    ReportingRule,
)

pytestmark = pytest.mark.django_db
D = datetime.date

NIORT_ARTICLE_TITLES = [
    "Objet",
    "Missions de l’intervenant social en commissariat (ISC)",
    "Objectifs du dispositif",
    "Profil du poste et procédure de recrutement",
    "Moyens mis à disposition",
    "Modalités financières",
    "Cadre juridique et déontologique",
    "Cadre d’intervention",
    "traitement des situations",
    "Disponibilités de l’intervenant Social en Commissariat",
    "Évaluation de l’activité de l’Intervenant Social en Commissariat",
    "Durée de la convention",
]

ERMONT_ARTICLE_TITLES = [
    "Objet de la convention",
    "Missions du travailleur social",
    "Profil du poste et procédure de recrutement",
    "Cadre juridique, déontologique de l‘intervention",
    "Statut - rémunération",
    "Locaux équipements",
    "Financement",
    "Comité de suivi",
    "Durée de la convention",
]


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return {
        c.reference: c
        for c in Convention.objects.for_detail().filter(reference__in=["niort-2021", "ermont-2022"])
    }


def party(convention, organisation_name):
    return next(p for p in convention.parties.all() if p.organisation.name == organisation_name)


# Niort -----------------------------------------------------------------------


def test_niort_has_the_five_vu_and_the_considerant_of_the_seed(demo):
    references = list(demo["niort-2021"].references.all())
    assert [r.kind for r in references] == [ReferenceKind.VU] * 5 + [ReferenceKind.CONSIDERANT]
    assert (
        references[0].text == "la loi du 5 mars 2007 relative à la prévention de la délinquance ;"
    )
    assert references[-1].text.startswith("la politique volontariste de la ville de Niort")


def test_niort_has_its_twelve_articles_with_their_titles(demo):
    articles = list(demo["niort-2021"].articles.all())
    assert [a.number for a in articles] == list(range(1, 13))
    assert [a.title for a in articles] == NIORT_ARTICLE_TITLES


def test_niort_article_texts_are_the_seed_without_pdf_artefacts(demo):
    articles = {a.number: a.body for a in demo["niort-2021"].articles.all()}
    assert "ayant élu domi-" not in " ".join(articles.values())
    assert articles[2].splitlines()[0] == (
        "- Accueil et écoute active en évaluant la nature des besoins sociaux révélés par "
        "l’activité des forces de l’ordre ;"
    )
    assert len([line for line in articles[2].splitlines() if line.startswith("- ")]) == 7
    # The footnote numbers of the extraction ("l'État1", "globale2") are footnotes again.
    assert (
        "de l’État[^Texte de la note absent de la copie de l’original.]. Il propose"
        in (articles[8])
    )
    assert "prise en charge globale[^Cf. fiche de poste]." in articles[8]
    assert "respon -sabilité" not in articles[10] and "responsabilité" in articles[10]
    assert articles[12].endswith("constitue une clause suspensive immédiate.")


def test_niort_parties_are_written_as_in_the_convention(demo):
    niort = demo["niort-2021"]
    prefecture = party(niort, "Préfecture des Deux-Sèvres")
    assert prefecture.representative.full_name == "M. Emmanuel AUBRY"
    assert prefecture.representative.title == "Préfet des Deux-Sèvres"
    assert prefecture.domicile == "à la Préfecture, 4 rue Du Guesclin - 79099 NIORT Cedex 9"

    commune = party(niort, "Commune de Niort")
    assert commune.representative.full_name == "M. Jérôme BALOGE"
    assert commune.mandate_note == (
        "dûment habilité par délibération du conseil municipal du 20 septembre 2021"
    )
    assert commune.domicile == "à la Mairie de Niort - 1 Place Martin Bastard - 79000 NIORT"

    ddsp = party(niort, "Direction Départementale de la Sécurité Publique des Deux-Sèvres")
    assert ddsp.representative.full_name == "M. Franck PERRAULT"
    assert ddsp.domicile == "à l’Hôtel de Police - 2 rue de la Préfecture - 79000 NIORT"

    association = party(niort, "France Victimes 79")
    assert association.representative.full_name == "M. Jean-Marc BESNARD"
    assert association.domicile == "au 7A rue Max Linder - 79000 NIORT"


def test_niort_parties_are_grouped_two_by_two_as_d_une_part_and_d_autre_part(demo):
    sides = [(p.designation, p.side) for p in demo["niort-2021"].parties.all()]
    assert sides == [
        ("L’État", "first"),
        ("La Commune de Niort", "first"),
        ("La Direction Départementale de la Sécurité Publique, ci-après nommé « DDSP »", "second"),
        ("L’Association France Victimes 79", "second"),
    ]


def test_niort_associates_the_procureur_without_making_him_sign(demo):
    niort = demo["niort-2021"]
    (associated,) = niort.associated_partners.all()
    assert associated.organisation.name == "Parquet près le tribunal judiciaire de Niort"
    assert associated.wording == (
        "Le procureur de la République près du tribunal judiciaire de Niort dont le rôle est "
        "de défendre l’ordre public et les intérêts sociaux peut être associé de façon "
        "partenariale."
    )
    assert associated.organisation not in [p.organisation for p in niort.parties.all()]


def test_niort_warns_that_its_duration_and_end_date_disagree(demo):
    niort = demo["niort-2021"]
    assert niort.effective_date == D(2021, 10, 12)
    assert niort.initial_end_date == D(2023, 12, 31)
    assert niort.term_disagreement == (
        "La durée écrite (3 ans à compter du 12/10/2021, soit jusqu'au 11/10/2024) ne "
        "correspond pas à la date de fin écrite (31/12/2023). C'est la date de fin écrite qui "
        "est retenue pour les échéances."
    )


def test_niort_reporting_schedule_is_the_one_of_article_11(demo):
    rules = {(r.kind, r.period): r for r in demo["niort-2021"].reporting_rules.all()}
    assert len(rules) == 5
    quarterly = [rules[(ReportKind.QUARTERLY_BILAN, q)] for q in ("Q1", "Q2", "Q3")]
    assert [r.due_date(2022) for r in quarterly] == [
        D(2022, 4, 15),
        D(2022, 7, 15),
        D(2022, 10, 15),
    ]
    assert {r.recipients for r in quarterly} == {"Secrétariat de la DDSP"}
    annual = rules[(ReportKind.ANNUAL_BILAN, ReportPeriod.YEAR)]
    assert annual.due_date(2022) == D(2023, 1, 7)
    assert annual.recipients.endswith(
        "Monsieur le Préfet (service des sécurités), le DDSP et Monsieur le Maire de la "
        "commune de Niort"
    )
    review = rules[(ReportKind.REVIEW_MEETING, ReportPeriod.YEAR)]
    assert review.due_date(2022) == D(2023, 3, 31)
    assert review.recipients == "en présence du DDSP"


def test_niort_keeps_its_first_contact_delay_relay_and_annex(demo):
    niort = demo["niort-2021"]
    assert niort.first_contact_hours == 72
    assert niort.relay_organisation.short_name == "CCAS de Niort"
    # Article 4 annexes a job description whose text the seed does not give: none is
    # invented.
    assert [(a.title, a.body) for a in niort.annexes.all()] == [("Fiche de poste", "")]
    assert niort.agreement_heading == "IL A ÉTÉ CONVENU CE QUI SUIT"


# Ermont ----------------------------------------------------------------------


def test_ermont_has_its_preamble_and_nine_articles(demo):
    ermont = demo["ermont-2022"]
    assert ermont.preamble.startswith(
        "Dans le cadre de ses missions de sécurité publique, le commissariat de police d’Ermont"
    )
    assert len(ermont.preamble.splitlines()) == 3
    assert [a.title for a in ermont.articles.all()] == ERMONT_ARTICLE_TITLES
    assert not ermont.references.all()


def test_ermont_article_2_has_three_axes_and_its_footnote(demo):
    body = next(a.body for a in demo["ermont-2022"].articles.all() if a.number == 2)
    axes = [line for line in body.splitlines() if line[:3] in ("1. ", "2. ", "3. ")]
    assert [a.split(" :")[0] for a in axes] == [
        "1. rôle d'accueil des personnes en situation de détresse sociale",
        "2. rôle d'orientation et de conseil",
        "3. rôle de relais vers les partenaires (accès au droit, police, gendarmerie, justice, "
        "services sociaux, sanitaires…)",
    ]
    assert "prise en charge globale[^Cf. fiche de poste]." in body
    assert "accueillir et orienter les auteurs présumés" in body


def test_ermont_parties_use_their_written_representation(demo):
    ermont = demo["ermont-2022"]
    assert [(p.designation, p.representation) for p in ermont.parties.all()] == [
        ("L’État", "représenté par Monsieur le Préfet du Val-d’Oise"),
        (
            "La police nationale",
            "représentée par Monsieur le Directeur Départemental de la Sécurité Publique du "
            "Val-d’Oise",
        ),
        ("Le Conseil départemental du Val-d’Oise", "représenté par sa Présidente"),
        ("La Communauté d’Agglomération Val Parisis", "représentée par son Président"),
    ]
    assert ermont.agreement_heading == ""


def test_ermont_follow_up_committee_has_the_four_members_of_article_8(demo):
    members = [
        (m.organisation.short_name, m.member) for m in demo["ermont-2022"].committee_members.all()
    ]
    assert members == [
        ("Préfecture 95", "Monsieur le Préfet ou son représentant"),
        (
            "Département du Val-d'Oise",
            "Madame la Présidente du Conseil départemental ou son représentant",
        ),
        (
            "DDSP 95",
            "Monsieur le directeur départemental de la sécurité publique ou son représentant",
        ),
        (
            "Val Parisis",
            "Monsieur le Président de la Communauté d’agglomération Val Parisis ou son "
            "représentant",
        ),
    ]


def test_ermont_annual_bilan_goes_to_the_committee_without_a_due_date(demo):
    (rule,) = demo["ermont-2022"].reporting_rules.all()
    assert (rule.kind, rule.period, rule.recipients) == (
        ReportKind.ANNUAL_BILAN,
        ReportPeriod.YEAR,
        "Comité de suivi",
    )
    assert rule.due_date(2023) is None


# Loader ----------------------------------------------------------------------

SEED_MODELS = [
    Party,
    AssociatedPartner,
    LegalReference,
    Article,
    Annex,
    ReportingRule,
    CommitteeMember,
]


def test_loading_the_demo_twice_keeps_every_count(demo):
    def counts():
        # The seed conventions only: the demo's model convention copies their texts.
        seeds = {"convention__reference__in": ["niort-2021", "ermont-2022"]}
        return {m.__name__: m.objects.filter(**seeds).count() for m in SEED_MODELS}

    before = counts()
    call_command("load_demo", stdout=io.StringIO())
    after = counts()
    assert before == after
    assert before == {
        "Party": 8,
        "AssociatedPartner": 1,
        "LegalReference": 6,
        "Article": 21,
        "Annex": 1,
        "ReportingRule": 6,
        "CommitteeMember": 4,
    }


def test_loading_the_demo_again_removes_rows_the_seed_does_not_have(demo):
    niort = demo["niort-2021"]
    Article.objects.create(convention=niort, number=13, title="Ajout", body="Texte")
    LegalReference.objects.create(convention=niort, kind=ReferenceKind.VU, text="x", order=7)
    call_command("load_demo", stdout=io.StringIO())
    assert niort.articles.count() == 12
    assert niort.references.count() == 6


def test_the_seed_text_files_parse_into_articles_and_references():
    niort, ermont = read_text("niort-2021"), read_text("ermont-2022")
    assert (len(niort.references), len(niort.articles), niort.preamble) == (6, 12, "")
    assert (len(ermont.references), len(ermont.articles)) == (0, 9)
