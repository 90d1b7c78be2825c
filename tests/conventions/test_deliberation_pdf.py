"""The deliberation PDF reads like the extract of the register (text read back with pypdf)."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from config.core import documents as convention_pdf
from conventions.deliberations.documents import render_deliberation_pdf
from conventions.enums import DeliberationResult
from conventions.models import Convention, Deliberation
from partners.enums import Role
from tests.conventions.factories import DecisionFactory, DeliberationFactory, sitting
from tests.conventions.pdftext import (
    NIORT_SEED,
    drawn_images,
    flat,
    pdf_pages,
    seed_text,
    similarity,
)
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# The running header: "<organisation> – Extrait du registre des délibérations   Délibération n° …"
REGISTER_HEADER = re.compile(r"(Extrait du registre des délibérations|Délibération citée) ")


def register(number):
    return Deliberation.objects.for_register(Convention.objects.all()).get(number=number)


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def text_of(data: bytes) -> str:
    return flat(data, REGISTER_HEADER)


# Fidelity ----------------------------------------------------------------------------


def test_the_niort_deliberation_reads_like_the_seed_register(demo):
    seed = seed_text(NIORT_SEED)
    # The seed gives the deliberation first, then the convention it approves.
    seed = seed[: seed.index("CONVENTION TRIENNALE DE PARTENARIAT")]
    data = render_deliberation_pdf(register("D-2021-313"))
    assert similarity(seed, data, REGISTER_HEADER) >= 0.95


def test_the_session_lists_the_members_by_name_in_roster_order(demo):
    text = text_of(render_deliberation_pdf(register("D-2021-313")))
    assert "Président : MONSIEUR JÉRÔME BALOGE" in text
    assert (
        "Présents : Monsieur Jérôme BALOGE, Monsieur Dominique SIX, Madame Rose-Marie NIETO, "
        "Madame Christelle CHASSAGNE," in text
    )
    assert "Madame Elsa FORTAGE, Monsieur Yann JEZEQUEL." in text
    assert "Secrétaire de séance : Thibault HEBRARD" in text
    assert (
        "Excusés ayant donné pouvoir : Monsieur Michel PAILLEY, ayant donné pouvoir à Monsieur "
        "Jérôme BALOGE, Madame Jeanine BARBOTIN, ayant donné pouvoir à Monsieur Romain DUPEYROU,"
    ) in text
    assert "Excusés : Madame Fatima PEREIRA." in text


def test_the_act_gives_council_rapporteur_exposé_decisions_result_votes_and_signature(demo):
    text = text_of(render_deliberation_pdf(register("D-2021-313")))
    assert "CONSEIL MUNICIPAL DU 20 septembre 2021 Délibération n° D-2021-313" in text
    assert "Direction de Projet de Politique de la Ville" in text
    assert "Madame Valérie BELY-VOLLAND, Adjointe au Maire expose : Mesdames et Messieurs," in text
    assert "pour un montant annuel de 28 967 €" in text
    assert "autoriser Monsieur le Maire ou l’Adjointe déléguée à la signer ;" in text
    assert (
        "LE CONSEIL ADOPTE Pour : 44 Contre : 0 Abstention : 0 Non participé : 0 Excusé : 1"
    ) in text
    assert (
        "Pour le Maire de Niort, Jérôme BALOGE L'Adjointe déléguée Signé Valérie BELY-VOLLAND"
        in (text)
    )


def test_the_transmission_and_the_publication_are_mentioned_only_when_known(demo):
    assert "préfecture" not in text_of(render_deliberation_pdf(register("D-2021-313")))
    Deliberation.objects.filter(number="D-2021-313").update(
        transmitted_on=datetime.date(2021, 9, 24),
        actes_id="079-217901910-20210924-D2021313-DE",
        published_on=datetime.date(2021, 9, 27),
    )
    data = render_deliberation_pdf(register("D-2021-313"))
    text = text_of(data)
    assert (
        "Transmis en préfecture le 24 septembre 2021 (accusé de réception @ctes n° "
        "079-217901910-20210924-D2021313-DE)." in text
    )
    assert "Publié le 27 septembre 2021." in text
    # Enforceable once both are done (L2131-1): the later of the two dates.
    assert "Certifié exécutoire à compter du 27 septembre 2021." in text
    # The mentions stay on the page of the result and the signature.
    last_page = pdf_pages(data)[-1]
    assert "LE CONSEIL" in last_page and "Publié le 27 septembre 2021." in last_page


def test_a_rejected_deliberation_says_the_council_rejects(demo):
    Deliberation.objects.filter(number="D-2021-313").update(result=DeliberationResult.REJECTED)
    text = text_of(render_deliberation_pdf(register("D-2021-313")))
    assert "LE CONSEIL REJETTE" in text
    assert "ADOPTE" not in text


def test_absent_members_are_listed_and_counted(two_departements):
    deliberation = DeliberationFactory()
    members = sitting(deliberation, present=5, excused=1, absent=2)
    text = text_of(render_deliberation_pdf(register(deliberation.number)))
    assert f"Absents : {members[6].full_name}, {members[7].full_name}." in text
    assert "Excusé : 1 Absent : 2" in text


def test_typed_text_is_printed_as_text_not_interpreted_as_html(two_departements):
    deliberation = DeliberationFactory(object="<b>Objet</b>", report='<img src="x.png">')
    sitting(deliberation, present=3)
    DecisionFactory(deliberation=deliberation, text="<script>alert(1)</script>")
    text = text_of(render_deliberation_pdf(register(deliberation.number)))
    assert "<b>Objet</b>" in text
    assert '<img src="x.png">' in text
    assert "<script>alert(1)</script>" in text


def test_the_extract_prints_its_organisations_letterhead_on_the_first_page(
    two_departements, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    deliberation = DeliberationFactory(
        council__organisation=OrganisationFactory(
            letterhead=True, address_block="Hôtel de ville\nPlace Martin Bastard\n79000 Niort"
        )
    )
    sitting(deliberation, present=3)
    data = render_deliberation_pdf(register(deliberation.number))
    images = drawn_images(data)
    # The session on the first page under the letterhead, the act on the second.
    assert images == [[(240, 90)], []]
    assert "Hôtel de ville\nPlace Martin Bastard\n79000 Niort" in pdf_pages(data)[0]


def test_a_deliberation_only_cited_prints_no_letterhead_it_is_not_the_organisations_act(
    two_departements, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    deliberation = DeliberationFactory(
        reference=True,
        organisation=OrganisationFactory(letterhead=True, address_block="Hôtel du Département"),
    )
    data = render_deliberation_pdf(register(deliberation.number))
    assert not any(drawn_images(data))
    assert "Hôtel du Département" not in pdf_pages(data)[0]


# Pages, header, footer, metadata -------------------------------------------------------


def test_the_session_takes_the_first_page_and_the_act_the_second(demo):
    pages = pdf_pages(render_deliberation_pdf(register("D-2021-313")))
    assert len(pages) == 2
    assert pages[0].startswith("Délibération n° D-2021-313")
    assert pages[1].startswith("CONSEIL MUNICIPAL DU 20 septembre 2021")


def test_every_page_is_numbered_and_carries_the_number_in_its_header(demo):
    pages = pdf_pages(render_deliberation_pdf(register("D-2021-313")))
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert (
            "Commune de Niort – Extrait du registre des délibérations du conseil municipal "
            "Délibération n° D-2021-313" in page
        )


def test_the_pdf_is_tagged_in_french_with_the_number_and_object_as_title(demo):
    reader = PdfReader(io.BytesIO(render_deliberation_pdf(register("D-2021-313"))))
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert reader.metadata.title.startswith(
        "Délibération n° D-2021-313 – Poste d'intervenant social au Commissariat de police"
    )
    assert reader.metadata.author == "Commune de Niort"


def test_a_deliberation_only_cited_gives_a_one_page_notice(demo):
    data = render_deliberation_pdf(register("3-15"))
    pages = pdf_pages(data)
    text = text_of(data)
    assert len(pages) == 1
    assert "CONSEIL DÉPARTEMENTAL DU 15 novembre 2010 Délibération n° 3-15" in text
    assert "Délibération seulement citée par une convention." in text
    assert "n’est pas un extrait du registre" in text
    assert "(réf. ermont-2022)" in text
    assert "LE CONSEIL" not in text
    assert (
        "Conseil départemental du Val-d'Oise – Délibération citée Délibération n° 3-15"
        in (pages[0])
    )


# Views -------------------------------------------------------------------------------


def pdf_url(number):
    return reverse(
        "conventions:deliberation_pdf", args=[Deliberation.objects.get(number=number).pk]
    )


def test_the_view_returns_the_pdf_named_after_the_number(client, demo):
    client.force_login(UserFactory(admin=True))
    response = client.get(pdf_url("D-2021-313"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="deliberation-d-2021-313.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_the_detail_page_links_to_the_pdf(client, demo):
    client.force_login(UserFactory(admin=True))
    deliberation = Deliberation.objects.get(number="D-2021-313")
    response = client.get(reverse("conventions:deliberation_detail", args=[deliberation.pk]))
    assert f'href="{pdf_url("D-2021-313")}"' in response.content.decode()


def test_a_partner_of_the_convention_gets_the_pdf_of_its_deliberation(client, two_departements):
    deliberation = DeliberationFactory(conventions=[two_departements["79"]["convention"]])
    sitting(deliberation, present=3)
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert client.get(pdf_url(deliberation.number)).status_code == 200


def test_a_user_of_the_other_departement_gets_404(client, two_departements):
    deliberation = DeliberationFactory(conventions=[two_departements["79"]["convention"]])
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(pdf_url(deliberation.number)).status_code == 404


def test_the_pdf_view_runs_a_fixed_number_of_queries(
    client, two_departements, django_assert_num_queries
):
    deliberation = DeliberationFactory(conventions=[two_departements["79"]["convention"]])
    sitting(deliberation, present=5, represented=1, excused=1)
    DecisionFactory(deliberation=deliberation)
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    url = pdf_url(deliberation.number)
    # session, user, SAVEPOINT (ATOMIC_REQUESTS), the user's organisation (scope), the
    # scoped deliberation with its organisation, president and rapporteur,
    # then its secretaries, attendance with members and proxy holders, decisions, and
    # the conventions the reader sees among those it is linked to; RELEASE SAVEPOINT.
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    sitting(deliberation, present=20, represented=10, excused=5)
    DecisionFactory.create_batch(4, deliberation=deliberation)
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


def test_a_failed_render_shows_a_french_page_and_is_logged(client, demo, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ValueError("police introuvable")

    monkeypatch.setattr(convention_pdf.HTML, "write_pdf", broken)
    client.force_login(UserFactory(admin=True))
    response = client.get(pdf_url("D-2021-313"))
    assert response.status_code == 503
    assert "Le document PDF n’a pas pu être produit" in response.content.decode()
    assert any(r.name == "config.core.documents" and r.levelname == "ERROR" for r in caplog.records)


def test_the_bench_command_times_the_deliberation_too(demo):
    out = io.StringIO()
    call_command("bench_pdf", "--runs", "1", "--deliberation", "3-15", "ermont-2022", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["ermont-2022", "3-15"]
    assert all(" médiane " in line for line in lines)
