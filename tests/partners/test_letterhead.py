"""An organisation's letterhead (issue #22): its users upload a logo and type an address
block on the organisation's page; ``letterhead_for`` gives them to the documents."""

import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.enums import Role
from partners.letterhead import letterhead_for
from partners.models import Organisation
from partners.services import organisation_save
from tests.images import GIF_LOGO, JPEG_LOGO, PNG_LOGO, image_bytes
from tests.partners.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "Direction de la prévention\n1 place de la Mairie\n79000 Niort"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Commune de Niort", departement="79")


@pytest.fixture
def member(client, organisation):
    """A user of the organisation, who may edit it (a local authority of its département)."""
    client.force_login(UserFactory(organisation=organisation, role=Role.LOCAL_AUTHORITY))
    return client


def upload(data: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type)


def form_data(organisation, **changes):
    """The organisation's form as displayed, with ``changes``."""
    data = {
        "name": organisation.name,
        "short_name": organisation.short_name,
        "kind": organisation.kind,
        "kind_label": organisation.kind_label,
        "departement": organisation.departement,
        "premises": organisation.premises,
        "street": organisation.street,
        "postal_code": organisation.postal_code,
        "city": organisation.city,
        "siret": organisation.siret,
        "rna": organisation.rna,
        "phone": organisation.phone,
        "email": organisation.email,
        "address_block": organisation.address_block,
        "version": organisation.version,
    }
    return {**data, **changes}


def saved_values(organisation, **changes):
    """What organisation_save takes, as the form would give it."""
    values = form_data(organisation, **changes)
    del values["version"]
    return values


def edit(client, organisation, **changes):
    url = reverse("partners:edit", args=[organisation.pk])
    return client.post(url, form_data(organisation, **changes))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` × ``height`` pixels and holds almost none: what a
    decompression bomb looks like from its header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


# letterhead_for ----------------------------------------------------------------------


def test_an_organisation_without_logo_or_address_has_no_letterhead(organisation):
    assert letterhead_for(organisation) is None


def test_an_address_block_alone_is_a_letterhead_without_logo(organisation):
    organisation.address_block = "  Direction de la prévention \n\n79000 Niort\n"
    letterhead = letterhead_for(organisation)
    assert letterhead.organisation_name == "Commune de Niort"
    assert letterhead.logo is None
    assert letterhead.logo_content_type is None
    assert letterhead.address_lines == ("Direction de la prévention", "79000 Niort")


def test_the_letterhead_reads_the_logo_back_from_the_storage(organisation):
    organisation_save(
        organisation=organisation,
        **saved_values(organisation),
        logo=upload(PNG_LOGO),
        expected_version=organisation.version,
    )
    letterhead = letterhead_for(Organisation.objects.get(pk=organisation.pk))
    assert letterhead.logo == PNG_LOGO
    assert letterhead.logo_content_type == "image/png"
    assert letterhead.address_lines == ()


def test_a_logo_lost_by_the_storage_leaves_the_address_and_is_logged(caplog, media_root):
    organisation = OrganisationFactory(letterhead=True)
    (media_root / organisation.logo.name).unlink()
    letterhead = letterhead_for(organisation)
    assert letterhead.logo is None
    assert letterhead.address_lines == tuple(ADDRESS.splitlines())
    assert "Logo introuvable" in caplog.text


# Uploading on the organisation's page ---------------------------------------------------


def test_a_member_uploads_a_png_logo_and_an_address_block(member, organisation):
    response = edit(member, organisation, logo=upload(PNG_LOGO), address_block=ADDRESS)
    assert response.status_code == 302
    organisation.refresh_from_db()
    # A name of ours, unguessable, never the one sent.
    assert organisation.logo.name.startswith(f"organisations/{organisation.pk}/logo-")
    assert organisation.logo.name.endswith(".png")
    letterhead = letterhead_for(organisation)
    assert letterhead.logo == PNG_LOGO
    assert letterhead.address_lines == (
        "Direction de la prévention",
        "1 place de la Mairie",
        "79000 Niort",
    )


def test_a_jpeg_is_kept_as_a_jpeg_whatever_its_name(member, organisation):
    response = edit(member, organisation, logo=upload(JPEG_LOGO, "logo.png", "image/png"))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name.endswith(".jpg")
    assert letterhead_for(organisation).logo_content_type == "image/jpeg"


REFUSED = {
    "text named logo.png": (
        b"Ceci est un texte, pas une image.\n",
        "Ce fichier n'est pas une image PNG ou JPEG.",
    ),
    "GIF": (GIF_LOGO, "Ce logo est une image GIF : seuls les formats PNG et JPEG sont acceptés."),
    "too many pixels": (
        image_bytes("PNG", size=(3000, 60)),
        "Ce logo mesure 3000 × 60 pixels : la limite est de 2000 pixels de côté.",
    ),
    "decompression bomb": (
        png_header_only(40_000, 40_000),
        "Ce logo compte des centaines de millions de pixels",
    ),
    "over 1 MB": (PNG_LOGO + b"\x00" * 1024 * 1024, "Le logo pèse 1,0 Mo : la limite est de 1 Mo."),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_that_is_not_a_small_png_or_jpeg_is_refused_next_to_the_field(
    member, organisation, case
):
    data, message = REFUSED[case]
    previous = OrganisationFactory(letterhead=True)  # a logo saved earlier stays
    organisation.logo, organisation.address_block = previous.logo.name, "Ancienne adresse"
    organisation.save()
    response = edit(member, organisation, logo=upload(data), address_block=ADDRESS)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in form.errors["logo"][0]
    assert message in response.content.decode().replace("&#x27;", "'")
    # Nothing saved is lost, and what was typed is shown again.
    organisation.refresh_from_db()
    assert organisation.logo.name == previous.logo.name
    assert organisation.address_block == "Ancienne adresse"
    assert form["address_block"].value() == ADDRESS


def test_the_model_refuses_a_gif_logo_whoever_saves_it(organisation):
    organisation.logo = upload(GIF_LOGO, "logo.gif", "image/gif")
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "seuls les formats PNG et JPEG" in refused.value.message_dict["logo"][0]


def test_an_address_block_of_too_many_lines_is_refused(member, organisation):
    response = edit(member, organisation, address_block="\n".join(["ligne"] * 7))
    assert response.status_code == 200
    assert response.context["form"].errors["address_block"] == [
        "Le bloc d'adresse compte 7 lignes : la limite est de 6."
    ]


def test_a_member_removes_the_logo(member):
    organisation = OrganisationFactory(letterhead=True, address_block="")
    response = edit(member, organisation, remove_logo="on")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.logo
    assert letterhead_for(organisation) is None


def test_uploading_and_removing_at_once_is_refused(member):
    organisation = OrganisationFactory(letterhead=True)
    kept = organisation.logo.name
    response = edit(member, organisation, logo=upload(JPEG_LOGO), remove_logo="on")
    assert response.status_code == 200
    assert "pas les deux à la fois" in response.context["form"].errors["remove_logo"][0]
    organisation.refresh_from_db()
    assert organisation.logo.name == kept


def test_an_edit_without_a_file_keeps_the_logo(member):
    organisation = OrganisationFactory(letterhead=True)
    kept = organisation.logo.name
    assert edit(member, organisation, phone="05 49 78 79 80").status_code == 302
    organisation.refresh_from_db()
    assert organisation.logo.name == kept
    assert organisation.phone == "05 49 78 79 80"


def test_a_logo_sent_on_a_stale_form_is_refused_and_the_newer_save_kept(member, organisation):
    displayed = form_data(organisation)
    organisation_save(
        organisation=organisation,
        **saved_values(organisation, address_block="Saisi entre-temps"),
        expected_version=organisation.version,
    )
    response = member.post(
        reverse("partners:edit", args=[organisation.pk]),
        {**displayed, "logo": upload(PNG_LOGO)},
    )
    assert response.status_code == 200
    assert "Quelqu'un d'autre a enregistré cette organisation" in " ".join(
        response.context["form"].non_field_errors()
    )
    organisation.refresh_from_db()
    assert not organisation.logo
    assert organisation.address_block == "Saisi entre-temps"


def test_the_form_shows_the_current_logo_and_offers_to_remove_it(member):
    organisation = OrganisationFactory(letterhead=True)
    page = member.get(reverse("partners:edit", args=[organisation.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'class="fr-upload-group"' in page
    assert f'src="{reverse("partners:logo", args=[organisation.pk])}"' in page
    assert 'alt="Logo actuel de ' in page
    assert "Supprimer le logo" in page
    assert "Bloc d&#x27;adresse (en-tête des documents)" in page


def test_without_a_logo_the_form_offers_no_preview_nor_removal(member, organisation):
    page = member.get(reverse("partners:edit", args=[organisation.pk])).content.decode()
    assert reverse("partners:logo", args=[organisation.pk]) not in page
    assert "Supprimer le logo" not in page


# The logo's own URL ---------------------------------------------------------------------


def test_the_organisation_users_see_their_logo_as_uploaded(client):
    organisation = OrganisationFactory(letterhead=True)
    client.force_login(UserFactory(organisation=organisation, role=Role.READ_ONLY_PARTNER))
    response = client.get(reverse("partners:logo", args=[organisation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == PNG_LOGO


def test_a_local_authority_that_may_edit_the_organisation_sees_its_logo(client):
    organisation = OrganisationFactory(letterhead=True, departement="79", prefecture=True)
    client.force_login(UserFactory(role=Role.LOCAL_AUTHORITY, organisation__departement="79"))
    assert client.get(reverse("partners:logo", args=[organisation.pk])).status_code == 200


@pytest.mark.parametrize(
    "user",
    [
        {"role": Role.DDSP_SECRETARIAT, "organisation__departement": "79"},
        {"role": Role.LOCAL_AUTHORITY, "organisation__departement": "95"},
    ],
    ids=["another organisation of its département", "a local authority of another département"],
)
def test_another_organisations_user_gets_404_for_the_logo(client, user):
    organisation = OrganisationFactory(letterhead=True, departement="79")
    client.force_login(UserFactory(**user))
    assert client.get(reverse("partners:logo", args=[organisation.pk])).status_code == 404


def test_an_organisation_without_logo_answers_404(client, organisation):
    client.force_login(UserFactory(admin=True))
    assert client.get(reverse("partners:logo", args=[organisation.pk])).status_code == 404


def test_the_logo_view_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    organisation = OrganisationFactory(letterhead=True)
    client.force_login(UserFactory(organisation=organisation, role=Role.LOCAL_AUTHORITY))
    # session, user, SAVEPOINT (ATOMIC_REQUESTS), the organisation, RELEASE SAVEPOINT;
    # the user's own organisation needs no query (its id is on the user).
    with django_assert_num_queries(5):
        assert client.get(reverse("partners:logo", args=[organisation.pk])).status_code == 200
