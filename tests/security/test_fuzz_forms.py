"""Property tests of every form page: its own form sent back with a few fields
replaced by odd values (random text, huge or negative numbers, impossible
dates, Unicode, empty values, random files).

The answer is a French validation message on the page, or a success whose
next page opens: never a server error. Each request is rolled back.
"""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pdfs import ONE_PAGE_PDF
from tests.security.forms import main_post_form
from tests.security.strategies import english_messages, odd_text
from tests.security.urls import build_url

pytestmark = pytest.mark.django_db

# (page, demo side, an account that may use the form)
FORM_PAGES = [
    ("partners:create", "-", "admin"),
    ("partners:edit", "niort", "admin"),
    ("partners:representative_create", "niort", "admin"),
    ("partners:representative_edit", "ermont", "admin"),
    ("password_change", "-", "ville.niort"),
    ("conventions:create", "-", "ville.niort"),
    ("conventions:edit", "niort", "ville.niort"),
    ("conventions:entry_step", "niort", "ville.niort"),
    ("conventions:create_from", "-", "valparisis"),
    ("conventions:upload_scan", "ermont", "valparisis"),
    ("conventions:amendment_create", "niort", "ville.niort"),
    ("conventions:renewal_create", "ermont", "valparisis"),
    ("conventions:terminate", "niort", "ville.niort"),
    ("conventions:cancel", "ermont", "valparisis"),
    ("conventions:post_holder_change", "niort", "fv79"),
    ("conventions:post_create", "-", "ville.niort"),
    ("conventions:post_edit", "niort", "ville.niort"),
    ("conventions:follow_up", "niort", "ville.niort"),
    ("conventions:annexes", "ermont", "valparisis"),
    ("conventions:associated_partners", "niort", "ville.niort"),
    ("conventions:deliberation_create?conseil", "niort", "ville.niort"),
    ("conventions:deliberation_create?citee", "-", "valparisis"),
    ("conventions:deliberation_edit", "niort", "ville.niort"),
    ("conventions:deliberation_edit", "ermont", "valparisis"),
    ("conventions:deliberation_attendance", "niort", "ville.niort"),
    ("conventions:council_list", "-", "ville.niort"),
    ("conventions:council_detail", "ermont", "valparisis"),
    ("conventions:council_member_edit", "niort", "ville.niort"),
    ("conventions:payment_create", "niort", "ville.niort"),
    ("conventions:payment_cancel", "niort", "ville.niort"),
    ("conventions:payment_proofs", "niort", "ville.niort"),
    ("conventions:contribution_create", "ermont", "valparisis"),
    ("conventions:contribution_update", "ermont", "valparisis"),
    ("conventions:post_cost_edit", "ermont", "valparisis"),
    ("activity:quarter_entry", "niort", "ddsp79"),
    ("activity:month_entry", "ermont", "ddsp95"),
    ("activity:quarter_reopen", "niort", "ddsp79"),
    ("activity:bilan_post", "niort", "fv79"),
]

ERROR_BLOCK = re.compile(
    r'<(?:p|div|ul)[^>]*class="(?:error|form-errors|errorlist)[^"]*"[^>]*>(.*?)</(?:p|div|ul)>',
    re.S,
)

random_file = st.one_of(
    st.binary(max_size=3000).map(lambda data: SimpleUploadedFile("piece.pdf", data)),
    st.builds(lambda: SimpleUploadedFile("piece.pdf", ONE_PAGE_PDF, "application/pdf")),
    st.text(max_size=20).map(lambda name: SimpleUploadedFile(name or "x", b"%PDF-1.4\n")),
)


def error_messages(html: str) -> list[str]:
    return [unescape(re.sub(r"<[^>]+>", " ", block)).strip() for block in ERROR_BLOCK.findall(html)]


@pytest.mark.parametrize(("label", "side", "username"), FORM_PAGES)
def test_a_form_sent_back_with_odd_values_gets_an_answer_in_french(
    client, demo, label, side, username
):
    user = demo.users[username]
    url = build_url(demo, label, side)
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200, f"{username} cannot open {url}"
    form = main_post_form(page.content.decode(), url.split("?")[0])
    names = [name for name in form.names if name != "csrfmiddlewaretoken"]
    changes = st.dictionaries(keys=st.sampled_from(names), values=odd_text, min_size=1, max_size=4)
    files = st.fixed_dictionaries({}, optional=dict.fromkeys(form.files, random_file))

    @settings(
        max_examples=20,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(changes=changes, uploads=files)
    def send(changes, uploads):
        data = {}
        for name, value in form.values:
            if name not in changes:
                data.setdefault(name, []).append(value)
        for name, value in changes.items():
            if name not in form.files:
                data[name] = [value]
        data.update(uploads)
        client.force_login(user)
        with transaction.atomic():
            response = client.post(url, data)
            assert response.status_code < 500
            if response.status_code == 302:
                following = client.get(response["Location"])
                assert following.status_code < 500, response["Location"]
            elif response.status_code in (200, 400):
                # Refused input comes back with its errors (400 on the pages that say so).
                messages = error_messages(response.content.decode())
                assert not english_messages(messages), messages
            transaction.set_rollback(True)

    send()
