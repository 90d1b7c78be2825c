"""The convention PDFs read like the original documents (text read back with pypdf)."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from config.core import documents as convention_pdf
from config.core.documents import PdfRenderError, image_data_uri, static_url_fetcher
from conventions.agreements.documents import render_amendment_pdf, render_convention_pdf
from conventions.agreements.texts import party_clause
from conventions.models import CommitteeMember, Convention
from partners.enums import Role
from tests.conventions.factories import (
    AmendmentFactory,
    AnnexFactory,
    ArticleChangeFactory,
    ArticleFactory,
    AssociatedPartnerFactory,
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
    PostCostFactory,
    PostFactory,
)
from tests.conventions.pdftext import (
    ERMONT_SEED,
    NIORT_SEED,
    body_text,
    drawn_images,
    flat,
    pdf_pages,
    seed_text,
    similarity,
    text_runs,
)
from tests.images import JPEG_LOGO, PNG_LOGO
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())
    return {c.reference: c for c in Convention.objects.for_detail()}


def client_for(client, user):
    client.force_login(user)
    return client


# Fidelity --------------------------------------------------------------------


def test_the_niort_pdf_reads_like_the_seed_convention(demo):
    seed = seed_text(NIORT_SEED)
    # The seed starts with the council deliberation; the convention follows it.
    seed = seed[seed.index("CONVENTION TRIENNALE DE PARTENARIAT") :]
    # 0.985 with its parties, footnotes and no invented annex (0.95 is the floor).
    assert similarity(seed, render_convention_pdf(demo["niort-2021"])) >= 0.98


def test_the_ermont_pdf_reads_like_the_seed_convention(demo):
    seed = seed_text(ERMONT_SEED)
    # 0.994 with its own parties block, signature grid and footnote.
    assert similarity(seed, render_convention_pdf(demo["ermont-2022"])) >= 0.98


def test_the_niort_parties_are_written_out_with_representative_and_domicile(demo):
    text = flat(render_convention_pdf(demo["niort-2021"]))
    assert (
        "La Commune de Niort, représentée par M. Jérôme BALOGE, Maire, dûment habilité par "
        "délibération du conseil municipal du 20 septembre 2021 ayant élu domicile à la Mairie "
        "de Niort - 1 Place Martin Bastard - 79000 NIORT"
    ) in text
    assert "D’une part," in text and "D’autre part." in text
    assert "peut être associé de façon partenariale." in text


def test_the_signature_block_gives_place_date_titles_and_names(demo):
    text = flat(render_convention_pdf(demo["niort-2021"]))
    assert "Fait à Niort, le 12 octobre 2021" in text
    assert "Le Président de l’Association France Victimes 79," in text
    assert "Jean-Marc BESNARD" in text


def test_the_ermont_parties_read_entre_then_et_as_in_the_original(demo):
    text = flat(render_convention_pdf(demo["ermont-2022"]))
    assert (
        "Entre L’État, représenté par Monsieur le Préfet du Val-d’Oise La police nationale, "
        "représentée par Monsieur le Directeur Départemental de la Sécurité Publique du "
        "Val-d’Oise Et Le Conseil départemental du Val-d’Oise, représenté par sa Présidente "
        "La Communauté d’Agglomération Val Parisis, représentée par son Président Préambule"
    ) in text
    assert "part," not in text and "part." not in text


def test_the_ermont_signature_grid_is_the_originals(demo):
    data = render_convention_pdf(demo["ermont-2022"])
    text = flat(data)
    signatures = text[text.index("Fait à Cergy-Pontoise") :]
    titles = [
        "Le Préfet du Val d’Oise",
        "La Présidente du Conseil Départemental",
        "Le Directeur Départemental de la Sécurité Publique",
        "Le Président de La Communauté d’Agglomération Val Parisis",
    ]
    assert [signatures.index(t) for t in titles] == sorted(signatures.index(t) for t in titles)
    # Where a reader sees them: the Préfet above the DDSP on the left, the Présidente
    # above the Président on the right.
    runs = {text: (x, y) for x, y, text in text_runs(data, -1)}
    prefet, presidente = runs["Le Préfet du Val d’Oise"], runs["La Présidente du Conseil"]
    ddsp, president = (
        runs["Le Directeur Départemental de la"],
        runs["Le Président de La Communauté"],
    )
    middle = 595 / 2  # A4, in points
    assert prefet[0] < middle and ddsp[0] < middle
    assert presidente[0] > middle and president[0] > middle
    assert prefet[1] < ddsp[1] and presidente[1] < president[1]


def spaced_pages(data):
    """Each page's text with runs of spaces and line ends as one space (justified lines
    come back with several), the non-breaking spaces kept."""
    return [re.sub(r"[ \n]+", " ", page) for page in pdf_pages(data)]


def test_the_niort_footnotes_are_called_where_the_original_has_them_with_their_notes(demo):
    pages = spaced_pages(render_convention_pdf(demo["niort-2021"]))
    state = next(page for page in pages if "sécurité de l’État1. Il propose" in page)
    assert "1\xa0Texte de la note absent de la copie de l’original." in state
    overall = next(page for page in pages if "prise en charge globale2." in page)
    assert "2\xa0Cf. fiche de poste" in overall
    # At the foot of the page: after the body text, before the running header.
    assert overall.index("2\xa0Cf. fiche de poste") > overall.index("globale2.")


def test_the_ermont_footnote_is_at_the_foot_of_its_page(demo):
    pages = spaced_pages(render_convention_pdf(demo["ermont-2022"]))
    page = next(page for page in pages if "prise en charge globale1." in page)
    assert "1\xa0Cf. fiche de poste" in page
    assert "(Cf. fiche de poste)" not in "".join(pages)


def test_a_footnote_is_typed_text_never_html(demo):
    niort = demo["niort-2021"]
    ArticleFactory(convention=niort, number=13, body="Voir la note[^<b>gras</b> & co].")
    text = body_text(render_convention_pdf(Convention.objects.for_detail().get(pk=niort.pk)))
    assert "Voir la note3." in text
    assert "3\xa0<b>gras</b> & co" in text


def test_a_convention_without_annexes_prints_no_annex_page(demo):
    pages = pdf_pages(render_convention_pdf(demo["ermont-2022"]))
    assert "Fait à Cergy-Pontoise" in pages[-1]
    assert not any("Annexe" in page for page in pages)


def test_an_annex_without_its_text_prints_no_page_and_no_placeholder(demo):
    # Niort's job description is annexed (article 4) but its text is not recorded.
    pages = pdf_pages(render_convention_pdf(demo["niort-2021"]))
    assert "Fait à Niort" in pages[-1]
    assert not any("Annexe" in page for page in pages)


def test_an_annex_with_its_text_is_printed_on_its_own_page_with_its_number(demo):
    niort = demo["niort-2021"]
    AnnexFactory(convention=niort, order=2, title="Budget", body="Coût du poste : 40 000 €.")
    pages = pdf_pages(render_convention_pdf(Convention.objects.for_detail().get(pk=niort.pk)))
    assert "Annexe 2 : Budget" in pages[-1] and "Coût du poste" in pages[-1]
    assert "Fait à Niort" in pages[-2]


def test_a_new_convention_prints_the_common_french_parties_block():
    convention = ConventionFactory()
    for side, name in [("first", "A"), ("first", "B"), ("second", "C"), ("second", "D")]:
        PartyFactory(convention=convention, side=side, designation=f"La Partie {name}")
    convention = Convention.objects.for_detail().get(pk=convention.pk)
    text = flat(render_convention_pdf(convention))
    assert re.search(
        r"ENTRE La Partie A, .*? ET La Partie B, .*? D’une part, ET La Partie C, .*? "
        r"ET La Partie D, .*? D’autre part\.",
        text,
    )


def test_parties_without_a_cell_sign_two_by_row_after_the_placed_ones():
    convention = ConventionFactory()
    for name, row, column in [("A", None, None), ("B", 1, 2), ("C", None, None)]:
        PartyFactory(
            convention=convention,
            designation=f"La Partie {name}",
            signatory_title=f"Signataire {name}",
            signature_row=row,
            signature_column=column,
        )
    data = render_convention_pdf(Convention.objects.for_detail().get(pk=convention.pk))
    runs = {text: (x, y) for x, y, text in text_runs(data, -1)}
    a, b, c = runs["Signataire A"], runs["Signataire B"], runs["Signataire C"]
    # B alone on the first row, on the right; A then C on the next row.
    assert b[0] > 595 / 2 and b[1] < a[1] == c[1] and a[0] < c[0]


def test_the_ermont_pdf_has_its_preamble_and_no_agreement_heading(demo):
    text = body_text(render_convention_pdf(demo["ermont-2022"]))
    assert "Préambule" in text
    assert "CONVENU CE QUI SUIT" not in text


# Pages, header, footer, metadata -----------------------------------------------


def test_every_page_is_numbered_and_carries_the_reference(demo):
    pages = pdf_pages(render_convention_pdf(demo["niort-2021"]))
    assert len(pages) > 1
    assert "page 1 / " in pages[0]
    for number, page in enumerate(pages, start=1):
        assert f"page {number} / {len(pages)}" in page
        assert "Réf. niort-2021" in page


def test_the_pdf_is_tagged_in_french_with_the_convention_title(demo):
    reader = PdfReader(io.BytesIO(render_convention_pdf(demo["ermont-2022"])))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr"
    assert root["/MarkInfo"]["/Marked"]
    assert reader.metadata.title == (
        "Convention triennale de partenariat relative au recrutement et au financement d’un "
        "intervenant social au sein du commissariat de police d'Ermont"
    )


def test_typed_text_is_printed_as_text_not_interpreted_as_html(demo):
    niort = demo["niort-2021"]
    ArticleFactory(convention=niort, number=13, title="<b>Gras</b>", body='<img src="x.png">')
    text = body_text(render_convention_pdf(Convention.objects.for_detail().get(pk=niort.pk)))
    assert "Article 13 : <b>Gras</b>" in text
    assert '<img src="x.png">' in text


# Amendments ------------------------------------------------------------------


def amended_niort(demo):
    amendment = AmendmentFactory(convention=demo["niort-2021"], number=1)
    ArticleChangeFactory(amendment=amendment, article_number=6)
    return Convention.objects.for_detail().get(reference="niort-2021")


def test_the_consolidated_text_integrates_the_amendment_and_says_so(demo):
    text = flat(render_convention_pdf(amended_niort(demo)))
    assert "Texte consolidé intégrant l’avenant n° 1" in text
    assert "à hauteur de 27 000 euros par an" in text
    assert "25 350 euros" not in text
    assert "(Rédaction issue de l’avenant n° 1 du 15 novembre 2022)" in text


def test_the_initial_text_ignores_the_amendment(demo):
    text = flat(render_convention_pdf(amended_niort(demo), consolidated=False))
    assert "Texte consolidé" not in text
    assert "25 350 euros" in text


def test_a_convention_without_amendment_has_no_consolidation_note(demo):
    assert "Texte consolidé" not in body_text(render_convention_pdf(demo["niort-2021"]))


def test_a_signed_convention_never_says_it_is_a_draft(demo):
    assert not any(
        "PROJET" in page for page in pdf_pages(render_convention_pdf(demo["niort-2021"]))
    )


def test_a_convention_not_signed_by_every_party_says_projet_on_every_page(demo):
    convention = demo["niort-2021"]
    convention.parties.filter(order=1).update(signed_on=None)
    pages = pdf_pages(render_convention_pdf(Convention.objects.for_detail().get(pk=convention.pk)))
    assert len(pages) > 1
    assert all("PROJET" in page for page in pages)


def test_an_amendment_not_yet_signed_says_projet_on_every_page(demo):
    convention = amended_niort(demo)
    convention.amendments.update(signed_on=None)
    convention = Convention.objects.for_detail().get(pk=convention.pk)
    (amendment,) = convention.amendments.all()
    assert all("PROJET" in page for page in pdf_pages(render_amendment_pdf(amendment)))


def test_an_amendment_is_rendered_as_its_own_document(demo):
    convention = amended_niort(demo)
    (amendment,) = convention.amendments.all()
    ArticleChangeFactory(amendment=amendment, delete=True, article_number=10)
    convention = Convention.objects.for_detail().get(pk=convention.pk)
    (amendment,) = convention.amendments.all()
    data = render_amendment_pdf(amendment)
    text = flat(data)
    assert "AVENANT N° 1" in text
    assert all("Réf. niort-2021" in page for page in pdf_pages(data))
    assert "L’article 6 de la convention est remplacé par les dispositions suivantes" in text
    assert "L’article 10 de la convention est supprimé." in text
    assert "Les autres stipulations de la convention demeurent inchangées." in text
    assert "Fait à Niort, le 15 novembre 2022" in text
    assert "La Commune de Niort, représentée par M. Jérôme BALOGE" in text


# Letterhead (partners.letterhead) --------------------------------------------


def figures(data: bytes) -> list[str]:
    """The alternative text of each figure of the tagged PDF, as a screen reader gets it."""
    found = []

    def visit(node):
        node = node.get_object()
        if not hasattr(node, "get"):
            return
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            if hasattr(kid, "get_object"):
                visit(kid)

    visit(PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture
def letterhead_convention(settings, tmp_path):
    """A convention whose first party, the préfecture, has a logo and an address block."""
    settings.MEDIA_ROOT = tmp_path / "media"
    convention = ConventionFactory()
    prefecture = OrganisationFactory(
        name="Préfecture des Deux-Sèvres",
        prefecture=True,
        letterhead=True,
        address_block="Cabinet du préfet\n4 rue Du Guesclin\n79099 Niort Cedex 9",
    )
    PartyFactory(convention=convention, organisation=prefecture, order=0)
    PartyFactory(convention=convention, organisation=OrganisationFactory(letterhead=True), order=1)
    return Convention.objects.for_detail().get(pk=convention.pk)


def test_the_first_partys_letterhead_is_printed_at_the_top_of_the_first_page(
    letterhead_convention,
):
    data = render_convention_pdf(letterhead_convention)
    pages = PdfReader(io.BytesIO(data)).pages
    (logo,) = pages[0].images
    assert logo.image.size == (240, 90)
    assert (
        pages[0]
        .extract_text()
        .startswith("Cabinet du préfet\n4 rue Du Guesclin\n79099 Niort Cedex 9")
    )
    # Only the first party's, and on the first page only.
    assert len(pages) == 1 or not any(page.images for page in pages[1:])
    assert figures(data) == ["Préfecture des Deux-Sèvres"]


def test_a_jpeg_logo_is_printed_too(letterhead_convention):
    first = letterhead_convention.parties.get(order=0).organisation
    first.logo.save("logo.jpg", io.BytesIO(JPEG_LOGO))
    convention = Convention.objects.for_detail().get(pk=letterhead_convention.pk)
    assert drawn_images(render_convention_pdf(convention))[0] == [(240, 90)]


def test_an_amendment_carries_the_letterhead_of_its_conventions_first_party(
    letterhead_convention,
):
    AmendmentFactory(convention=letterhead_convention)
    convention = Convention.objects.for_detail().get(pk=letterhead_convention.pk)
    (amendment,) = convention.amendments.all()
    data = render_amendment_pdf(amendment)
    assert drawn_images(data)[0] == [(240, 90)]
    assert "Cabinet du préfet" in pdf_pages(data)[0]


def test_a_first_party_without_letterhead_gives_way_to_the_next_party_that_has_one(
    settings, tmp_path
):
    # Niort: the State is written first and sets no letterhead; the commune drafted the
    # text and its letterhead heads it.
    settings.MEDIA_ROOT = tmp_path / "media"
    convention = ConventionFactory()
    PartyFactory(convention=convention, organisation=OrganisationFactory(), order=0)
    commune = OrganisationFactory(address_block="Hôtel de Ville\n79000 Niort")
    PartyFactory(convention=convention, organisation=commune, order=1)
    PartyFactory(convention=convention, organisation=OrganisationFactory(letterhead=True), order=2)
    convention = Convention.objects.for_detail().get(pk=convention.pk)
    first_page = pdf_pages(render_convention_pdf(convention))[0]
    assert first_page.startswith("Hôtel de Ville\n79000 Niort")
    assert not any(drawn_images(render_convention_pdf(convention)))


def test_without_a_letterhead_the_first_page_has_no_image_and_starts_with_the_title():
    convention = Convention.objects.for_detail().get(pk=ConventionFactory().pk)
    data = render_convention_pdf(convention)
    assert not any(drawn_images(data))
    assert figures(data) == []


# Views -----------------------------------------------------------------------


def test_the_view_returns_the_pdf_named_after_the_reference(client, demo):
    client_for(client, UserFactory(admin=True))
    response = client.get(reverse("conventions:convention_pdf", args=["niort-2021"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="convention-niort-2021.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_the_view_gives_the_initial_text_on_request(client, demo):
    amended_niort(demo)
    client_for(client, UserFactory(admin=True))
    response = client.get(
        reverse("conventions:convention_pdf", args=["niort-2021"]), {"texte": "initial"}
    )
    assert response["Content-Disposition"].endswith('filename="convention-niort-2021-initiale.pdf"')
    assert "Texte consolidé" not in body_text(response.content)


def add_committee_member(convention):
    organisation = convention.parties.first().organisation
    CommitteeMember.objects.create(convention=convention, organisation=organisation, member="M.")


def test_the_pdf_view_runs_a_fixed_number_of_queries(
    client, two_departements, django_assert_num_queries
):
    convention = two_departements["79"]["convention"]
    ArticleChangeFactory(amendment__convention=convention)
    AssociatedPartnerFactory(convention=convention)
    add_committee_member(convention)
    client_for(client, two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:convention_pdf", args=[convention.reference])
    # session, user, SAVEPOINT (ATOMIC_REQUESTS), the user's organisation (scope), the
    # scoped convention, then one query per prefetched relation: its sections with their
    # posts (the posts it covers), parties, their organisations, their representatives, associated
    # partners and their organisations, references, articles, annexes, amendments
    # and their article, contribution and party changes and the contributions they add
    # (what each one changes),
    # renewals, reporting rules, committee members and their organisations, post
    # holders, post sites with their authorities, renewing conventions and their parties,
    # linked deliberations; the stored layout of this content looked up (none: a new
    # content), then kept (SAVEPOINT, INSERT, RELEASE); RELEASE SAVEPOINT.
    with django_assert_num_queries(32):
        assert client.get(url).status_code == 200
    for number in range(1, 6):
        ArticleFactory(convention=convention, number=number)
    ArticleChangeFactory(amendment__convention=convention)
    AssociatedPartnerFactory(convention=convention)
    PartyFactory(convention=convention)
    add_committee_member(convention)
    with django_assert_num_queries(32):
        assert client.get(url).status_code == 200
    # The same content again: read from its stored layout, nothing kept.
    with django_assert_num_queries(29):
        assert client.get(url).status_code == 200


def framework_with_funding(posts):
    """A framework convention covering ``posts``, each with a cost and two funders."""
    convention = ConventionFactory(post=None, posts=posts)
    state, departement = PartyFactory(convention=convention), PartyFactory(convention=convention)
    for post in posts:
        PostCostFactory(post=post, year=2021)
        PostCostFactory(post=post, year=2022)
        share = ContributionFactory(
            convention=convention,
            organisation=state.organisation,
            post=post,
            share_by_year=True,
            shares={2021: 80, 2022: 50, 2023: 30},
        )
        PaymentFactory(contribution=share)
        ContributionFactory(convention=convention, organisation=departement.organisation, post=post)
    return convention


def test_a_framework_pdf_reads_its_funding_in_one_query_per_relation(
    client, django_assert_num_queries
):
    """Each post's annex prints its funding plan (``post_annexes``)."""
    convention = framework_with_funding([PostFactory(), PostFactory()])
    client_for(client, UserFactory(admin=True))
    url = reverse("conventions:convention_pdf", args=[convention.reference])
    # The one-post PDF's queries above (28) less the organisation of a user without one,
    # the four queries under the amendments (there are none), the organisations of the
    # associated partners and of the committee members (none): 21; then the funding plan
    # of the posts' annexes: contributions with their organisations and beneficiaries,
    # their payments, their yearly shares, the posts' costs (4); the stored layout looked
    # up, then kept (4).
    with django_assert_num_queries(PINNED_FRAMEWORK_PDF):
        assert client.get(url).status_code == 200
    more = framework_with_funding([PostFactory(), PostFactory(), PostFactory()])
    url = reverse("conventions:convention_pdf", args=[more.reference])
    with django_assert_num_queries(PINNED_FRAMEWORK_PDF):
        assert client.get(url).status_code == 200


PINNED_FRAMEWORK_PDF = 21 + 4 + 4


def test_a_user_of_the_other_departement_gets_404(client, two_departements):
    convention = two_departements["79"]["convention"]
    client_for(client, two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    url = reverse("conventions:convention_pdf", args=[convention.reference])
    assert client.get(url).status_code == 404


def test_an_amendment_of_a_convention_out_of_scope_gets_404(client, two_departements):
    convention = two_departements["79"]["convention"]
    AmendmentFactory(convention=convention, number=1)
    client_for(client, two_departements["95"]["users"][Role.DDSP_SECRETARIAT])
    url = reverse("conventions:amendment_pdf", args=[convention.reference, 1])
    assert client.get(url).status_code == 404


def test_the_amendment_view_returns_the_amendment_pdf(client, two_departements):
    convention = two_departements["79"]["convention"]
    ArticleChangeFactory(amendment=AmendmentFactory(convention=convention, number=2))
    client_for(client, two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    response = client.get(reverse("conventions:amendment_pdf", args=[convention.reference, 2]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'inline; filename="convention-{convention.reference}-avenant-2.pdf"'
    )
    assert "AVENANT N° 2" in body_text(response.content)


def test_an_unknown_amendment_number_gets_404(client, two_departements):
    convention = two_departements["79"]["convention"]
    client_for(client, UserFactory(admin=True))
    url = reverse("conventions:amendment_pdf", args=[convention.reference, 9])
    assert client.get(url).status_code == 404


def test_a_failed_render_shows_a_french_page_and_is_logged(client, demo, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ValueError("police introuvable")

    monkeypatch.setattr(convention_pdf.HTML, "write_pdf", broken)
    client_for(client, UserFactory(admin=True))
    response = client.get(reverse("conventions:convention_pdf", args=["niort-2021"]))
    assert response.status_code == 503
    assert "Le document PDF n’a pas pu être produit" in response.content.decode()
    assert any(
        r.name == "config.core.documents" and r.levelname == "ERROR" and r.exc_info
        for r in caplog.records
    )


def test_the_render_error_is_raised_to_callers_outside_views(demo, monkeypatch):
    monkeypatch.setattr(convention_pdf.HTML, "write_pdf", lambda *a, **k: 1 / 0)
    with pytest.raises(PdfRenderError):
        render_convention_pdf(demo["ermont-2022"])


# Building blocks ---------------------------------------------------------------


def test_the_url_fetcher_reads_static_files_only():
    font = (convention_pdf.STATIC_DIR / "fonts" / "DejaVuSerif.ttf").as_uri()
    assert static_url_fetcher(font).read()[:4] == b"\x00\x01\x00\x00"
    for refused in (
        "https://example.com/font.ttf",
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/static/css/app.css",
        "data:text/css,body{}",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:image/png,not-base64",
        (convention_pdf.STATIC_DIR / ".." / "config" / "settings.py").as_uri(),
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            static_url_fetcher(refused)


def test_the_url_fetcher_serves_a_base64_png_or_jpeg_carried_by_the_document():
    for content_type, data in (("image/png", PNG_LOGO), ("image/jpeg", JPEG_LOGO)):
        response = static_url_fetcher(image_data_uri(content_type, data))
        assert response.read() == data
        assert response.headers["Content-Type"] == content_type
    with pytest.raises(ValueError):
        image_data_uri("image/svg+xml", b"<svg/>")


@pytest.mark.parametrize(
    ("designation", "expected"),
    [
        ("L’État", "L’État, représenté par M. Emmanuel AUBRY, Maire"),
        ("La Commune de Niort", "La Commune de Niort, représentée par M. Emmanuel AUBRY, Maire"),
        ("L’Association France Victimes 79", "L’Association France Victimes 79, représentée"),
        ("Le Conseil départemental", "Le Conseil départemental, représenté par"),
    ],
)
def test_represented_agrees_with_the_designation(designation, expected):
    party = PartyFactory(
        designation=designation,
        representative__civility="M.",
        representative__first_name="Emmanuel",
        representative__last_name="AUBRY",
    )
    assert party_clause(party).startswith(expected)


def test_a_representative_known_by_title_only_is_written_by_title():
    party = PartyFactory(
        designation="Le Conseil départemental",
        representative__civility="Mme",
        representative__first_name="",
        representative__last_name="",
        representative__title="Présidente du Conseil départemental",
        domicile="à l’Hôtel du Département",
    )
    assert party_clause(party) == (
        "Le Conseil départemental, représenté par Madame la Présidente du Conseil "
        "départemental, ayant élu domicile à l’Hôtel du Département"
    )


def test_the_pdf_embeds_the_fonts_shipped_in_static(demo):
    reader = PdfReader(io.BytesIO(render_convention_pdf(demo["ermont-2022"])))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts >= {"Convention-Serif", "Convention-Serif-Bold", "Convention-Sans"}


def test_anonymous_visitors_are_sent_to_the_login_page(client, demo):
    response = client.get(reverse("conventions:convention_pdf", args=["niort-2021"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
