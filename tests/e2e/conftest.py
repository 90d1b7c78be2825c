"""Browser tests: Playwright driving Debian's Chromium against live_server.

No browser is ever downloaded. Without /usr/bin/chromium the tests are
skipped with the package to install; in CI a skipped browser test fails the
run (see tests/conftest.py).
"""

import io
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

# How long an action or an assertion waits for the page. Two test processes (make test:
# one per core) each drive a browser and a server on two cores: a page that needs 1 s
# alone may need several, and Playwright's default of 5 s for assertions failed a click
# that was still loading the next page.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the test itself (fixtures, assertions) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # Serialized rollback restores what data migrations created (the default
            # statistics grid) after each test's flush.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(
            "Chromium absent : installez le paquet Debian « chromium » (apt-get install chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # Date inputs and number formats follow the interface language.
                "--lang=fr-FR",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def browser_errors():
    """What the pages report in the console: a script error, a blocked inline script or
    style (CSP), a resource that fails to load. Any of them fails the test."""
    errors = []
    yield errors
    assert errors == [], errors


@pytest.fixture
def page(browser, live_server, demo, browser_errors):
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        # The server's zone: Django's admin warns about any difference in its date widgets.
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("pageerror", lambda error: browser_errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            browser_errors.append(f"{message.text} ({message.location['url'] or page.url})")
            if message.type == "error"
            else None
        ),
    )
    yield page
    context.close()


@pytest.fixture
def login(page):
    def log_in(username, password="convention-demo"):
        page.goto("/connexion/")
        page.get_by_label("Nom d’utilisateur").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        return page

    return log_in


@pytest.fixture
def check_accessibility(browser_errors):
    """Run axe-core on the page: no serious or critical violation allowed."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, name):
        reported = len(browser_errors)
        results = axe.run(page)
        # axe-core itself, injected by the test, copies stylesheets that use @import (the
        # Django admin's) into <style> elements, which the CSP blocks: not the page's doing.
        browser_errors[reported:] = [
            error for error in browser_errors[reported:] if "Content Security Policy" not in error
        ]
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + ", ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        SCREENSHOTS.mkdir(exist_ok=True)
        for width, height in ((1280, 800), (768, 1024)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}x{height}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 800})
        assert not bad, f"{name}: " + "; ".join(bad)

    return check
