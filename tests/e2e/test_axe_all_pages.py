"""axe-core on every page of every role: 0 serious or critical violation.

The pages are not listed here. For the roles of the access matrix, they are the GET rows
that answer 200 to that role in tests/security/test_access_matrix.py (built with the real
demo objects of tests/security/urls.py), so a page added to the matrix is checked here
too; the gendarmerie secretariat (a demo account the matrix has no column for) opens the
pages the police secretariat opens, built with the objects of its own scope. The Django
admin is walked from its registry: the index, every changelist the account may open and
the change form of its first row. Files (PDF, CSV, spreadsheets, calendar) are not pages
and are left out; a page about another object of the same kind (Ermont after Niort) is
the same template and is opened once. The 403 page is the first row the matrix refuses to
the role. Pages that no link reaches in the demo (404, 500, a refused ProConnect login, a
valid invitation or password link) are added below.

axe-core is the copy vendored in the axe-playwright-python package: nothing is downloaded.
"""

import io
import re
import sqlite3
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config.devtools.demo.partners import organisation
from config.legal import server_error
from conventions.access import scope_for
from conventions.models import Council
from partners.enums import Role
from partners.invitations import invitation_link
from partners.models import User
from tests.security.conftest import _complete_the_demo, _side
from tests.security.test_access_matrix import EXPECTED
from tests.security.urls import ROUTES

# The file downloads among the URL names: not pages, axe has nothing to read.
FILES = re.compile(
    r"(pdf|csv|xlsx|odt|_editable$|:dossier$|:logo$|calendar_feed|template_|:scan$"
    r"|scan_version|proof$|proof_version|^api:schema$)"
)

# The account of each role, and the matrix column whose pages it opens.
ROLES = {
    "admin": "admin",  # the national administrator
    "prefecture79": "prefecture79",
    "pilotage79": "pilotage79",  # the préfecture's departmental steering
    "ville.niort": "ville.niort",  # a commune, referent of its organisation
    "ddsp79": "ddsp79",  # the police secretariat
    "ggd18": "ddsp79",  # the gendarmerie secretariat: what the police secretariat opens
    "fv79": "fv79",  # the employer coordinator, on the site and on the admin site
    "intervenant.niort": "intervenant.niort",  # the social worker
    "anonymous": "anonymous",
}
ADMIN_SITE_ROLES = {"admin", "fv79"}


def own_side(user):
    """The demo objects of the user's own scope, in the shape of tests/security/urls.py."""
    scope = scope_for(user)
    # A post of its own force: a secretariat reads the others of its département.
    post = scope.posts().supervised_by(user.organisation).order_by("pk").first()
    convention = scope.conventions().filter(posts=post).order_by("pk").first()
    contribution = convention.contributions.order_by("pk").first()
    return SimpleNamespace(
        convention=convention,
        post=post,
        deliberation=scope.deliberations().order_by("pk").first(),
        council=scope.councils().order_by("pk").first(),
        council_member=None,
        contribution=contribution,
        payment=contribution.payments.order_by("pk").first() if contribution else None,
        departement=post.departement,
        organisation=user.organisation,
    )


def site_pages(username, column):
    """(label, url) of the site's pages that the matrix opens to ``column``."""
    world = SimpleNamespace(
        niort=_side("niort-2021", Council.objects.get(organisation=organisation("niort"))),
        ermont=_side("ermont-2022", Council.objects.get(organisation=organisation("valparisis"))),
    )
    own = own_side(User.objects.get(username=username)) if username != column else None
    pages, labels = {}, set()
    for (label, side, method), answers in EXPECTED.items():
        if method != "GET" or FILES.search(label):
            continue
        if answers[column] == "403" and "403" not in pages.values() and own is None:
            # The French « accès refusé » page, once per role.
            pages[ROUTES[label].build(world, getattr(world, side, None))] = "403"
        if answers[column] != "200":
            continue
        # The same page about another object (Ermont after Niort, for the administrator)
        # is the same template: once per label keeps the run short.
        if label in labels:
            continue
        labels.add(label)
        if own is not None:  # another account of the column's role: its own objects
            if side == "ermont":
                continue
            side_objects = own if side == "niort" else None
        else:
            side_objects = getattr(world, side) if side != "-" else None
        try:
            url = ROUTES[label].build(world, side_objects)
        except AttributeError:  # an object its scope does not have (a council)
            continue
        pages.setdefault(url, f"{label} [{side}]")
    return [(name, url) for url, name in pages.items()]


def admin_changelists():
    for model in admin.site._registry:
        meta = model._meta
        yield (
            f"admin {meta.app_label}.{meta.model_name}",
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        )


def error_pages():
    """Pages no demo link leads to: served as the server renders them."""
    refused = render_to_string(
        "registration/proconnect_refused.html", request=RequestFactory().get("/connexion/")
    )
    return {
        "/__axe__/erreur-500/": server_error(RequestFactory().get("/")).content.decode(),
        "/__axe__/proconnect-refuse/": refused,
    }


def anonymous_pages():
    """The pages of someone without an account, valid links included."""
    invited = User.objects.create(
        username="invitee@demo.invalid",
        email="invitee@demo.invalid",
        organisation=organisation("niort"),
        role=Role.LOCAL_AUTHORITY,
        invited_at=timezone.now(),
        is_active=False,
    )
    invited.set_unusable_password()
    invited.save()
    camille = User.objects.get(username="intervenant.niort")
    uid = urlsafe_base64_encode(force_bytes(camille.pk))
    reset = reverse(
        "password_reset_confirm", args=[uid, default_token_generator.make_token(camille)]
    )
    link = invitation_link(invited)
    return [
        ("password_reset_confirm (lien valide)", reset),
        ("invitation_accept (lien valide)", link[link.index("/invitation/") :]),
    ]


def serve(html):
    return lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=html
    )


def axe_problems(axe, page, name):
    results = axe.run(page).response
    return [
        f"{name} {page.url}: {violation['id']} ({violation['impact']}) {violation['help']} — "
        + " | ".join(
            f"{' '.join(node['target'])}: {node['html'][:160]}" for node in violation["nodes"][:5]
        )
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


SNAPSHOT = {}


@pytest.fixture
def full_demo(transactional_db, settings, tmp_path_factory):
    """The demo with a signed scan, a payment proof and an amendment per convention.

    Loading it takes longer than checking a role's pages: on SQLite (the test database in
    memory), the first test keeps a copy of the database and the next ones start from it.
    """
    # The files of the demo, kept from one test to the next as the copy of the database.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "axe-media"
    if connection.vendor == "sqlite" and "database" in SNAPSHOT:
        SNAPSHOT["database"].backup(connection.connection)
        ContentType.objects.clear_cache()
        return
    call_command("load_demo", stdout=io.StringIO())
    _complete_the_demo()
    if connection.vendor == "sqlite":
        SNAPSHOT["database"] = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(SNAPSHOT["database"])


@pytest.mark.parametrize("username", list(ROLES))
def test_every_page_of_the_role_has_no_serious_accessibility_violation(
    browser, live_server, full_demo, username
):
    column = ROLES[username]
    if username == "anonymous":
        pages = site_pages("anonymous", "anonymous") + anonymous_pages()
    else:
        pages = site_pages(username, column)
        pages.append(("404", "/conventions/inexistante-0000/"))
    served = error_pages()
    pages += [(path.strip("/").split("/")[-1], path) for path in served]

    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(15_000)
    for path, html in served.items():
        context.route(f"**{path}", serve(html))
    page = context.new_page()
    axe = Axe()
    problems, visited = [], 0
    try:
        if username != "anonymous":
            page.goto("/connexion/")
            page.get_by_label("Nom d’utilisateur").fill(username)
            page.get_by_label("Mot de passe").fill("convention-demo")
            page.get_by_role("button", name="Se connecter").click()
            page.wait_for_url(f"{live_server.url}/")
        if username in ADMIN_SITE_ROLES:
            pages.append(("admin index", "/admin/"))
            for name, url in admin_changelists():
                if page.goto(url).status != 200:  # a model the account may not list
                    continue
                visited += 1
                problems += axe_problems(axe, page, name)
                first = page.locator("#result_list tbody tr th a, #result_list tbody tr td a")
                if first.count():
                    pages.append((f"{name} (fiche)", first.first.get_attribute("href")))
        for name, url in pages:
            response = page.goto(url)
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue  # a file the URL name did not tell
            if name in ("403", "404"):
                assert response.status == int(name)
            elif response.status != 200:
                # The matrix tests who opens what; a page another object of the same role
                # cannot show (ggd18) is left out rather than checked as an error page.
                assert username == "ggd18", f"{name} {url}: {response.status}"
                continue
            visited += 1
            problems += axe_problems(axe, page, name)
    finally:
        context.close()
    print(f"{username}: {visited} pages")
    assert visited >= 10
    assert problems == [], "\n".join(problems)
