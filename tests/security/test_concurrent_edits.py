"""Two people edit the same thing: the second save is refused in French, keeps its input,
and the first person's values stay in the database. Nothing is overwritten silently."""

import html
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from activity.models import AnnualReport, QuarterReport
from activity.selectors import report_values
from config.core.formats import NBSP
from conventions.enums import AttendanceStatus
from conventions.funding.services import contribution_save, post_cost_set
from conventions.models import (
    Annex,
    Attendance,
    Contribution,
    Convention,
    CouncilMember,
    Deliberation,
    Post,
    PostCost,
)
from partners.enums import Role
from partners.models import Organisation
from tests.activity.factories import QuarterReportFactory, month_values
from tests.conventions.factories import (
    ContributionFactory,
    CouncilFactory,
    CouncilMemberFactory,
    DeliberationFactory,
    PostCostFactory,
    sitting,
)
from tests.conventions.test_convention_form import page_data
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_departements):
    return two_departements["79"]


@pytest.fixture
def first(world):
    client = Client()
    client.force_login(world["users"][Role.LOCAL_AUTHORITY])
    return client


@pytest.fixture
def second(world):
    """A colleague of the first user, in the same commune, on another computer."""
    colleague = UserFactory(
        organisation=world["users"][Role.LOCAL_AUTHORITY].organisation,
        role=Role.LOCAL_AUTHORITY,
    )
    client = Client()
    client.force_login(colleague)
    return client


def form_values(response) -> dict:
    """What the browser sends back for a plain form as displayed."""
    form = response.context["form"]
    return {
        bound.html_name: "" if bound.value() is None else bound.value()
        for bound in form
        if bound.value() is not None or bound.field.required
    }


# Every edit form, one mechanism ----------------------------------------------------------------


def page(response) -> str:
    """The page as a reader sees it: entities decoded, non-breaking spaces as spaces."""
    return html.unescape(response.content.decode()).replace(NBSP, " ")


class FormReader(HTMLParser):
    """The values each form of a page sends, as a browser would: inputs (checked boxes
    and radios only), text areas and selected options."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict[str, list[str]]] = []
        self.textarea = self.select = None

    def add(self, name, value):
        if self.forms and name:
            self.forms[-1].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.add(attrs.get("name"), attrs.get("value") or "")
        elif tag == "textarea":
            self.textarea, self.text = attrs.get("name"), ""
        elif tag == "select":
            self.select, self.first_option, self.chosen = attrs.get("name"), None, False
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.add(self.select, attrs.get("value", ""))
                self.chosen = True

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            # The browser drops the newline that follows the opening tag.
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "select" and self.select:
            # A select without a selected option sends its first one.
            if not self.chosen and self.first_option is not None:
                self.add(self.select, self.first_option)
            self.select = None


def displayed(response, field: str) -> dict:
    """What the browser sends back, unchanged, from the form of the page that holds ``field``."""
    reader = FormReader()
    reader.feed(response.content.decode())
    form = next(form for form in reader.forms if field in form)
    return {name: values if len(values) > 1 else values[0] for name, values in form.items()}


@dataclass
class Case:
    """One edit form: its page, the field both people change, and where it is stored."""

    url: str
    field: str
    stored: Callable[[], object]
    first: str
    second: str
    # What the refusal names, and what the first person saved, as the message shows them.
    what: str
    shown: str
    form_key: str = "form"
    admin: bool = True
    # How the page answers a refused form: the convention's parts pages say 400, like any
    # form they refuse; the older pages show it again with 200.
    refused_status: int = 200
    # The other fields a consistent input changes with it (the counts of a month).
    with_field: Callable[[str], dict] = lambda value: {}
    # How the test reads the page's form, when the page's script takes part in it (the
    # convention's extra rows): then from the bound form and its formsets.
    read: Callable | None = None

    def displayed(self, response) -> dict:
        return self.read(response) if self.read else displayed(response, self.field)


def convention_case(world):
    convention = world["convention"]
    return Case(
        url=reverse("conventions:edit", args=[convention.reference]),
        field="title",
        stored=lambda: Convention.objects.get(pk=convention.pk).title,
        first="Titre de la première personne",
        second="Titre de la seconde personne",
        what="cette convention",
        shown="→ Titre de la première personne",
        read=page_data,
    )


def contribution_case(world):
    commune = world["convention"].parties.get(organisation__name="Commune 79").organisation
    contribution = ContributionFactory(
        convention=world["convention"], organisation=commune, amount=Decimal("5000")
    )
    return Case(
        url=reverse("conventions:contribution_update", args=[contribution.pk]),
        field="amount",
        stored=lambda: Contribution.objects.get(pk=contribution.pk).amount,
        first="6 000",
        second="4 500",
        what="cette contribution",
        shown="Montant annuel : 5 000 € → 6 000 €",
    )


def quarter_case(world):
    QuarterReportFactory(post=world["post"], filled=True, filled__persons=20)
    return Case(
        url=reverse("activity:quarter_entry", args=[world["post"].pk, 2025, 1]),
        field="m1_personnes_rencontrees",
        stored=lambda: report_values(QuarterReport.objects.get())[1]["personnes_rencontrees"],
        first="21",
        second="25",
        what="ce trimestre",
        # The page also shows, next to each cell, the count saved meanwhile.
        shown="Changé entre-temps : Valeur mensuelle",
        admin=False,
        with_field=lambda persons: {
            f"m1_{code}": value for code, value in month_values(persons=int(persons)).items()
        },
    )


def _deliberation(world):
    commune = world["convention"].parties.get(organisation__name="Commune 79").organisation
    deliberation = DeliberationFactory(council=CouncilFactory(organisation=commune))
    sitting(deliberation, present=5, absent=1)
    return deliberation


def deliberation_case(world):
    deliberation = _deliberation(world)
    return Case(
        url=reverse("conventions:deliberation_edit", args=[deliberation.pk]),
        field="object",
        stored=lambda: Deliberation.objects.get(pk=deliberation.pk).object,
        first="Objet de la première personne",
        second="Objet de la seconde personne",
        what="cette délibération",
        shown="→ Objet de la première personne",
    )


def attendance_case(world):
    deliberation = _deliberation(world)
    absent = deliberation.attendances.get(status=AttendanceStatus.ABSENT).member
    return Case(
        url=reverse("conventions:deliberation_attendance", args=[deliberation.pk]),
        field=f"status_{absent.pk}",
        stored=lambda: Attendance.objects.get(member=absent).status,
        first=AttendanceStatus.EXCUSED,
        second=AttendanceStatus.PRESENT,
        what="la feuille de présence de cette délibération",
        shown="Excusé : ajout",
    )


def council_member_case(world):
    member = CouncilMemberFactory(last_name="DURAND")
    return Case(
        url=reverse("conventions:council_member_edit", args=[member.pk]),
        field="last_name",
        stored=lambda: CouncilMember.objects.get(pk=member.pk).last_name,
        first="DUPONT",
        second="MARTIN",
        what="ce membre du conseil",
        shown="Nom : DUPONT",
    )


def organisation_case(world):
    organisation = world["post"].employer
    return Case(
        url=reverse("partners:edit", args=[organisation.pk]),
        field="city",
        stored=lambda: Organisation.objects.get(pk=organisation.pk).city,
        first="Niort",
        second="Chauray",
        what="cette organisation",
        shown="Commune : NIORT → Niort",
    )


def post_cost_case(world):
    post = world["post"]
    PostCostFactory(post=post, year=2025, total=Decimal("50000"))
    return Case(
        url=reverse("conventions:post_cost_edit", args=[world["convention"].reference, 2025]),
        field="total",
        stored=lambda: PostCost.objects.get(post=post, year=2025).total,
        first="51 000",
        second="49 000",
        what="le coût du poste pour 2025",
        shown="Coût total : 50 000 € → 51 000 €",
    )


def post_case(world):
    post = world["post"]
    return Case(
        url=reverse("conventions:post_edit", args=[post.pk]),
        field="name",
        stored=lambda: Post.objects.get(pk=post.pk).name,
        first="Poste de la première personne",
        second="Poste de la seconde personne",
        what="ce poste",
        shown="→ Poste de la première personne",
    )


def annexes_case(world):
    convention = world["convention"]
    annex = Annex.objects.create(convention=convention, order=1, title="Fiche de poste")
    return Case(
        url=reverse("conventions:annexes", args=[convention.reference]),
        field="annexes-0-title",
        stored=lambda: Annex.objects.get(pk=annex.pk).title,
        first="Annexe de la première personne",
        second="Annexe de la seconde personne",
        what="les annexes de cette convention",
        shown="→ Annexe de la première personne",
        refused_status=400,
    )


def annual_comment_case(world):
    post = world["post"]
    AnnualReport.objects.create(post=post, year=2025, comment="Premier commentaire")
    return Case(
        url=reverse("activity:bilan_post", args=[post.pk, 2025]),
        field="comment",
        stored=lambda: AnnualReport.objects.get(post=post, year=2025).comment,
        first="Commentaire de la première personne",
        second="Commentaire de la seconde personne",
        what="le commentaire de l'année",
        shown="Commentaire de l'année : Commentaire de la première personne",
        form_key="comment_form",
        admin=False,
    )


CASES = [
    convention_case,
    contribution_case,
    quarter_case,
    deliberation_case,
    attendance_case,
    council_member_case,
    organisation_case,
    post_cost_case,
    post_case,
    annexes_case,
    annual_comment_case,
]


def two_people(world, case: Case) -> tuple[Client, Client]:
    if case.admin:
        users = UserFactory(admin=True), UserFactory(admin=True)
    else:
        secretary = world["users"][Role.DDSP_SECRETARIAT]
        users = (
            secretary,
            UserFactory(organisation=secretary.organisation, role=Role.DDSP_SECRETARIAT),
        )
    clients = Client(), Client()
    for client, user in zip(clients, users, strict=True):
        client.force_login(user)
    return clients


@pytest.mark.parametrize("make_case", CASES, ids=lambda make: make.__name__)
def test_the_second_save_is_refused_says_what_changed_and_keeps_both_inputs(world, make_case):
    case = make_case(world)
    first, second = two_people(world, case)
    mine = case.displayed(first.get(case.url))
    theirs = case.displayed(second.get(case.url))
    mine.update({case.field: case.first, **case.with_field(case.first)})
    assert first.post(case.url, mine).status_code == 302
    saved = case.stored()

    theirs.update({case.field: case.second, **case.with_field(case.second)})
    response = second.post(case.url, theirs)
    assert response.status_code == case.refused_status
    content = page(response)
    assert f"Quelqu'un d'autre a enregistré {case.what} pendant votre saisie" in content
    assert "Changé entre-temps" in content
    assert case.shown in content
    assert case.displayed(response)[case.field] == case.second
    assert case.stored() == saved


@pytest.mark.parametrize("make_case", CASES, ids=lambda make: make.__name__)
def test_a_refused_save_can_be_made_again_once_the_changes_are_read(world, make_case):
    case = make_case(world)
    first, second = two_people(world, case)
    mine = case.displayed(first.get(case.url))
    theirs = case.displayed(second.get(case.url))
    mine.update({case.field: case.first, **case.with_field(case.first)})
    assert first.post(case.url, mine).status_code == 302
    saved = case.stored()
    theirs.update({case.field: case.second, **case.with_field(case.second)})
    refused = second.post(case.url, theirs)

    again = case.displayed(refused)
    assert second.post(case.url, again).status_code == 302
    assert case.stored() != saved


def test_a_convention_save_without_its_version_is_refused(first, world):
    url = reverse("conventions:edit", args=[world["convention"].reference])
    data = page_data(first.get(url))
    data.pop("version")
    data["title"] = "Sans version"
    assert first.post(url, data).status_code == 200
    assert Convention.objects.get(pk=world["convention"].pk).title != "Sans version"


def test_the_contribution_service_refuses_an_edit_that_does_not_say_its_version(world):
    contribution_case(world)
    saved = Contribution.objects.get()
    saved.amount = Decimal("1")
    with pytest.raises(ValidationError, match="Quelqu'un d'autre a enregistré"):
        contribution_save(contribution=saved)
    assert Contribution.objects.get().amount == Decimal("5000")


def test_the_first_save_of_a_post_cost_created_meanwhile_is_refused(world):
    post = world["post"]
    post_cost_set(post=post, year=2026, total=Decimal("100"))
    with pytest.raises(ValidationError, match="le coût du poste pour 2026"):
        post_cost_set(post=post, year=2026, total=Decimal("200"), expected_version=None)
    assert PostCost.objects.get(post=post, year=2026).total == Decimal("100")
