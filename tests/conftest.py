import os

import pytest

from partners.enums import Role
from tests.conventions.factories import ConventionFactory, PartyFactory, PostFactory
from tests.partners.factories import OrganisationFactory, UserFactory

# smtp_mailbox: a real SMTP server on loopback (tests/smtp.py); proconnect: a real OpenID
# Connect provider on loopback (tests/proconnect/fixtures.py).
pytest_plugins = ["tests.smtp", "tests.proconnect.fixtures"]


@pytest.fixture(autouse=True)
def fresh_content_types(request):
    """Transactional tests empty the tables and load them again (content types included,
    maybe under other ids): ContentType's cache lives as long as the process, so it must
    not carry the ids of before into them, nor theirs out (the admin's journal would
    point at a content type that is gone)."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def empty_cache():
    """The steering reports stay ten minutes in the cache (config.steering.report): a test
    must compute its own, never read one left by the test before it with other data."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_user(db):
    return UserFactory(admin=True, username="admin")


@pytest.fixture
def two_departements(db):
    """A post and a convention in Deux-Sèvres (79) and in Val-d'Oise (95), with one user
    of each role in each département; in each, a gendarmerie post too (a brigade under the
    groupement, its own employer, no convention yet), which the groupement's secretariat
    works on."""
    world = {}
    for dep in ("79", "95"):
        commune = OrganisationFactory(departement=dep, name=f"Commune {dep}")
        ddsp = OrganisationFactory(departement=dep, ddsp=True, name=f"DDSP {dep}")
        employer = OrganisationFactory(departement=dep, association=True, name=f"Asso {dep}")
        prefecture = OrganisationFactory(departement=dep, prefecture=True, name=f"Préf {dep}")
        post = PostFactory(departement=dep, employer=employer, functional_authority=ddsp)
        convention = ConventionFactory(post=post, reference=f"convention-{dep}")
        for order, org in enumerate((prefecture, commune, ddsp, employer)):
            PartyFactory(convention=convention, organisation=org, order=order)
        groupement = OrganisationFactory(departement=dep, groupement=True, name=f"Groupement {dep}")
        gendarmerie_post = PostFactory(
            departement=dep,
            gendarmerie=True,
            functional_authority=groupement,
            employer=OrganisationFactory(departement=dep, association=True, name=f"CIAS {dep}"),
        )
        world[dep] = {
            "post": post,
            "gendarmerie_post": gendarmerie_post,
            "convention": convention,
            "users": {
                Role.LOCAL_AUTHORITY: UserFactory(organisation=commune, role=Role.LOCAL_AUTHORITY),
                Role.DDSP_SECRETARIAT: UserFactory(organisation=ddsp, role=Role.DDSP_SECRETARIAT),
                Role.GENDARMERIE_SECRETARIAT: UserFactory(
                    organisation=groupement, role=Role.GENDARMERIE_SECRETARIAT
                ),
                Role.EMPLOYER_COORDINATION: UserFactory(
                    organisation=employer, role=Role.EMPLOYER_COORDINATION, is_staff=True
                ),
                Role.READ_ONLY_PARTNER: UserFactory(
                    organisation=prefecture, role=Role.READ_ONLY_PARTNER
                ),
                Role.DEPARTEMENTAL_STEERING: UserFactory(
                    organisation=prefecture, role=Role.DEPARTEMENTAL_STEERING
                ),
            },
        }
        social_worker = UserFactory(organisation=employer, role=Role.SOCIAL_WORKER)
        post.holders.create(name="Intervenant", start="2021-01-01", user=social_worker)
        world[dep]["users"][Role.SOCIAL_WORKER] = social_worker
    return world


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI, a skipped browser test is a failure: the browser must be there."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and item.get_closest_marker("e2e"):
        report.outcome = "failed"
        report.longrepr = f"Browser test skipped in CI: {report.longrepr}"
