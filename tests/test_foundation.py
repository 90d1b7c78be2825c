"""The promises of the foundation: login everywhere, roles, settings, demo data."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from stdnum.fr import siret

from activity.models import GridVersion, Indicator
from activity.selectors import grid_layout
from config.devtools.demo import fictional
from partners.models import Organisation
from tests.security.urls import iter_patterns

ROOT = Path(__file__).resolve().parent.parent

# Pages that must answer without a login.
# The footer pages a public service must publish are readable without an account.
PUBLIC_URL_NAMES = {
    "login",
    "admin:login",
    "calendar_feed",
    "accessibility",
    "legal_notice",
    "personal_data",
    "help",
    # A forgotten password, and the page an invitation's link opens.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "invitation_accept",
    # ProConnect's login and return (partners.proconnect): 404 unless configured.
    "proconnect_login",
    "proconnect_callback",
    # The published deliberations and the SCDL files of public bodies (issue #22).
    "public:organisation_deliberations",
    "public:deliberations_csv",
    "public:subsidies_csv",
    "public:deliberation_pdf",
    # The API's description and its documentation (config.api).
    "api:schema",
    "api:docs",
    # Any other address under /api/: a JSON 404 for everyone.
    "api:not_found",
    # The load balancer's probe (config.health): "ok" or "erreur" for each part, no more.
    "healthz",
}


def sample_path(route: str) -> str:
    """Turn a route ("conventions/<slug:reference>/") into a path with dummy values."""
    import re

    dummies = {
        None: "1",
        "int": "1",
        "id": "1",
        "editable": "docx",
        "uuid": "00000000-0000-0000-0000-000000000000",
    }
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: dummies.get(m.group(1), "x"), route)
    path = path.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path


def all_project_paths(*, api: bool = False):
    """The pages (or, with ``api``, the API's data) that need an account."""
    for route, name in iter_patterns():
        if name in PUBLIC_URL_NAMES or (name or "").startswith("admin:"):
            continue
        if "(?P<" in route or route.startswith("static"):
            continue
        if (name or "").startswith("api:") == api:
            yield name, sample_path(route)


@pytest.mark.django_db
@pytest.mark.parametrize("name,path", list(all_project_paths()))
def test_every_page_redirects_an_anonymous_visitor_to_login(client, name, path):
    response = client.get(path)
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert response["Location"].startswith("/connexion/"), name


@pytest.mark.django_db
@pytest.mark.parametrize("name,path", list(all_project_paths(api=True)))
def test_the_api_answers_401_without_a_key(client, name, path):
    # A program is not sent to a login page: it is told to authenticate.
    response = client.get(path)
    assert response.status_code == 401, f"{name} ({path}) answered {response.status_code}"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_the_admin_site_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_the_login_page_is_in_french(client):
    response = client.get("/connexion/")
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="fr"' in content
    assert "Nom d’utilisateur" in content or "Nom d'utilisateur" in content
    assert "Aller au contenu" in content


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_a_french_message(client, admin_user):
    response = client.post("/connexion/", {"username": "admin", "password": "mauvais"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


@pytest.mark.django_db
def test_the_demo_on_a_flushed_database_words_the_grid_for_each_post():
    """A flushed test database has lost the grid of the data migrations: the demo makes it
    again as they left it, « En présentiel {au_site} », so that a gendarmerie post's grid
    reads « à la brigade », not « au commissariat »."""
    GridVersion.objects.all().delete()
    call_command("load_demo", stdout=io.StringIO())
    assert Indicator.objects.get(code="entretien_commissariat").label == "En présentiel {au_site}"
    sancy = fictional.post(fictional.SANCY)
    labels = grid_layout(GridVersion.objects.get(), sancy).labels
    assert labels["entretien_commissariat"] == "En présentiel à la brigade"


@pytest.mark.django_db
def test_load_demo_twice_leaves_the_same_row_counts():
    call_command("load_demo", stdout=io.StringIO())
    first = {m._meta.label: m.objects.count() for m in apps.get_models()}
    call_command("load_demo", stdout=io.StringIO())
    second = {m._meta.label: m.objects.count() for m in apps.get_models()}
    assert first == second
    # The seeds' ten accounts (the préfecture's and the national steering ones included)
    # and the eight of the two fictional conventions.
    assert first["partners.User"] == 18


@pytest.mark.django_db
def test_load_demo_on_a_database_with_the_old_demo_sirets_replaces_them(tmp_path):
    """Before issue #17 the demo SIRETs passed Luhn on 14 digits only: reloading the
    demo gives them valid numbers instead of failing on duplicate organisations."""
    call_command("load_demo", stdout=io.StringIO())
    count = Organisation.objects.count()
    # The old generator's number for the first demo organisation: its SIREN's key is wrong.
    Organisation.objects.filter(name="Préfecture des Deux-Sèvres").update(siret="90000000000001")
    call_command("load_demo", stdout=io.StringIO())
    assert Organisation.objects.count() == count
    assert all(siret.is_valid(s) for s in Organisation.objects.values_list("siret", flat=True))


@pytest.mark.django_db
def test_each_demo_account_logs_in_and_sees_its_organisation_and_role(client):
    call_command("load_demo", stdout=io.StringIO())
    for username, role_label, org in [
        ("ville.niort", "Collectivité", "Commune de Niort"),
        ("ddsp95", "Secrétariat DDSP", "Val-d&#x27;Oise"),
        ("admin", "Administrateur", "Administration nationale"),
    ]:
        assert client.login(username=username, password="convention-demo")
        content = client.get("/").content.decode()
        assert role_label in content and org in content, username
        client.logout()


@pytest.mark.django_db
def test_the_main_navigation_marks_one_entry_as_the_current_page(client, admin_user):
    client.force_login(admin_user)
    content = client.get("/conventions/deliberations/").content.decode()
    assert content.count('aria-current="page"') == 1
    assert (
        '<a class="fr-nav__link" href="/conventions/deliberations/" aria-current="page">'
        "Délibérations</a>" in content
    )


def test_a_staff_member_finds_the_administration_from_the_site(client, admin_user):
    client.force_login(admin_user)
    assert '<a class="fr-btn" href="/admin/">Administration</a>' in client.get("/").content.decode()


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "SECRET_KEY": "k3F9s-production-like-secret-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "conventions.example.fr",
    "DATABASE_URL": "sqlite:////tmp/iscg-check-deploy.sqlite3",
}


def test_the_production_configuration_passes_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "command", ["load_demo", "load_national_dataset", "bench", "prepare_loadtest"]
)
def test_the_production_settings_have_no_dev_tools(command):
    result = run_manage("help", command, env=PRODUCTION_ENV)
    assert result.returncode != 0
    assert f"Unknown command: '{command}'" in result.stderr


def test_the_dev_tools_are_there_when_the_environment_asks_for_them():
    result = run_manage("help", "load_demo", env={**PRODUCTION_ENV, "DEVTOOLS": "true"})
    assert result.returncode == 0, result.stderr
    assert "démonstration" in result.stdout


def test_check_deploy_warns_when_the_dev_tools_are_installed_with_debug_off():
    # load_demo would create the demo accounts, whose passwords are public.
    env = {**PRODUCTION_ENV, "DEVTOOLS": "true"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "devtools.W001" in result.stdout + result.stderr


def test_start_up_without_secret_key_stops_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password,message",
    [
        ("court-123", "Ce mot de passe est trop court"),
        ("password1234", "Ce mot de passe est trop courant"),
        ("claire.dupont-2026", "Le mot de passe est trop semblable"),
    ],
)
def test_weak_passwords_are_refused_in_french(password, message):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from tests.partners.factories import UserFactory

    user = UserFactory.build(username="claire.dupont", first_name="Claire", last_name="Dupont")
    with pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert any(message in text for text in error.value.messages), error.value.messages


@pytest.mark.django_db
def test_a_long_uncommon_password_is_accepted():
    from django.contrib.auth.password_validation import validate_password

    validate_password("convention-demo-niort-79")
