import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from config.steering.models import DepartementTarget, NationalTarget
from partners.enums import Role
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/pilotage/objectifs/"
TOKEN = "x" * 43


def sheet(version=0, **values):
    """The form as the page sends it: the default, no national total, every département
    left to the default, unless ``values`` says otherwise."""
    data = {
        "version": version,
        "posts_per_departement": 2,
        "national_total": "",
        "submission_token": "",
    }
    return data | {key: str(value) for key, value in values.items()}


def test_the_page_is_reached_by_its_name_under_the_steering_pages():
    assert reverse("steering:targets") == URL


def test_the_administrator_sees_one_input_per_departement(client, admin_user):
    client.force_login(admin_user)

    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('name="departement_') == 101
    assert "Objectif des Deux-Sèvres (79)" in content
    assert 'name="version" value="0"' in content


def test_the_administrator_saves_the_default_the_national_total_and_a_departement(
    client, admin_user
):
    client.force_login(admin_user)

    response = client.post(
        URL,
        sheet(posts_per_departement=3, national_total=600, departement_79=5, departement_2A=0),
    )

    assert response.status_code == 302
    national = NationalTarget.objects.get()
    assert (national.posts_per_departement, national.national_total) == (3, 600)
    assert national.updated_by == admin_user
    assert dict(DepartementTarget.objects.values_list("departement", "posts")) == {
        "79": 5,
        "2A": 0,
    }
    assert 'name="departement_79" value="5"' in client.get(URL).content.decode()


def test_a_departement_left_empty_goes_back_to_the_default(client, admin_user):
    client.force_login(admin_user)
    client.post(URL, sheet(departement_79=5))

    response = client.post(URL, sheet(version=1))

    assert response.status_code == 302
    assert not DepartementTarget.objects.exists()


@pytest.mark.parametrize(
    "user", [{"role": Role.DEPARTEMENTAL_STEERING}, {"role": Role.LOCAL_AUTHORITY}, {}]
)
def test_a_user_other_than_the_administrator_finds_no_page(client, user):
    client.force_login(UserFactory(**user))

    assert client.get(URL).status_code == 404
    assert client.post(URL, sheet(departement_79=9)).status_code == 404
    assert not DepartementTarget.objects.exists()


def test_an_invalid_target_is_refused_with_a_french_message_and_nothing_is_saved(
    client, admin_user
):
    client.force_login(admin_user)

    response = client.post(URL, sheet(posts_per_departement=4, departement_79=-1))

    assert response.status_code == 400
    content = response.content.decode()
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in content
    assert 'id="id_departement_79_error"' in content
    assert not NationalTarget.objects.exists()
    assert not DepartementTarget.objects.exists()


def test_a_sheet_displayed_before_another_save_is_refused(client, admin_user):
    client.force_login(admin_user)
    client.post(URL, sheet(departement_79=5))  # someone else saved meanwhile (version 1)

    response = client.post(URL, sheet(version=0, departement_79=7))

    assert response.status_code == 400
    assert "Quelqu&#x27;un d&#x27;autre a enregistré les objectifs de couverture" in (
        response.content.decode()
    )
    assert DepartementTarget.objects.get().posts == 5
    assert NationalTarget.objects.get().version == 1


def test_the_same_sheet_sent_twice_is_saved_once(client, admin_user):
    client.force_login(admin_user)
    data = sheet(departement_79=5) | {"submission_token": TOKEN}

    first = client.post(URL, data)
    second = client.post(URL, data)

    assert first.status_code == second.status_code == 302
    assert NationalTarget.objects.get().version == 1
    assert DepartementTarget.objects.get().posts == 5


def test_a_target_for_a_code_that_is_not_one_of_the_101_departements_is_refused():
    target = DepartementTarget(departement="975", posts=1)

    with pytest.raises(ValidationError) as refused:
        target.full_clean()

    assert refused.value.message_dict["departement"] == [
        "Ce code n'est pas celui d'un des 101 départements."
    ]


def test_a_departement_has_one_target_only():
    DepartementTarget.objects.create(departement="79", posts=3)

    with pytest.raises(ValidationError) as refused:
        DepartementTarget(departement="79", posts=4).full_clean()

    assert "Ce département a déjà un objectif." in str(refused.value)
