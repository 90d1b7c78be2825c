"""Flow (issue #20, item 6): a new commune starts on its own.

The national administrator creates the commune and invites its first referent through the
pages. From then on she does everything herself, as a user would: she reads the invitation
in the test mailbox (a real SMTP server on loopback), chooses her password, logs in,
creates the partners her convention needs and their representatives, the post, the
convention, its funding, its follow-up committee and reporting rules, an annex, then the
council's deliberation that approves it, and ends on the convention page and its PDF.
"""

import io
import re
from urllib.parse import urlsplit

from playwright.sync_api import expect
from pypdf import PdfReader
from stdnum import luhn

from tests.e2e.conventions import (
    ContributionEntry,
    PartyEntry,
    duration_step,
    finish,
    funding_step,
    next_step,
    open_tab,
    parties_step,
    posts_step,
    reporting_step,
    text_step,
)

AGENT_EMAIL = "agent.conventions@bressuire.example"
AGENT_PASSWORD = "Bocage-ISC-2027!"  # noqa: S105 (the test's own account)
REFERENCE = "bressuire-2027"


def siret(prefix: str) -> str:
    """A SIRET that the official check accepts (fictitious, as the demo's)."""
    siren = prefix.ljust(8, "0")[:8]
    base = siren + luhn.calc_check_digit(siren) + "0001"
    return base + luhn.calc_check_digit(base)


def log_out(page):
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_load_state()


def create_organisation(
    page, *, name, short_name, kind, siret_number, city, rna="", departement=""
):
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Partenaires"
    ).click()
    page.get_by_role("link", name="Ajouter une organisation").click()
    expect(page.get_by_role("heading", name="Nouvelle organisation", level=1)).to_be_visible()
    page.get_by_role("textbox", name="Nom", exact=True).fill(name)
    page.get_by_label("Nom court").fill(short_name)
    page.get_by_role("combobox", name="Type", exact=True).select_option(label=kind)
    if departement:  # A local authority's partners are of its own département.
        page.get_by_role("textbox", name="Département").fill(departement)
    page.get_by_label("SIRET").fill(siret_number)
    if rna:
        page.get_by_label("Numéro RNA").fill(rna)
    page.get_by_role("textbox", name="Adresse", exact=True).fill("1 place de l'Hôtel de Ville")
    page.get_by_label("Code postal").fill("79300")
    page.get_by_role("textbox", name="Commune", exact=True).fill(city)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(page.get_by_text(f"L'organisation « {name} » a été créée.")).to_be_visible()


def add_representative(page, *, title, civility="", first_name="", last_name="", acting=False):
    """From the organisation's page."""
    page.get_by_role("link", name="Ajouter un représentant").click()
    expect(page.get_by_role("heading", name="Nouveau représentant")).to_be_visible()
    page.get_by_label("Civilité").select_option(label=civility or "Non connue")
    page.get_by_role("textbox", name="Prénom", exact=True).fill(first_name)
    page.get_by_role("textbox", name="Nom", exact=True).fill(last_name)
    page.get_by_role("textbox", name="Qualité", exact=True).fill(title)
    if acting:
        page.get_by_label("Par intérim").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("a été ajouté")).to_be_visible()


def create_convention_through_pages(page, *, reference, title, post, parties, employer):
    """The six entry steps (tests/e2e/conventions.py): parties, post, text, duration and
    renewal, the commune's contribution, then the summary and « Terminer ».

    ``parties``: (organisation, representative as offered, other side?) in order;
    ``employer``: the organisation among them that employs the social worker. The
    committee and the reporting rules are left for the convention's own pages, which the
    flow goes to afterwards. Ends on the convention's page."""
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Conventions"
    ).click()
    page.get_by_role("link", name="Nouvelle convention", exact=True).click()
    entries = [
        PartyEntry(
            organisation,
            representative,
            second_side=other_side,
            roles=("Employeur (autorité hiérarchique)",) if organisation == employer else (),
        )
        for organisation, representative, other_side in parties
    ]
    parties_step(page, reference=reference, title=title, parties=entries, place="Bressuire")
    next_step(page)
    posts_step(page, [post])
    next_step(page)
    text_step(
        page,
        articles=[
            ("Objet", "La présente convention organise le poste d'intervenant social."),
            ("Durée", "La convention est conclue pour trois ans à compter du 1er janvier 2027."),
        ],
    )
    next_step(page)
    duration_step(page, start="2027-01-01", end="2029-12-31", years=3)
    page.get_by_role("combobox", name="Reconduction", exact=True).select_option(label="Tacite")
    page.get_by_label("Durée d'une reconduction (années)").fill("1")
    page.get_by_label("Préavis de dénonciation (mois)").fill("3")
    next_step(page)
    funding_step(
        page,
        [
            ContributionEntry(
                "Commune de Bressuire",
                "Budget communal",
                rule="Montant fixe par an",
                fields={
                    "Montant annuel": "12 000",
                    "Première année": "2027",
                    "Dernière année": "2029",
                },
            )
        ],
    )
    reporting_step(page)
    next_step(page)
    finish(page, title)


def test_a_new_commune_invited_by_email_sets_up_its_convention_on_its_own(
    page, login, live_server, settings, smtp_mailbox
):
    settings.SITE_URL = live_server.url
    navigation = page.get_by_role("navigation", name="Navigation principale")

    # The national administrator creates the commune and invites its first referent.
    login("admin")
    create_organisation(
        page,
        name="Commune de Bressuire",
        short_name="Ville de Bressuire",
        kind="Commune",
        siret_number=siret("21790049"),
        city="BRESSUIRE",
        departement="79",
    )
    page.get_by_role("link", name="Équipe et invitations").click()
    page.get_by_role("link", name="Inviter un collègue").click()
    page.get_by_label("Adresse électronique").fill(AGENT_EMAIL)
    page.get_by_label("Prénom").fill("Agathe")
    page.get_by_role("textbox", name="Nom", exact=True).fill("Conventions")
    page.get_by_role("radio", name="Collectivité").check()
    page.get_by_label("Référent de l'organisation").check()
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text(f"L'invitation a été envoyée à {AGENT_EMAIL}")).to_be_visible()
    log_out(page)

    # Nothing more from the administrator: the agent reads her mail.
    (body,) = smtp_mailbox.bodies_to(AGENT_EMAIL)
    assert "Commune de Bressuire" in body
    link = re.search(r"https?://\S+/invitation/\S+/", body).group(0)
    page.goto(urlsplit(link).path)
    expect(page.get_by_role("heading", name="Ouvrir votre compte")).to_be_visible()
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill(AGENT_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(AGENT_PASSWORD)
    page.get_by_role("button", name="Choisir ce mot de passe et entrer").click()
    expect(page.get_by_text("Bienvenue : votre compte est ouvert.")).to_be_visible()
    # The link is spent, and the password is hers: she logs in again with it.
    log_out(page)
    spent = page.request.get(urlsplit(link).path)
    assert spent.status == 404
    assert "Si votre compte est déjà ouvert, connectez-vous" in spent.text()
    login(AGENT_EMAIL, AGENT_PASSWORD)
    expect(navigation.get_by_role("link", name="Conventions")).to_be_visible()

    # Her commune's mayor, then the partners she needs and who represents them.
    navigation.get_by_role("link", name="Partenaires").click()
    page.get_by_label("Rechercher").fill("Bressuire")
    page.get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Commune de Bressuire").click()
    add_representative(
        page, civility="Monsieur", first_name="Paul", last_name="Bocage", title="Maire"
    )
    create_organisation(
        page,
        name="Communauté d'agglomération du Bocage Bressuirais",
        short_name="Agglo2B",
        kind="EPCI (intercommunalité)",
        siret_number=siret("20004054"),
        city="BRESSUIRE",
    )
    add_representative(
        page,
        first_name="Lou",
        last_name="Haie",
        title="Président de la Communauté d'agglomération",
        acting=True,
    )
    create_organisation(
        page,
        name="Association Aide aux victimes du Bocage",
        short_name="AVB",
        kind="Association",
        siret_number=siret("41234567"),
        rna="W791000999",
        city="BRESSUIRE",
    )
    # Civility not known: the documents write neither « M. » nor « Mme ».
    add_representative(page, first_name="Sam", last_name="Chêne", title="Président")
    representatives = page.get_by_role("table").first
    expect(representatives).to_contain_text("Sam CHÊNE")

    # The post: its site, force, FTE, employer and functional authority.
    navigation.get_by_role("link", name="Postes").click()
    page.get_by_role("link", name="Nouveau poste").click()
    page.get_by_label("Intitulé").fill("ISC du commissariat de Bressuire")
    page.get_by_label("ETP").fill("1")
    page.get_by_label("Employeur (autorité hiérarchique)").select_option(
        label="Association Aide aux victimes du Bocage (79)"
    )
    page.get_by_label("Type de site du site 1").select_option(label="Commissariat")
    page.get_by_label("Nom du site du site 1").fill("Commissariat de Bressuire")
    page.get_by_label("Force du site 1").select_option(label="Police nationale")
    page.get_by_label("Autorité fonctionnelle du site 1").select_option(
        label="Direction Départementale de la Sécurité Publique des Deux-Sèvres"
    )
    page.get_by_role("button", name="Créer le poste").click()
    expect(
        page.get_by_text("Le poste « ISC du commissariat de Bressuire » est créé.")
    ).to_be_visible()

    create_convention_through_pages(
        page,
        reference=REFERENCE,
        title="Convention ISC de Bressuire 2027-2029",
        post="ISC du commissariat de Bressuire",
        parties=[
            ("Commune de Bressuire", "M. Paul BOCAGE, Maire (Ville de Bressuire)", False),
            (
                "Préfecture des Deux-Sèvres",
                "M. Emmanuel AUBRY, Préfet des Deux-Sèvres (Préfecture 79)",
                False,
            ),
            (
                "Communauté d'agglomération du Bocage Bressuirais",
                "Lou HAIE, Président de la Communauté d'agglomération (Agglo2B)",
                False,
            ),
            (
                "Association Aide aux victimes du Bocage",
                "Sam CHÊNE, Président (AVB)",
                True,
            ),
        ],
        employer="Association Aide aux victimes du Bocage",
    )

    # Funding: the commune's fixed amount a year, entered at step 5, is in the plan.
    open_tab(page, "Financement")
    page.get_by_role("link", name="Voir le plan de financement").click()
    expect(page.get_by_role("heading", name="Plan de financement")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(re.compile(r"12\s000\s€"))

    # The follow-up committee and the reporting rules, from the convention's page.
    page.goto(f"/conventions/{REFERENCE}/")
    open_tab(page, "Statistiques et suivi")
    page.get_by_role("link", name="Modifier le comité de suivi").click()
    committee = page.get_by_role("region", name="Comité de suivi")
    expect(committee).to_contain_text("Aucun membre du comité de suivi pour l'instant.")
    expect(committee.get_by_role("group")).to_have_count(0)
    committee.get_by_role("button", name="Ajouter un membre").click()
    member = committee.get_by_role("group").nth(0)
    member.get_by_label("Ordre").fill("1")
    member.get_by_label("Organisation").select_option(label="Commune de Bressuire")
    member.get_by_label("Représentant").select_option(
        label="M. Paul BOCAGE, Maire (Ville de Bressuire)"
    )
    committee.get_by_role("button", name="Ajouter un membre").click()
    member = committee.get_by_role("group").nth(1)
    member.get_by_label("Ordre").fill("2")
    member.get_by_label("Organisation").select_option(label="Préfecture des Deux-Sèvres")
    member.get_by_label("Membre").fill("Monsieur le Préfet ou son représentant")
    reporting = page.get_by_role("region", name="Comptes rendus et échéances")
    reporting.get_by_role("button", name="Ajouter une échéance").click()
    rule = reporting.get_by_role("group").nth(0)
    rule.get_by_label("Type").select_option(index=1)
    rule.get_by_label("Période couverte").select_option(index=1)
    rule.get_by_label("Jour d'échéance").fill("15")
    rule.get_by_label("Mois d'échéance").select_option(label="avril")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le suivi de la convention est enregistré.")).to_be_visible()

    open_tab(page, "Texte et avenants")
    page.get_by_role("link", name="Modifier les annexes").click()
    page.get_by_role("button", name="Ajouter une annexe").click()
    annex = page.get_by_role("region", name="Annexes").get_by_role("group").nth(0)
    annex.get_by_label("Ordre").fill("2")
    annex.get_by_label("Titre").fill("Fiche de poste")
    annex.get_by_label("Texte").fill("L'intervenant reçoit au commissariat de Bressuire.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Les annexes sont enregistrées.")).to_be_visible()

    # The municipal council, its members, and the deliberation that approves the convention.
    navigation.get_by_role("link", name="Délibérations").click()
    page.get_by_role("link", name="Conseils et membres").click()
    page.get_by_role("combobox", name="Assemblée", exact=True).select_option(
        label="Conseil municipal"
    )
    page.get_by_label("Début du mandat (année)").fill("2026")
    page.get_by_label("Fin du mandat (année)").fill("2032")
    page.get_by_role("button", name="Créer le conseil").click()
    page.get_by_label("Membres à ajouter").fill(
        "\n".join(
            f"{civility} {first} {last}"
            for civility, first, last in [
                ("Monsieur", "Paul", "BOCAGE"),
                ("Madame", "Alix", "ORME"),
                ("Monsieur", "Noé", "FRÊNE"),
                ("Madame", "Inès", "SAULE"),
                ("Monsieur", "Hugo", "TILLEUL"),
            ]
        )
    )
    page.get_by_role("button", name="Ajouter", exact=True).click()
    expect(page.get_by_role("rowheader", name="Madame Alix ORME")).to_be_visible()

    navigation.get_by_role("link", name="Délibérations").click()
    page.get_by_role("link", name="Nouvelle délibération").click()
    seance = page.get_by_role("group", name="Séance et objet")
    seance.get_by_label("Numéro").fill("D-2026-42")
    seance.get_by_label("Date de la séance").fill("2026-11-20")
    seance.get_by_label("Objet").fill("Convention de partenariat pour un intervenant social")
    bureau = page.get_by_role("group", name="Bureau de séance et rapport")
    bureau.get_by_label("Président de séance").select_option(label="Paul BOCAGE")
    bureau.get_by_role("group", name="Secrétaire(s) de séance").get_by_role(
        "checkbox", name="Alix ORME"
    ).check()
    page.get_by_label("Texte de la décision 1").fill("approuver la convention de partenariat ;")
    vote = page.get_by_role("group", name="Vote", exact=True)
    vote.get_by_label("Pour").fill("5")
    vote.get_by_label("Contre").fill("0")
    vote.get_by_label("Abstention").fill("0")
    vote.get_by_label("Ne prend pas part au vote").fill("0")
    vote.get_by_label("Résultat").select_option(label="Adoptée")
    page.get_by_role("group", name="Conventions et montants").get_by_role(
        "checkbox", name=REFERENCE
    ).check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Feuille de présence")).to_be_visible()
    page.get_by_role("button", name="Marquer présents tous les membres non renseignés").click()
    expect(page.locator("#attendance-counters")).to_contain_text("Présents : 5")
    page.get_by_role("button", name="Enregistrer la feuille de présence").click()
    expect(page.get_by_role("heading", name="Délibération n° D-2026-42")).to_be_visible()
    checks = page.get_by_role("region", name="Vérifications")
    expect(checks).to_contain_text("Conforme : Quorum atteint")
    expect(checks).to_contain_text("Conforme : Résultat conforme aux votes : 5 voix pour")
    expect(checks).not_to_contain_text("Non conforme")

    # The convention's page shows it all.
    page.goto(f"/conventions/{REFERENCE}/")
    expect(
        page.get_by_role("heading", name="Convention ISC de Bressuire 2027-2029", level=1)
    ).to_be_visible()

    parties = open_tab(page, "Parties et postes")
    for organisation in (
        "Commune de Bressuire",
        "Préfecture des Deux-Sèvres",
        "Communauté d'agglomération du Bocage Bressuirais",
        "Association Aide aux victimes du Bocage",
    ):
        expect(parties.get_by_role("rowheader", name=organisation)).to_be_visible()
    expect(parties).to_contain_text("ISC du commissariat de Bressuire")
    expect(open_tab(page, "Texte et avenants")).to_contain_text("Fiche de poste")
    # 12 000 € a year for three years.
    expect(open_tab(page, "Financement")).to_contain_text(
        re.compile(r"Total attendu sur 3 ans : 36\s000\s€")
    )
    deliberations = open_tab(page, "Délibérations")
    expect(deliberations.get_by_role("listitem")).to_contain_text(
        "Délibération n° D-2026-42 du 20/11/2026 : Convention de partenariat pour un "
        "intervenant social Adoptée"
    )
    follow_up = open_tab(page, "Statistiques et suivi")
    expect(follow_up).to_contain_text("Le Maire ou son représentant : M. Paul BOCAGE")
    expect(follow_up).to_contain_text("Monsieur le Préfet ou son représentant")
    expect(follow_up).to_contain_text("le 15 avril")

    link = page.get_by_role("link", name="Convention (PDF)")
    response = page.request.get(link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    for expected in (
        "Commune de Bressuire",
        "Paul BOCAGE",
        "Lou HAIE",
        "par intérim",
        "Sam CHÊNE",
        "conclue pour trois ans",
    ):
        assert expected in text, expected
