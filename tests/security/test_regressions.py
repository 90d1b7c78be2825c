"""One test per failure the crawler, the fuzz tests and the access matrix found."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from config.core.forms import FiniteDecimalField
from conventions.agreements.documents import render_convention_pdf
from conventions.deliberations.forms import ConventionChoiceField
from conventions.models import Convention
from conventions.models.deliberation import validate_matter_code
from partners.forms import OrganisationForm
from partners.validators import validate_departement_code, validate_rna, validate_siret

pytestmark = pytest.mark.django_db


def test_a_model_convention_without_parties_has_a_pdf(demo):
    model = Convention.objects.for_detail().get(reference="modele-commissariat")
    assert not model.parties.exists()
    pdf = render_convention_pdf(model)
    assert "Article 1" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


@pytest.mark.parametrize(
    "query", ["?date__year=99999999999", "?date__year=9999", "?date__year=2024&date__month=99"]
)
def test_an_absurd_date_in_the_admin_date_hierarchy_is_a_wrong_filter(client, demo, query):
    client.force_login(demo.users["admin"])
    response = client.get(reverse("admin:conventions_payment_changelist") + query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_a_superscript_digit_as_council_is_ignored(client, demo):
    client.force_login(demo.users["ville.niort"])
    response = client.get(reverse("conventions:deliberation_create") + "?conseil=²")
    # Niort has one council: the form opens on it, as without the parameter.
    assert response.status_code == 200
    assert response.context["council"] == demo.niort.council


def test_a_superscript_digit_as_article_to_amend_is_ignored(client, demo):
    client.force_login(demo.users["ville.niort"])
    url = reverse("conventions:amendment_create", args=["niort-2021"]) + "?articles=²&articles=3"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["prefill"] == [3]


def test_a_council_out_of_scope_is_not_found_even_for_a_role_that_cannot_create(client, demo):
    client.force_login(demo.users["ddsp79"])
    url = reverse("conventions:deliberation_create") + f"?conseil={demo.niort.council.pk}"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("validator", "value"),
    [
        (validate_siret, "٧٣٢٨٢٩٣٢٠٠٠٠٧٤"),  # a valid SIRET in Arabic-Indic digits
        (validate_rna, "W٧٩١٠٠٠١٢٣"),
        (validate_departement_code, "٧٩"),
        (validate_matter_code, "٧.٥"),
    ],
)
def test_identifiers_in_other_scripts_digits_are_refused(validator, value):
    with pytest.raises(ValidationError):
        validator(value)


def test_a_postal_code_in_other_scripts_digits_is_refused():
    form = OrganisationForm(data={"postal_code": "٧٩٠٠٠"})
    form.is_valid()
    assert form.errors["postal_code"] == ["Le code postal comporte 5 chiffres."]


@pytest.mark.parametrize("huge", ["9" * 26, "-9223372036854775809"])
def test_a_huge_id_among_the_linked_conventions_is_an_invalid_choice(demo, huge):
    field = ConventionChoiceField(queryset=Convention.objects.all())
    with pytest.raises(ValidationError) as error:
        field.clean([str(demo.niort.convention.pk), huge])
    assert error.value.messages == [f"Sélectionnez un choix valide. {huge} n’en fait pas partie."]


def test_the_admin_refuses_a_huge_id_among_the_linked_conventions(client, demo):
    client.force_login(demo.users["admin"])
    url = reverse("admin:conventions_deliberation_change", args=[demo.niort.deliberation.pk])
    form = client.get(url).context["adminform"].form
    response = client.post(url, {"conventions": ["9" * 26], "number": form.initial["number"]})
    assert response.status_code == 200
    assert "n’en fait pas partie" in response.content.decode()


HUGE = "99999999999999999999"  # above 2^63: SQLite refuses it in any lookup


@pytest.mark.parametrize(
    "path",
    [
        f"/admin/conventions/convention/?post={HUGE}",
        f"/admin/conventions/payment/?contribution={HUGE}",
        f"/admin/conventions/post/?employer={HUGE}",
        f"/admin/partners/user/?organisation={HUGE}",
        f"/admin/partners/representative/?organisation={HUGE}",
        f"/admin/activity/quarterreport/?post={HUGE}",
    ],
)
def test_a_huge_number_in_an_admin_filter_is_a_wrong_filter_not_a_server_error(client, demo, path):
    client.force_login(demo.users["admin"])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize("typed", ["sNaN", "NaN", "Infinity", "-Infinity"])
def test_a_decimal_that_is_not_a_number_is_refused_before_any_comparison(typed):
    # The fuzz test sent « SNAN » as a deliberation's amount: the formset compared it with
    # the saved amount (has_changed) and a signalling NaN raised, a 500.
    field = FiniteDecimalField(max_digits=12, decimal_places=2)
    with pytest.raises(ValidationError):
        field.clean(typed)
    assert field.has_changed(None, typed)
