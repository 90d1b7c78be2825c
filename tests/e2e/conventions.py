"""Entering a new convention through its six steps, as a user does, for the browser flows.

``create_convention_with_stepper(page, …)`` goes from « Nouvelle convention » to the
convention's page; each ``*_step`` function fills one step and moves on, for a flow that
wants to stop in between (to make a mistake, to check a page). Selects take an option's
value or its label (Playwright matches both).
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from playwright.sync_api import Page, expect


@dataclass(frozen=True)
class PartyEntry:
    organisation: str
    representative: str = ""
    second_side: bool = False
    # The boxes of its roles, by label: « Financeur », « Employeur (autorité hiérarchique) »…
    roles: Sequence[str] = ()
    signed_on: str = ""


@dataclass(frozen=True)
class ContributionEntry:
    funder: str
    source: str
    rule: str = ""
    # Other fields by their label: {"Montant annuel": "25 350", "Première année": "2027"}.
    fields: dict = field(default_factory=dict)


def form_field(within, label: str):
    """A field by its label as shown: a required field's label ends with « * »."""
    return within.get_by_label(re.compile("^" + re.escape(label) + r"( \*)?$"))


def open_tab(page: Page, name: str):
    """Opens a tab of the convention page and returns its panel, once it has settled.

    DSFR shows the tab list as soon as its script starts, then wires each button a frame or
    more later (it marks it ``data-fr-js-tab-button``): a click in between is lost and the
    panel stays closed. Once a tab is chosen, the tabs' height follows the new panel in a
    CSS transition: a click on a link of the panel while it moves may land beside it. A
    user waits for the page to settle; the test waits for both.
    """
    button = page.get_by_role("tab", name=name)
    expect(button).to_have_attribute("data-fr-js-tab-button", "true")
    button.click()
    expect(button).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel", name=name)
    expect(panel).to_be_visible()
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    return panel


def expect_step(page: Page, number: int, title: str):
    stepper = page.locator(".fr-stepper")
    expect(stepper.locator(".fr-stepper__state")).to_have_text(f"Étape {number} sur 6")
    expect(stepper.locator(".fr-stepper__title")).to_contain_text(title)


def next_step(page: Page):
    page.get_by_role("button", name=re.compile("^Enregistrer et (continuer|voir)")).click()


def parties_step(page: Page, *, reference: str, title: str, parties, place: str = ""):
    """Step 1 from « Nouvelle convention »; the local authority's own row is the first."""
    page.goto("/conventions/nouvelle/")
    expect_step(page, 1, "Parties")
    page.get_by_label("Référence").fill(reference)
    page.get_by_role("region", name="Identification").get_by_role(
        "textbox", name="Titre", exact=True
    ).fill(title)
    if place:
        page.get_by_label("Lieu de signature").fill(place)
    region = page.get_by_role("region", name="Parties")
    for _ in range(len(parties) - 1):
        region.get_by_role("button", name="Ajouter une partie").click()
    rows = region.get_by_role("group")
    expect(rows).to_have_count(len(parties))
    for index, party in enumerate(parties):
        row = rows.nth(index)
        row.get_by_label("Organisation").select_option(party.organisation)
        if party.representative:
            row.get_by_label("Représentant à la signature").select_option(party.representative)
        if party.second_side:
            row.get_by_role("combobox", name="Partie", exact=True).select_option(
                label="D'autre part"
            )
        for role in party.roles:
            row.get_by_label(role, exact=True).check()
        if party.signed_on:
            row.get_by_label("Date de signature").fill(party.signed_on)


def posts_step(page: Page, posts: Sequence[str]):
    expect_step(page, 2, "Poste(s)")
    boxes = page.get_by_role("group", name=re.compile("^Postes d'ISC"))
    for name in posts:
        boxes.get_by_label(name).check()


def text_step(page: Page, *, references=(), articles=()):
    expect_step(page, 3, "Texte")
    visas = page.get_by_role("region", name="Visas (Vu, Considérant)")
    for _ in range(len(references) - 1):
        visas.get_by_role("button", name="Ajouter un visa").click()
    for index, (kind, text) in enumerate(references):
        row = visas.get_by_role("group").nth(index)
        row.get_by_label("Type").select_option(label=kind)
        row.get_by_label("Texte").fill(text)
        row.get_by_label("Ordre").fill(str(index + 1))
    region = page.get_by_role("region", name="Articles")
    for _ in range(len(articles) - 1):
        region.get_by_role("button", name="Ajouter un article").click()
    for index, (article_title, body) in enumerate(articles):
        row = region.get_by_role("group").nth(index)
        row.get_by_label("Numéro").fill(str(index + 1))
        row.get_by_label("Titre").fill(article_title)
        row.get_by_label("Texte").fill(body)


def duration_step(page: Page, *, start: str = "", end: str = "", years: int | None = None):
    expect_step(page, 4, "Durée et reconduction")
    if start:
        page.get_by_role("combobox", name="Prise d'effet", exact=True).select_option(
            label="À une date indiquée"
        )
        page.get_by_label("Date de prise d'effet indiquée").fill(start)
    if end:
        page.get_by_label("Date de fin écrite").fill(end)
    if years is not None:
        page.get_by_label("Durée (années)").fill(str(years))


def funding_step(page: Page, contributions: Sequence[ContributionEntry] = ()):
    """Adds each contribution, then « Continuer »."""
    expect_step(page, 5, "Financement")
    for index, contribution in enumerate(contributions):
        form_field(page, "Financeur").select_option(contribution.funder)
        form_field(page, "Source de financement").fill(contribution.source)
        if contribution.rule:
            form_field(page, "Règle").select_option(label=contribution.rule)
        for label, value in contribution.fields.items():
            element = form_field(page, label)
            if element.evaluate("e => e.tagName") == "SELECT":
                element.select_option(value)
            else:
                element.fill(value)
        page.get_by_role("button", name="Ajouter la contribution").click()
        saved = page.get_by_role("region", name="Contributions enregistrées")
        expect(saved.locator("tbody tr")).to_have_count(index + 1)
    page.get_by_role("button", name="Continuer").click()


def reporting_step(page: Page, reporting=()):
    """``reporting``: (kind, period, day, month), as « Bilan annuel », « Année », 15, « avril »."""
    expect_step(page, 6, "Suivi")
    region = page.get_by_role("region", name="Comptes rendus et échéances")
    for _ in range(len(reporting) - 1):
        region.get_by_role("button", name="Ajouter une échéance").click()
    for index, (kind, period, day, month) in enumerate(reporting):
        row = region.get_by_role("group").nth(index)
        form_field(row, "Type").select_option(label=kind)
        form_field(row, "Période couverte").select_option(label=period)
        if day:
            form_field(row, "Jour d'échéance").fill(str(day))
            form_field(row, "Mois d'échéance").select_option(label=month)


def finish(page: Page, title: str):
    expect(page.get_by_role("heading", name="Récapitulatif")).to_be_visible()
    page.get_by_role("button", name="Terminer").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def create_convention_with_stepper(
    page: Page,
    *,
    reference: str,
    title: str,
    parties: Sequence[PartyEntry],
    posts: Sequence[str] = (),
    place: str = "",
    references=(),
    articles=(),
    start: str = "",
    end: str = "",
    years: int | None = None,
    contributions: Sequence[ContributionEntry] = (),
    reporting=(),
    on_step: Callable[[Page, str], None] | None = None,
):
    """The whole entry, ending on the convention's page. ``on_step(page, name)`` is called
    on each page once filled, before it is sent (an axe check, a screenshot): names are
    « parties », « postes », « texte », « duree », « financement », « suivi »,
    « recapitulatif »."""
    seen = on_step or (lambda page, name: None)
    parties_step(page, reference=reference, title=title, parties=parties, place=place)
    seen(page, "parties")
    next_step(page)
    posts_step(page, posts)
    seen(page, "postes")
    next_step(page)
    text_step(page, references=references, articles=articles)
    seen(page, "texte")
    next_step(page)
    duration_step(page, start=start, end=end, years=years)
    seen(page, "duree")
    next_step(page)
    seen(page, "financement")
    funding_step(page, contributions)
    reporting_step(page, reporting)
    seen(page, "suivi")
    next_step(page)
    seen(page, "recapitulatif")
    finish(page, title)
