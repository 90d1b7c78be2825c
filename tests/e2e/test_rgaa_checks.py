"""The RGAA checks that axe cannot make: zoom 200 % without horizontal scrolling, a visible
focus in the page order, the skip link. (Keyboard entry of the statistics grid and of the
attendance sheet is covered by their flows.)"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conventions.models import Deliberation, Post
from partners.models import User

# The focused element: its name (for a failure), whether its outline shows, whether it
# comes after the element focused before it in the page.
DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  // The DSFR draws the ring of a link that enlarges to its block (the header's brand,
  // tiles, cards) on the link's ::before, which covers the block.
  const ringed = (style) => style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const previous = window.lastFocused;
  window.lastFocused = el;
  return {
    name: el.tagName.toLowerCase() + " " + (el.innerText || el.name || el.id || "").slice(0, 40),
    isBody: el === document.body,
    outline: ringed(getComputedStyle(el)) || ringed(getComputedStyle(el, "::before")),
    forward:
      !previous || !!(previous.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING),
    inMain: !!el.closest("main"),
  };
}"""


def main_pages(username):
    niort = Post.objects.get(name="ISC du commissariat de Niort")
    commune = User.objects.get(username="ville.niort").organisation
    deliberation = Deliberation.objects.get(number="D-2021-313").get_absolute_url()
    pages = {
        "ville.niort": [
            "/",
            "/conventions/",
            "/conventions/niort-2021/",
            "/conventions/nouvelle/",
            "/conventions/niort-2021/modifier/",
            "/conventions/deliberations/",
            deliberation,
            f"{deliberation}presences/",
            "/conventions/deliberations/nouvelle/",
            "/conventions/financements/",
            "/conventions/financements/niort-2021/",
            "/partenaires/",
            f"/conventions/postes/{niort.pk}/",
            # The convention's parts, the post form, the team's pages and its import.
            reverse("conventions:follow_up", args=["niort-2021"]),
            reverse("conventions:annexes", args=["niort-2021"]),
            reverse("conventions:associated_partners", args=["niort-2021"]),
            reverse("conventions:post_create"),
            reverse("conventions:post_edit", args=[niort.pk]),
            reverse("partners:create"),
            reverse("partners:team_invite", args=[commune.pk]),
        ],
        "ddsp79": [
            "/statistiques/tableau/?annee=2026",
            f"/statistiques/postes/{niort.pk}/2026/t3/saisie/",
            f"/statistiques/postes/{niort.pk}/2026/t4/saisie/",
            f"/statistiques/bilans/postes/{niort.pk}/2025/",
            "/statistiques/bilans/departements/79/2026/",
            reverse("activity:statistics_import", args=[niort.pk]),
        ],
        "admin": [reverse("conventions:posts_import"), reverse("partners:import")],
        "intervenant.niort": [f"/statistiques/postes/{niort.pk}/2026/mois-10/saisie/"],
    }
    return pages[username]


@pytest.mark.parametrize("username", ["ville.niort", "ddsp79", "intervenant.niort", "admin"])
def test_main_pages_need_no_horizontal_scrolling_at_200_percent_zoom(page, login, username):
    login(username)
    # 1280 × 800 at 200 %: the page lays out in 640 × 400 CSS pixels. Wide tables scroll
    # within themselves (the RGAA exception for data tables), never the page.
    page.set_viewport_size({"width": 640, "height": 400})
    too_wide = []
    for path in main_pages(username):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 640:
            too_wide.append(f"{path} ({width} px)")
    assert too_wide == []


@pytest.mark.parametrize(
    "username,path",
    [
        ("ville.niort", "/conventions/nouvelle/"),
        ("ville.niort", "/conventions/financements/niort-2021/"),
        ("ville.niort", "/conventions/niort-2021/suivi/"),
        ("ville.niort", "/conventions/postes/nouveau/"),
        ("ddsp79", "/statistiques/tableau/?annee=2026"),
    ],
)
def test_the_keyboard_focus_is_visible_and_follows_the_page_order(page, login, username, path):
    login(username)
    page.goto(path)
    hidden, backwards = [], []
    for _ in range(30):
        page.keyboard.press("Tab")
        focus = page.evaluate(DESCRIBE_FOCUS)
        if focus["isBody"]:  # past the last element: the browser's own controls
            break
        if not focus["outline"]:
            hidden.append(focus["name"])
        if not focus["forward"]:
            backwards.append(focus["name"])
    assert hidden == []
    assert backwards == []


def test_the_first_tab_offers_to_skip_to_the_content(page, login):
    login("ville.niort")
    page.get_by_role("link", name="Conventions", exact=True).click()
    # The first Tab goes to the new page, not to the one being left.
    page.wait_for_url("**/conventions/")
    page.wait_for_load_state()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is the page's first link, not the header or the navigation again.
    assert page.evaluate(DESCRIBE_FOCUS)["inMain"]
