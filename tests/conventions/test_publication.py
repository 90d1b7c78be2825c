"""Publication of deliberations on the site (issue #22, item 3): « Publier » and « Retirer
la publication » on the deliberation page, the public page of an organisation, the public
extract with its publication date and address, the withdrawal kept, the SCDL files."""

import csv
import datetime
import html
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from config.core.formats import NBSP
from config.core.idempotency import SUBMISSION_FIELD, new_token
from conventions.enums import DeliberationResult
from conventions.models import Deliberation, DeliberationPublication
from partners.enums import Role
from tests.conventions.factories import DecisionFactory, DeliberationFactory, sitting

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return html.unescape(response.content.decode()).replace(NBSP, " ")


def pdf_text(content: bytes) -> str:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture
def world(two_departements):
    """An adopted deliberation of the 79 commune (the vote adds up), approving its convention."""
    commune = two_departements["79"]["convention"].parties.get(organisation__name="Commune 79")
    deliberation = DeliberationFactory(
        council__organisation=commune.organisation,
        conventions=[two_departements["79"]["convention"]],
        matter_code="7.5",
        matter_name="Subventions",
    )
    sitting(deliberation, present=9, represented=1, excused=1)
    DecisionFactory(deliberation=deliberation)
    deliberation.refresh_from_db()
    agent = two_departements["79"]["users"][Role.LOCAL_AUTHORITY]
    return {
        **two_departements,
        "deliberation": deliberation,
        "commune": commune.organisation,
        "agent": agent,
    }


def publish(client, deliberation, *, token=None, version=None):
    deliberation.refresh_from_db()
    return client.post(
        reverse("conventions:deliberation_publish", args=[deliberation.pk]),
        {
            "version": deliberation.version if version is None else version,
            SUBMISSION_FIELD: token or new_token(),
        },
    )


def withdraw(client, deliberation, reason="Extrait publié par erreur, une page manquait."):
    deliberation.refresh_from_db()
    return client.post(
        reverse("conventions:deliberation_withdraw", args=[deliberation.pk]),
        {"version": deliberation.version, "reason": reason, SUBMISSION_FIELD: new_token()},
    )


def public_list_url(organisation):
    return reverse("public:organisation_deliberations", args=[organisation.pk])


# Publishing ------------------------------------------------------------------------------


def test_publishing_puts_the_extract_online_with_its_date_and_address(client, world):
    client.force_login(world["agent"])
    response = publish(client, world["deliberation"])
    assert response.status_code == 302
    publication = DeliberationPublication.objects.get()
    deliberation = Deliberation.objects.get(pk=world["deliberation"].pk)
    today = timezone.localdate()
    assert deliberation.published_on == today
    assert deliberation.publication_url == publication.public_url
    assert str(publication.public_id) in publication.public_url
    assert str(deliberation.pk) not in publication.get_absolute_url().split("/")

    client.logout()
    response = client.get(publication.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert f"Publié le {today.day}" in text
    assert publication.public_url in text.replace(" ", "")


def test_a_double_click_on_publier_publishes_once(client, world):
    client.force_login(world["agent"])
    token = new_token()
    deliberation = world["deliberation"]
    version = Deliberation.objects.get(pk=deliberation.pk).version
    first = publish(client, deliberation, token=token, version=version)
    second = publish(client, deliberation, token=token, version=version)
    assert first.status_code == second.status_code == 302
    assert DeliberationPublication.objects.count() == 1


def test_a_page_shown_before_a_change_cannot_publish(client, world):
    client.force_login(world["agent"])
    deliberation = world["deliberation"]
    stale = Deliberation.objects.get(pk=deliberation.pk).version
    Deliberation.objects.filter(pk=deliberation.pk).update(version=stale + 1)
    response = publish(client, deliberation, version=stale)
    assert response.status_code == 400
    assert "Quelqu'un d'autre a enregistré cette délibération" in page(response)
    assert not DeliberationPublication.objects.exists()


def test_a_deliberation_whose_vote_does_not_add_up_is_not_published(client, world):
    deliberation = world["deliberation"]
    Deliberation.objects.filter(pk=deliberation.pk).update(votes_for=3, votes_against=5)
    client.force_login(world["agent"])
    response = publish(client, deliberation)
    assert response.status_code == 400
    content = page(response)
    assert "Le résultat enregistré (adoptée) ne correspond pas aux votes" in content
    assert "Le vote ou la feuille de présence n'est pas conforme" in content
    assert not DeliberationPublication.objects.exists()


def test_a_deliberation_without_a_vote_is_not_published(client, world):
    deliberation = world["deliberation"]
    Deliberation.objects.filter(pk=deliberation.pk).update(votes_for=None, result="")
    client.force_login(world["agent"])
    response = publish(client, deliberation)
    assert response.status_code == 400
    assert "Le vote n'est pas saisi : seule une délibération adoptée se publie." in page(response)


def test_a_rejected_deliberation_is_not_published(client, world):
    deliberation = world["deliberation"]
    Deliberation.objects.filter(pk=deliberation.pk).update(
        votes_for=0, votes_against=10, result=DeliberationResult.REJECTED
    )
    client.force_login(world["agent"])
    response = publish(client, deliberation)
    assert response.status_code == 400
    assert "le résultat enregistré est « rejetée »" in page(response)


def test_a_deliberation_recorded_as_published_elsewhere_is_not_published_again(client, world):
    deliberation = world["deliberation"]
    Deliberation.objects.filter(pk=deliberation.pk).update(
        published_on=datetime.date(2024, 3, 25), publication_url="https://niort.fr/actes/313.pdf"
    )
    client.force_login(world["agent"])
    response = publish(client, deliberation)
    assert response.status_code == 400
    assert (
        "enregistrée comme déjà publiée le 25 mars 2024 sur https://niort.fr/actes/313.pdf"
        in page(response)
    )


def test_a_deliberation_only_cited_cannot_be_published(client, world):
    cited = DeliberationFactory(reference=True, conventions=[world["79"]["convention"]])
    client.force_login(world["agent"])
    response = publish(client, cited)
    assert response.status_code == 400
    assert "Une délibération seulement citée ne se publie pas ici" in page(response)


def test_only_who_may_edit_the_deliberation_publishes(client, world):
    client.force_login(world["79"]["users"][Role.READ_ONLY_PARTNER])
    assert publish(client, world["deliberation"]).status_code == 403
    client.force_login(world["95"]["users"][Role.LOCAL_AUTHORITY])
    assert publish(client, world["deliberation"]).status_code == 404
    assert not DeliberationPublication.objects.exists()


def test_publishing_is_a_post(client, world):
    client.force_login(world["agent"])
    url = reverse("conventions:deliberation_publish", args=[world["deliberation"].pk])
    assert client.get(url).status_code == 405


def test_the_detail_page_offers_publier_to_its_editor_only(client, world):
    url = reverse("conventions:deliberation_detail", args=[world["deliberation"].pk])
    client.force_login(world["agent"])
    assert ">Publier</button>" in page(client.get(url))
    client.force_login(world["79"]["users"][Role.READ_ONLY_PARTNER])
    assert ">Publier</button>" not in page(client.get(url))


def test_the_published_dates_cannot_be_typed_over_in_the_form(client, world):
    client.force_login(world["agent"])
    publish(client, world["deliberation"])
    response = client.get(reverse("conventions:deliberation_edit", args=[world["deliberation"].pk]))
    assert "Publiée sur ce site : la date et l'adresse sont celles de la publication." in page(
        response
    )


# Withdrawing -----------------------------------------------------------------------------


def test_a_withdrawal_is_recorded_and_the_address_answers_gone(client, world):
    client.force_login(world["agent"])
    publish(client, world["deliberation"])
    response = withdraw(client, world["deliberation"])
    assert response.status_code == 302
    publication = DeliberationPublication.objects.get()
    assert publication.withdrawn_at is not None
    assert publication.withdrawn_by == world["agent"]
    assert publication.withdrawal_reason == "Extrait publié par erreur, une page manquait."
    deliberation = Deliberation.objects.get(pk=world["deliberation"].pk)
    assert deliberation.published_on is None and deliberation.publication_url == ""

    detail = page(client.get(deliberation.get_absolute_url()))
    assert "Extrait publié par erreur, une page manquait." in detail

    client.logout()
    gone = client.get(publication.get_absolute_url())
    assert gone.status_code == 410
    content = page(gone)
    assert f"retirée de la publication le {timezone.localdate().day}" in content
    # The reason an agent typed stays behind the login.
    assert "une page manquait" not in content


def test_a_withdrawal_needs_a_reason(client, world):
    client.force_login(world["agent"])
    publish(client, world["deliberation"])
    response = withdraw(client, world["deliberation"], reason="   ")
    assert response.status_code == 400
    assert "Indiquez le motif du retrait." in page(response)
    assert DeliberationPublication.objects.current().count() == 1


def test_a_deliberation_published_again_keeps_its_withdrawn_publication(client, world):
    client.force_login(world["agent"])
    publish(client, world["deliberation"])
    withdraw(client, world["deliberation"])
    assert publish(client, world["deliberation"]).status_code == 302
    first, second = DeliberationPublication.objects.order_by("published_at")
    assert first.withdrawn_at is not None and second.is_current
    client.logout()
    gone = page(client.get(first.get_absolute_url()))
    assert second.get_absolute_url() in gone


# Public pages ----------------------------------------------------------------------------


def test_the_public_page_lists_only_the_deliberations_online(client, world):
    client.force_login(world["agent"])
    publish(client, world["deliberation"])
    other = DeliberationFactory(council=world["deliberation"].council, number="D-2024-999")
    client.logout()
    response = client.get(public_list_url(world["commune"]))
    assert response.status_code == 200
    content = page(response)
    assert world["deliberation"].number in content
    assert other.number not in content
    assert "18 mars 2024" in content
    # The public layout: no logged-in navigation.
    assert 'id="navigation"' not in content


def test_the_public_page_is_the_same_for_a_logged_in_reader(client, world):
    client.force_login(world["agent"])
    response = client.get(public_list_url(world["commune"]))
    assert response.status_code == 200
    assert 'id="navigation"' not in page(response)


def test_an_unknown_public_address_is_not_found(client, world):
    assert client.get(public_list_url(world["79"]["post"].employer)).status_code == 404
    url = reverse("public:deliberation_pdf", args=["6f1c1f3e-4a35-4a43-9a59-3d1d2a4c6f00"])
    assert client.get(url).status_code == 404


def test_the_public_page_query_count_does_not_grow_with_the_publications(
    client, world, django_assert_num_queries
):
    client.force_login(world["agent"])
    publish(client, world["deliberation"])
    url = public_list_url(world["commune"])
    client.logout()
    # 1 savepoint (ATOMIC_REQUESTS), 2 the organisation, 3 its current publications with
    # their deliberations, 4 release savepoint. Anonymous: no session, no user.
    with django_assert_num_queries(4):
        client.get(url)
    client.force_login(world["agent"])
    for year in (2019, 2021, 2022):
        more = DeliberationFactory(
            council__organisation=world["commune"], council__term_start_year=year
        )
        sitting(more, present=9, represented=1, excused=1)
        publish(client, more)
    client.logout()
    with django_assert_num_queries(4):
        response = client.get(url)
    assert page(response).count("(PDF)</a>") == 4


# SCDL ------------------------------------------------------------------------------------


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_public_scdl_file_holds_only_published_deliberations_with_their_address(client, world):
    DeliberationFactory(
        council=world["deliberation"].council,
        number="D-2024-998",
        matter_code="7.5",
        matter_name="Subventions",
        result=DeliberationResult.ADOPTED,
    )
    client.force_login(world["agent"])
    publish(client, world["deliberation"])
    publication = DeliberationPublication.objects.get()
    client.logout()
    response = client.get(reverse("public:deliberations_csv", args=[world["commune"].pk]))
    assert response.status_code == 200
    (row,) = rows(response)
    assert row["DELIB_ID"] == world["deliberation"].number
    assert row["DELIB_URL"] == publication.public_url


def test_the_logged_in_export_points_to_the_public_extract_or_to_nothing(client, world):
    client.force_login(world["agent"])
    unpublished = rows(client.get(reverse("conventions:opendata_deliberations_csv")))
    assert [r["DELIB_URL"] for r in unpublished] == [""]
    publish(client, world["deliberation"])
    published = rows(client.get(reverse("conventions:opendata_deliberations_csv")))
    assert published[0]["DELIB_URL"] == DeliberationPublication.objects.get().public_url


def test_the_public_subsidies_file_holds_no_more_than_the_logged_in_one(client, world):
    url = reverse("public:subsidies_csv", args=[world["commune"].pk])
    public = client.get(url)
    client.force_login(world["agent"])
    logged_in = client.get(reverse("conventions:opendata_subsidies_csv"))
    assert public.status_code == logged_in.status_code
    if public.status_code == 200:
        assert public.content == logged_in.content


def test_the_open_data_page_gives_the_addresses_for_the_portal(client, world):
    client.force_login(world["agent"])
    content = page(client.get(reverse("conventions:opendata")))
    assert "Adresse à donner au portail" in content
    assert reverse("public:deliberations_csv", args=[world["commune"].pk]) in content
    assert reverse("public:subsidies_csv", args=[world["commune"].pk]) in content
