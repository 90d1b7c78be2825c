"""A post's sites (issue #18, item 1): several sites, a force and a functional authority
each; the kind of the post follows from them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from conventions.enums import Force, PostKind, SiteKind
from conventions.models import Post
from partners.enums import Role
from tests.conventions.factories import PostFactory, PostSiteFactory
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

POLICE, GENDARMERIE = Force.POLICE, Force.GENDARMERIE


@pytest.mark.parametrize(
    "forces, kind, site_label, at_site",
    [
        # Réponse à la question écrite n° 5104 (AN, 2022): posts in police zone, in
        # gendarmerie zone, and mixed ones serving a commissariat and gendarmerie units.
        pytest.param([POLICE], PostKind.POLICE, "commissariat", "au commissariat", id="police"),
        pytest.param(
            [GENDARMERIE],
            PostKind.GENDARMERIE,
            "brigade de gendarmerie",
            "à la brigade",
            id="gendarmerie",
        ),
        pytest.param(
            [GENDARMERIE, GENDARMERIE],
            PostKind.GENDARMERIE,
            "brigade de gendarmerie",
            "à la brigade",
            id="two-brigades",
        ),
        pytest.param(
            [POLICE, GENDARMERIE, GENDARMERIE],
            PostKind.MIXED,
            "commissariat et gendarmerie",
            "au commissariat ou à la brigade",
            id="mixed-commissariat-and-two-brigades",
        ),
    ],
)
def test_the_kind_and_the_wording_of_a_post_follow_from_its_sites(
    forces, kind, site_label, at_site
):
    post = PostFactory(site=None)
    authorities = {}
    for order, force in enumerate(forces, start=1):
        authority = authorities.setdefault(
            force, PostSiteFactory.build(post=post, force=force).functional_authority
        )
        PostSiteFactory(post=post, force=force, order=order, functional_authority=authority)
    post = Post.objects.with_sites().get(pk=post.pk)
    assert post.kind == kind
    assert (post.site_label, post.wording.at_site) == (site_label, at_site)
    assert len(post.functional_authorities) == len(set(forces))
    # The query says the same, without reading the sites.
    assert Post.objects.with_kind().get(pk=post.pk).kind == kind


def test_a_brigade_cannot_be_a_police_site():
    site = PostSiteFactory.build(
        post=PostFactory(), kind=SiteKind.GENDARMERIE_BRIGADE, force=POLICE
    )
    with pytest.raises(Exception) as error:
        site.full_clean()
    assert "relève de la gendarmerie nationale" in str(error.value)


# The page of the sites ---------------------------------------------------------------


def sites_url(post):
    return reverse("conventions:post_sites", args=[post.pk])


def sites_data(post, rows, *, version=None):
    """The formset as the page posts it: the saved sites first, then the new ones."""
    saved = list(post.sites.all())
    data = {
        "version": post.version if version is None else version,
        "sites-TOTAL_FORMS": len(rows),
        "sites-INITIAL_FORMS": len(saved),
        "sites-MIN_NUM_FORMS": 0,
        "sites-MAX_NUM_FORMS": 12,
    }
    for index, row in enumerate(rows):
        prefix = f"sites-{index}-"
        if index < len(saved):
            data[prefix + "id"] = saved[index].pk
        data[prefix + "post"] = post.pk
        for name, value in row.items():
            data[prefix + name] = value
    return data


def site_row(site, **changes):
    return {
        "order": site.order,
        "kind": site.kind,
        "name": site.name,
        "address": site.address,
        "force": site.force,
        "functional_authority": site.functional_authority_id,
        **changes,
    }


def brigade(groupement, **changes):
    return {
        "order": 2,
        "kind": SiteKind.GENDARMERIE_BRIGADE,
        "name": "Brigade de Mauzé-sur-le-Mignon",
        "address": "",
        "force": GENDARMERIE,
        "functional_authority": groupement.pk,
        **changes,
    }


def test_adding_a_brigade_makes_the_post_mixed_and_shows_on_its_page(client, two_departements):
    world = two_departements["79"]
    post, groupement = world["post"], world["gendarmerie_post"].functional_authorities[0]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    commissariat = post.sites.get()
    response = client.post(
        sites_url(post), sites_data(post, [site_row(commissariat), brigade(groupement)])
    )
    assert response.status_code == 302, response.context["form"].errors
    post = Post.objects.with_sites().get(pk=post.pk)
    assert post.kind == PostKind.MIXED and post.version == 2
    content = client.get(post.get_absolute_url()).content.decode()
    assert "Poste mixte (police et gendarmerie)" in content
    assert "Brigade de Mauzé-sur-le-Mignon" in content and "Groupement 79" in content
    # The groupement's secretariat now works on it too.
    scope_posts = Post.objects.supervised_by(groupement)
    assert post in scope_posts


@pytest.mark.parametrize(
    "rows, message",
    [
        pytest.param(
            lambda site, world: [site_row(site, DELETE="on")],
            "Un poste a au moins un site",
            id="no-site-left",
        ),
        pytest.param(
            lambda site, world: [
                site_row(site),
                brigade(world["95"]["gendarmerie_post"].functional_authorities[0]),
            ],
            "Sélectionnez un choix valide",
            id="authority-of-another-departement",
        ),
        pytest.param(
            lambda site, world: [
                site_row(site),
                brigade(site.functional_authority, kind=SiteKind.OTHER),
            ],
            "est une organisation de type « Gendarmerie nationale »",
            id="a-ddsp-over-a-gendarmerie-site",
        ),
        pytest.param(
            lambda site, world: [
                site_row(site),
                brigade(
                    OrganisationFactory(ddsp=True, name="DDSP bis"),
                    kind=SiteKind.COMMISSARIAT,
                    force=POLICE,
                    name="Commissariat bis",
                ),
            ],
            "ont la même autorité fonctionnelle",
            id="two-authorities-for-one-force",
        ),
    ],
)
def test_the_sites_page_refuses_what_the_rules_forbid_in_french(
    client, two_departements, rows, message
):
    world = two_departements["79"]
    post = world["post"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        sites_url(post), sites_data(post, rows(post.sites.get(), two_departements))
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert post.sites.count() == 1


def test_sites_changed_meanwhile_are_not_overwritten(client, two_departements):
    world = two_departements["79"]
    post = world["post"]
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    site = post.sites.get()
    stale = sites_data(post, [site_row(site, name="Hôtel de police de Niort")])
    Post.objects.filter(pk=post.pk).update(version=2)
    response = client.post(sites_url(post), stale)
    content = response.content.decode()
    assert "Quelqu&#x27;un d&#x27;autre a enregistré les sites de ce poste" in content
    assert post.sites.get().name == site.name


@pytest.mark.parametrize(
    "role", [Role.DDSP_SECRETARIAT, Role.EMPLOYER_COORDINATION, Role.READ_ONLY_PARTNER]
)
def test_only_the_funding_local_authority_and_the_administrator_change_the_sites(
    client, two_departements, role
):
    world = two_departements["79"]
    client.force_login(world["users"][role])
    assert client.get(sites_url(world["post"])).status_code == 403


def test_the_sites_of_a_post_outside_the_scope_are_not_found(client, two_departements):
    client.force_login(two_departements["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(sites_url(two_departements["79"]["post"])).status_code == 404


# The migration ---------------------------------------------------------------------------

BEFORE = [("conventions", "0022_deliberating_bodies_body_label_and_signatory")]
AFTER = [("conventions", "0023_post_sites")]


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_gives_each_post_its_site_and_back():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Organisation = apps.get_model("partners", "Organisation")
    OldPost = apps.get_model("conventions", "Post")
    ddsp = Organisation.objects.create(name="DDSP 79", kind="police", departement="79")
    groupement = Organisation.objects.create(
        name="Groupement 79", kind="gendarmerie", departement="79"
    )
    employer = Organisation.objects.create(name="FV 79", kind="association", departement="79")
    old = {
        "ISC du commissariat de Niort": ("police", "Commissariat de Niort", "2 rue", ddsp),
        "ISG de la brigade de Melle": ("gendarmerie", "Brigade de Melle", "", groupement),
    }
    for name, (force, site, address, authority) in old.items():
        OldPost.objects.create(
            name=name,
            force=force,
            host_site=site,
            host_address=address,
            departement="79",
            fte=1,
            employer=employer,
            functional_authority=authority,
        )
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        NewSite = executor.loader.project_state(AFTER).apps.get_model("conventions", "PostSite")
        moved = {
            s.post.name: (s.force, s.name, s.address, s.functional_authority_id, s.kind)
            for s in NewSite.objects.select_related("post")
        }
        assert moved == {
            "ISC du commissariat de Niort": (
                "police",
                "Commissariat de Niort",
                "2 rue",
                ddsp.pk,
                "commissariat",
            ),
            "ISG de la brigade de Melle": (
                "gendarmerie",
                "Brigade de Melle",
                "",
                groupement.pk,
                "brigade",
            ),
        }
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        back = executor.loader.project_state(BEFORE).apps.get_model("conventions", "Post")
        assert {
            p.name: (p.force, p.host_site, p.host_address, p.functional_authority_id)
            for p in back.objects.all()
        } == {name: (f, s, a, org.pk) for name, (f, s, a, org) in old.items()}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
