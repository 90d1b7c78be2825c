"""The « Postes » list: the posts of the user's scope with their kind, employer, holder
and conventions; sortable, filtered, searched, with a query count that does not grow."""

import pytest
from django.urls import reverse

from partners.enums import Role
from tests.conventions.factories import PostFactory, PostHolderFactory

pytestmark = pytest.mark.django_db
URL = reverse("conventions:post_list")


def names(response):
    return [post.name for post in response.context["page"].object_list]


def test_it_lists_only_the_posts_of_the_user_s_scope(client, two_departements):
    world = two_departements["79"]
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    assert names(client.get(URL)) == [world["post"].name]


def test_a_row_shows_kind_employer_holder_and_the_conventions_the_user_may_see(
    client, two_departements
):
    world = two_departements["79"]
    client.force_login(world["users"][Role.DDSP_SECRETARIAT])
    content = client.get(URL).content.decode()
    row = content[content.index(world["post"].name) :]
    row = row[: row.index("</tr>")]
    assert "Poste en zone police" in row
    assert world["post"].employer.name in row
    assert "Intervenant" in row
    assert f'href="{world["convention"].get_absolute_url()}"' in row


def test_it_filters_by_kind_and_sorts_by_kind(client, two_departements, admin_user):
    client.force_login(admin_user)
    gendarmerie = {two_departements[d]["gendarmerie_post"].name for d in ("79", "95")}
    assert set(names(client.get(URL, {"kind": "gendarmerie"}))) == gendarmerie
    ordered = names(client.get(URL, {"tri": "type"}))
    assert set(ordered[:2]) == gendarmerie  # « gendarmerie » comes before « police »
    assert set(names(client.get(URL, {"tri": "-type"}))[2:]) == gendarmerie


@pytest.mark.parametrize("tri", ["intitule", "-intitule"])
def test_it_sorts_by_name_both_ways(client, two_departements, admin_user, tri):
    client.force_login(admin_user)
    found = names(client.get(URL, {"tri": tri}))
    assert found == sorted(found, reverse=tri.startswith("-"))


def test_an_unknown_sort_key_is_ignored(client, two_departements, admin_user):
    client.force_login(admin_user)
    response = client.get(URL, {"tri": "employer__password"})
    assert response.status_code == 200
    assert len(names(response)) == 4


def test_the_search_finds_a_post_by_its_holder_but_never_outside_the_scope(
    client, two_departements
):
    PostHolderFactory(post=two_departements["95"]["post"], name="Jeanne Introuvable")
    PostHolderFactory(post=two_departements["79"]["post"], name="Jeanne Trouvée")
    client.force_login(two_departements["79"]["users"][Role.DDSP_SECRETARIAT])
    assert names(client.get(URL, {"q": "jeanne"})) == [two_departements["79"]["post"].name]
    content = client.get(URL, {"q": "introuvable"}).content.decode()
    assert "Aucun poste ne correspond à ces filtres." in content


def test_the_main_navigation_leads_to_the_posts(client, two_departements):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    content = client.get(reverse("dashboard")).content.decode()
    assert f'href="{URL}">Postes</a>' in content


def test_the_list_runs_the_same_queries_for_few_and_many_posts(
    client, two_departements, admin_user, django_assert_num_queries
):
    client.force_login(admin_user)
    # 1 session, 2 user, 3 savepoint (ATOMIC_REQUESTS), 4 départements (filter choices),
    # 5 count, 6 the page's posts with their kind and employer, 7 their sites, 8 current
    # holders, 9 the conventions the user sees, 10 release savepoint.
    with django_assert_num_queries(10):
        client.get(URL)
    for _ in range(6):
        PostHolderFactory(post=PostFactory(departement="79"))
    with django_assert_num_queries(10):
        response = client.get(URL, {"tri": "-employeur"})
    assert len(names(response)) == 10
