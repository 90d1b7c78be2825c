"""The attendance sheet in a browser: keyboard entry and live counters (static/js)."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler

from partners.enums import Role
from tests.conventions.factories import CouncilFactory, DeliberationFactory, sitting
from tests.partners.factories import UserFactory

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server_url():
    """The project served on a free port (whitenoise serves the static files).

    Not pytest-django's live_server: its media handler needs a MEDIA_URL, and this
    project deliberately has none (uploads are served through access checks).
    """
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test
    # body are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
        assert errors == []


def test_the_attendance_sheet_is_typed_with_the_keyboard_and_counts_live(server_url, browser_page):
    council = CouncilFactory()
    deliberation = DeliberationFactory(council=council)
    members = sitting(deliberation, present=5, represented=1, excused=1)
    deliberation.attendances.all().delete()
    UserFactory(username="ville", organisation=council.organisation, role=Role.LOCAL_AUTHORITY)
    page = browser_page
    page.goto(f"{server_url}/connexion/")
    page.fill("#id_username", "ville")
    page.fill("#id_password", "convention-demo")
    page.click("button[type=submit]")
    page.goto(f"{server_url}{deliberation.get_absolute_url()}presences/")
    counters = page.locator("#attendance-counters")
    assert "Non renseignés : 7" in counters.inner_text()

    page.locator("tr[data-member] input[type=radio]").first.focus()
    for key in "ppppp":
        page.keyboard.press(key)
    page.keyboard.press("r")
    holder_select = page.locator(f"tr[data-member='{members[5].pk}'] select")
    assert holder_select.evaluate("node => node === document.activeElement")
    holder_select.select_option(str(members[0].pk))
    page.locator(f"tr[data-member='{members[6].pk}'] input[value=excused]").check()

    text = counters.inner_text()
    assert "Présents : 5 · Représentés : 1 · Excusés : 1" in text
    assert "Quorum atteint : 5 présents, il en faut au moins 4 sur 7." in text

    page.click("#attendance-form button.primary")
    assert "Présents (5)" in page.content()
    assert deliberation.attendances.count() == 7
