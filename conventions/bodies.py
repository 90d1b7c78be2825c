"""How each deliberating body is written in its register: one row per body.

The register extract, the deliberation pages and the attendance sheet read this
table and nothing else: « EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS DU COMITÉ
SYNDICAL », « LE COMITÉ SYNDICAL ADOPTE », « 12 délégués en exercice ». A body
« Autre » is written from the label its council gives (« l'assemblée générale »),
never as « autre assemblée ».
"""

from dataclasses import dataclass

from conventions.enums import DeliberatingBody
from partners.enums import OrganisationKind

# The article a label starts with, and the same article after « de ».
ARTICLES = (("l'", "de l'"), ("l’", "de l’"), ("les ", "des "), ("le ", "du "), ("la ", "de la "))

LABEL_HELP = (
    "Le nom de l'assemblée avec son article, comme les documents doivent l'écrire, par "
    "exemple « l'assemblée générale » ou « le conseil de surveillance »."
)


@dataclass(frozen=True, kw_only=True)
class BodyWording:
    # "le comité syndical": the body with its article, in lower case.
    the_body: str
    # Who decides in the register: "le conseil" (the Niort register), "le comité syndical".
    decider: str
    # Its members, plural: "délégués", "administrateurs", "conseillers".
    members: str

    @property
    def name(self) -> str:
        """ "comité syndical": without its article."""
        return split_article(self.the_body)[1]

    @property
    def of_body(self) -> str:
        """ "du comité syndical", "de la commission permanente"."""
        article, name = split_article(self.the_body)
        return dict(ARTICLES).get(article, "de ") + name

    @property
    def register_title(self) -> str:
        """ "Extrait du registre des délibérations du comité syndical"."""
        return f"Extrait du registre des délibérations {self.of_body}"

    @property
    def register_heading(self) -> str:
        return self.register_title.upper()

    def session_heading(self, day: str) -> str:
        """ "COMITÉ SYNDICAL DU 20 septembre 2021", as the register heads the act."""
        return f"{self.name.upper()} DU {day}"

    def result(self, adopted: bool) -> str:
        """ "LE COMITÉ SYNDICAL ADOPTE"."""
        return f"{self.decider.upper()} {'ADOPTE' if adopted else 'REJETTE'}"

    @property
    def members_in_office(self) -> str:
        """ "délégués en exercice"."""
        return f"{self.members} en exercice"


def split_article(label: str) -> tuple[str, str]:
    """("l'", "assemblée générale") from "l'assemblée générale"; ("", label) without one."""
    lowered = label.lower()
    for article, _ in ARTICLES:
        if lowered.startswith(article):
            return article, label[len(article) :]
    return "", label


def label_problem(label: str) -> str:
    """What is wrong with the label of a body « Autre », in French; empty when it will do."""
    if not label.strip():
        return "Pour une assemblée « Autre », écrivez son nom. " + LABEL_HELP
    article, name = split_article(label.strip())
    if not article or not name.strip():
        return "Commencez par l'article (le, la, l' ou les). " + LABEL_HELP
    return ""


BODIES: dict[str, BodyWording] = {
    DeliberatingBody.MUNICIPAL_COUNCIL: BodyWording(
        the_body="le conseil municipal", decider="le conseil", members="conseillers"
    ),
    DeliberatingBody.COMMUNITY_COUNCIL: BodyWording(
        the_body="le conseil communautaire", decider="le conseil", members="conseillers"
    ),
    DeliberatingBody.COMMUNITY_BUREAU: BodyWording(
        the_body="le bureau communautaire", decider="le bureau communautaire", members="conseillers"
    ),
    DeliberatingBody.SYNDICATE_COMMITTEE: BodyWording(
        the_body="le comité syndical", decider="le comité syndical", members="délégués"
    ),
    DeliberatingBody.DEPARTEMENT_COUNCIL: BodyWording(
        the_body="le conseil départemental", decider="le conseil", members="conseillers"
    ),
    DeliberatingBody.REGIONAL_COUNCIL: BodyWording(
        the_body="le conseil régional", decider="le conseil régional", members="conseillers"
    ),
    DeliberatingBody.STANDING_COMMITTEE: BodyWording(
        the_body="la commission permanente",
        decider="la commission permanente",
        members="conseillers",
    ),
    DeliberatingBody.BOARD: BodyWording(
        the_body="le conseil d'administration",
        decider="le conseil d'administration",
        members="administrateurs",
    ),
}


def body_wording(body: str, label: str = "") -> BodyWording:
    """The wording of ``body``; for « Autre », built from the council's ``label``."""
    if body in BODIES:
        return BODIES[body]
    the_body = label.strip() or "l'assemblée délibérante"
    the_body = the_body[:1].lower() + the_body[1:]
    return BodyWording(the_body=the_body, decider=the_body, members="membres")


# The assembly that usually deliberates for each kind of organisation: a PETR is a
# syndicat mixte (L5741-1), a GIP, a hospital, a CAF, a CCAS and a social landlord have a
# board. The others (the State, the police…) do not deliberate: a body is chosen by hand.
USUAL_BODY = {
    OrganisationKind.COMMUNE: DeliberatingBody.MUNICIPAL_COUNCIL,
    OrganisationKind.EPCI: DeliberatingBody.COMMUNITY_COUNCIL,
    OrganisationKind.PETR: DeliberatingBody.SYNDICATE_COMMITTEE,
    OrganisationKind.MIXED_SYNDICATE: DeliberatingBody.SYNDICATE_COMMITTEE,
    OrganisationKind.DEPARTEMENT: DeliberatingBody.DEPARTEMENT_COUNCIL,
    OrganisationKind.REGION: DeliberatingBody.REGIONAL_COUNCIL,
    OrganisationKind.SOCIAL_ACTION_CENTRE: DeliberatingBody.BOARD,
    OrganisationKind.PUBLIC_INTEREST_GROUP: DeliberatingBody.BOARD,
    OrganisationKind.HOSPITAL: DeliberatingBody.BOARD,
    OrganisationKind.FAMILY_ALLOWANCE_FUND: DeliberatingBody.BOARD,
    OrganisationKind.SOCIAL_LANDLORD: DeliberatingBody.BOARD,
}


def usual_body(kind: str) -> str:
    """The body a council of an organisation of ``kind`` most likely is; the municipal
    council when nothing better is known."""
    return USUAL_BODY.get(kind, DeliberatingBody.MUNICIPAL_COUNCIL)
