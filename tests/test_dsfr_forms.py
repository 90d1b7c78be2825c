"""The forms of the product in the State design system (DSFR): each field's markup, the
error summary, the formsets' « Ajouter » rows and the empty choices of the selects."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from partners.enums import Role
from tests.conventions.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class ExampleForm(forms.Form):
    name = forms.CharField(label="Nom", help_text="Tel qu'il est écrit sur l'arrêté.")
    kinds = forms.MultipleChoiceField(
        label="Types", choices=[("vu", "Vu"), ("considérant", "Considérant")], required=False
    )
    side = forms.ChoiceField(
        label="Partie", choices=[("", "---------"), ("first", "D'une part")], required=True
    )
    note = forms.ChoiceField(
        label="Remarque", choices=[("", "---------"), ("x", "Une")], required=False
    )

    def clean(self):
        raise forms.ValidationError("Les dates se contredisent.")


def bound_example():
    form = ExampleForm(data={"name": "", "kinds": ["vu"]})
    form.is_valid()
    return form


def test_it_marks_a_field_in_error_and_links_the_message_and_the_hint_to_it():
    html = str(bound_example()["name"].as_field_group())

    assert 'class="fr-input-group fr-input-group--error"' in html
    assert 'class="fr-label" for="id_name"' in html
    assert '<p class="fr-hint-text" id="id_name_helptext">' in html
    assert re.search(r'<input[^>]*class="fr-input fr-input--error"', html)
    assert 'aria-describedby="id_name_helptext id_name_error"' in html
    assert '<div id="id_name_error"><p class="fr-error-text">Ce champ est obligatoire.</p>' in html


def test_it_offers_a_multiple_choice_as_checkboxes_rather_than_a_ctrl_click_list():
    html = str(bound_example()["kinds"].as_field_group())

    assert "<select" not in html
    assert 'class="fr-fieldset' in html
    assert '<input type="checkbox" name="kinds" value="vu" id="id_kinds_0" checked>' in html
    assert '<label class="fr-label" for="id_kinds_1">Considérant</label>' in html


def test_boxes_chosen_by_the_form_are_drawn_as_dsfr_checkboxes_not_radio_buttons():
    class Boxes(forms.Form):
        events = forms.MultipleChoiceField(
            label="Événements",
            choices=[("a", "A"), ("b", "B")],
            widget=forms.CheckboxSelectMultiple,
        )

    html = str(Boxes()["events"].as_field_group())

    assert html.count('<div class="fr-checkbox-group">') == 2
    assert "fr-radio-group" not in html


def test_a_required_select_asks_to_choose_and_an_optional_one_says_not_filled_in():
    form = bound_example()
    required, optional = str(form["side"].as_field_group()), str(form["note"].as_field_group())

    assert "---------" not in required + optional
    assert '<option value="" selected disabled>Choisir dans la liste</option>' in required
    assert '<option value="" selected>Non renseigné</option>' in optional


def test_the_error_summary_counts_the_errors_and_links_each_one_to_its_field():
    html = render_to_string("includes/error_summary.html", {"form": bound_example()})

    assert "Le formulaire contient 3 erreurs" in html
    assert 'tabindex="-1"' in html and "data-error-summary" in html
    assert "<li>Les dates se contredisent.</li>" in html
    assert '<a href="#id_name">Nom : Ce champ est obligatoire.</a>' in html
    assert '<a href="#id_side">Partie : Ce champ est obligatoire.</a>' in html


def test_a_form_without_errors_has_no_summary():
    html = render_to_string("includes/error_summary.html", {"form": ExampleForm()})

    assert "fr-alert" not in html


# Pages ---------------------------------------------------------------------------------


@pytest.fixture
def local_authority(two_departements):
    return two_departements["79"]["users"][Role.LOCAL_AUTHORITY]


def test_a_convention_sent_back_with_an_error_opens_on_a_summary_linking_to_the_field(
    client, local_authority, two_departements
):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)
    url = reverse("conventions:edit", args=[convention.reference])
    response = client.get(url)
    hidden = re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.content.decode()
    )
    data = dict(hidden)
    data.update({"reference": convention.reference, "title": "", "duration_years": "3"})

    response = client.post(url, data)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="fr-alert fr-alert--error' in content
    assert '<a href="#id_title">Titre : Ce champ est obligatoire.</a>' in content
    assert "js/error-summary.js" in content


def test_a_saved_convention_shows_its_rows_without_a_blank_one_and_an_add_button(
    client, local_authority, two_departements
):
    convention = two_departements["79"]["convention"]
    ArticleFactory(convention=convention, number=1)
    client.force_login(local_authority)

    response = client.get(reverse("conventions:edit", args=[convention.reference]))

    formsets = response.context["formsets"]
    assert [f.instance.pk is not None for f in formsets["parties"].forms] == [True] * 4
    assert [f.instance.pk is not None for f in formsets["articles"].forms] == [True]
    content = response.content.decode()
    assert 'name="parties-TOTAL_FORMS" value="4"' in content
    assert '<template id="articles-template">' in content
    assert "fr-icon-add-line" in content and "Ajouter un article" in content


def test_only_a_saved_row_has_a_delete_box(client, local_authority, two_departements):
    convention = two_departements["79"]["convention"]
    client.force_login(local_authority)

    content = client.get(reverse("conventions:edit", args=[convention.reference])).content
    content = content.decode()

    assert 'name="parties-0-DELETE"' in content
    template = content[content.index('<template id="parties-template">') :]
    template = template[: template.index("</template>")]
    assert "__prefix__" in template
    assert "DELETE" not in template


def test_a_new_convention_starts_with_one_blank_row_a_list_without_a_delete_box(
    client, local_authority
):
    client.force_login(local_authority)

    response = client.get(reverse("conventions:create"))

    for formset in response.context["formsets"].values():
        assert len(formset.forms) == 1
        assert "DELETE" not in formset.forms[0].fields


@pytest.mark.parametrize(
    "url_name",
    [
        "conventions:create",
        "conventions:edit",
        "conventions:post_sites",
        "conventions:post_create",
        "conventions:post_edit",
        "conventions:follow_up",
        "conventions:associated_partners",
        "conventions:contribution_create",
        "partners:create",
    ],
)
def test_the_main_forms_never_offer_an_empty_dashed_choice(
    client, admin_user, two_departements, url_name
):
    convention = two_departements["79"]["convention"]
    args = {
        "conventions:edit": [convention.reference],
        "conventions:post_sites": [convention.single_post.pk],
        "conventions:post_edit": [convention.single_post.pk],
        "conventions:follow_up": [convention.reference],
        "conventions:associated_partners": [convention.reference],
        "conventions:contribution_create": [convention.reference],
    }.get(url_name, [])
    client.force_login(admin_user)

    response = client.get(reverse(url_name, args=args))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<select" in content
    assert "---------" not in content
