"""A convention's parts from the site (issue #20, item 4): the follow-up committee and
the reporting rules, the annexes, the associated partners, each on its own page from
the convention page, for who may edit the convention."""

import pytest
from django.urls import reverse

from config.core.idempotency import SUBMISSION_FIELD, new_token
from conventions.models import Annex, AssociatedPartner, CommitteeMember, ReportingRule
from partners.enums import Role
from tests.conventions.factories import ConventionFactory
from tests.partners.factories import OrganisationFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def url(name, convention):
    return reverse(f"conventions:{name}", args=[convention.reference])


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": total,
        f"{prefix}-INITIAL_FORMS": initial,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 40,
    }


def rows(prefix, values, saved=()):
    """``values``: one dict a row, the saved rows first (``saved``: their ids)."""
    data = management(prefix, len(values), len(saved))
    for index, row in enumerate(values):
        if index < len(saved):
            data[f"{prefix}-{index}-id"] = saved[index]
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = value
    return data


def follow_up_data(convention, committee=(), reporting=(), *, saved_committee=(), **extra):
    return {
        "version": convention.version,
        **rows("committee", committee, saved_committee),
        **rows("reporting", reporting),
        **extra,
    }


@pytest.fixture
def world(two_departements):
    return two_departements


@pytest.fixture
def convention(world):
    return world["79"]["convention"]


@pytest.fixture
def local_authority(world):
    return world["79"]["users"][Role.LOCAL_AUTHORITY]


@pytest.fixture
def prefecture(convention):
    return convention.parties.get(order=0).organisation


# The follow-up page ------------------------------------------------------------------


def test_a_local_authority_sets_the_committee_and_the_due_dates_of_its_convention(
    client, local_authority, convention, prefecture
):
    client.force_login(local_authority)
    assert client.get(url("follow_up", convention)).status_code == 200
    response = client.post(
        url("follow_up", convention),
        follow_up_data(
            convention,
            committee=[
                {
                    "order": 1,
                    "organisation": prefecture.pk,
                    "member": "Monsieur le Préfet ou son représentant",
                }
            ],
            reporting=[
                {"kind": "annual", "period": "year", "due_day": 7, "due_month": 1},
                {"kind": "review", "period": "year", "due_day": "", "due_month": ""},
            ],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == convention.get_absolute_url()
    member = CommitteeMember.objects.get(convention=convention)
    assert (member.organisation, member.member) == (
        prefecture,
        "Monsieur le Préfet ou son représentant",
    )
    annual = ReportingRule.objects.get(convention=convention, kind="annual")
    assert (annual.due_day, annual.due_month) == (7, 1)
    page = client.get(convention.get_absolute_url()).content.decode()
    assert "Monsieur le Préfet ou son représentant" in page
    assert "le 7 janvier" in page
    # The convention's history tells it, and who did it.
    assert "Membre du comité de suivi : Monsieur le Préfet ou son représentant" in page


def test_a_due_day_without_its_month_is_refused_next_to_the_month(
    client, local_authority, convention
):
    client.force_login(local_authority)
    response = client.post(
        url("follow_up", convention),
        follow_up_data(
            convention,
            reporting=[{"kind": "annual", "period": "year", "due_day": 7, "due_month": ""}],
        ),
    )
    assert response.status_code == 400
    formset = response.context["formsets"][1][0]
    assert formset.forms[0].errors["due_month"] == [
        "Indiquez le jour et le mois de l'échéance, ou aucun des deux."
    ]
    assert "Indiquez le jour et le mois" in response.content.decode()
    assert not ReportingRule.objects.filter(convention=convention).exists()


def test_a_day_out_of_the_month_range_is_refused_in_french(client, local_authority, convention):
    client.force_login(local_authority)
    response = client.post(
        url("follow_up", convention),
        follow_up_data(
            convention,
            reporting=[{"kind": "annual", "period": "year", "due_day": 32, "due_month": 1}],
        ),
    )
    assert response.status_code == 400
    assert response.context["formsets"][1][0].forms[0].errors["due_day"] == [
        "Le jour va de 1 à 31."
    ]


def test_a_follow_up_saved_meanwhile_refuses_the_stale_page_in_french(
    client, local_authority, convention, prefecture
):
    client.force_login(local_authority)
    stale_version = convention.version
    client.post(
        url("follow_up", convention),
        follow_up_data(
            convention, committee=[{"order": 1, "organisation": prefecture.pk, "member": "Préfet"}]
        ),
    )
    response = client.post(
        url("follow_up", convention),
        follow_up_data(
            convention,
            committee=[{"order": 1, "organisation": prefecture.pk, "member": "Sous-préfet"}],
            version=stale_version,
        ),
    )
    assert response.status_code == 400
    assert "Quelqu'un d'autre a enregistré le suivi de cette convention" in (
        response.content.decode().replace("&#x27;", "'")
    )
    assert list(CommitteeMember.objects.values_list("member", flat=True)) == ["Préfet"]


def test_the_same_follow_up_sent_twice_adds_its_rows_once(
    client, local_authority, convention, prefecture
):
    client.force_login(local_authority)
    data = follow_up_data(
        convention,
        committee=[{"order": 1, "organisation": prefecture.pk, "member": "Préfet"}],
        **{SUBMISSION_FIELD: new_token()},
    )
    first = client.post(url("follow_up", convention), data)
    second = client.post(url("follow_up", convention), data)
    assert first.status_code == second.status_code == 302
    assert CommitteeMember.objects.filter(convention=convention).count() == 1


def test_a_committee_member_is_changed_and_another_removed(
    client, local_authority, convention, prefecture
):
    kept = CommitteeMember.objects.create(
        convention=convention, organisation=prefecture, member="Préfet", order=1
    )
    removed = CommitteeMember.objects.create(
        convention=convention, organisation=prefecture, member="Sous-préfet", order=2
    )
    client.force_login(local_authority)
    response = client.post(
        url("follow_up", convention),
        follow_up_data(
            convention,
            committee=[
                {"order": 1, "organisation": prefecture.pk, "member": "Madame la Préfète"},
                {
                    "order": 2,
                    "organisation": prefecture.pk,
                    "member": "Sous-préfet",
                    "DELETE": "on",
                },
            ],
            saved_committee=[kept.pk, removed.pk],
        ),
    )
    assert response.status_code == 302
    assert list(CommitteeMember.objects.values_list("member", flat=True)) == ["Madame la Préfète"]


def test_the_page_shows_no_blank_row_under_saved_ones_and_no_delete_box_on_new_rows(
    client, local_authority, convention, prefecture
):
    CommitteeMember.objects.create(convention=convention, organisation=prefecture, member="P")
    client.force_login(local_authority)
    response = client.get(url("follow_up", convention))
    committee, reporting = (entry[0] for entry in response.context["formsets"])
    assert len(committee.forms) == 1
    # An empty list has one blank row, to type the first without JavaScript.
    assert len(reporting.forms) == 1
    assert "DELETE" not in reporting.forms[0].fields
    assert "DELETE" not in committee.empty_form.fields
    assert 'data-formset-add="committee"' in response.content.decode()


def test_a_committee_member_names_the_representative_who_sits(
    client, local_authority, convention, prefecture
):
    prefet = RepresentativeFactory(
        organisation=prefecture,
        civility="M.",
        first_name="Paul",
        last_name="Martin",
        title="Préfet",
    )
    client.force_login(local_authority)
    response = client.post(
        url("follow_up", convention),
        follow_up_data(
            convention,
            committee=[
                {"order": 1, "organisation": prefecture.pk, "representative": prefet.pk},
                {
                    "order": 2,
                    "organisation": prefecture.pk,
                    "representative": prefet.pk,
                    "member": "Monsieur le Préfet ou son représentant",
                },
            ],
        ),
    )
    assert response.status_code == 302
    derived, written = CommitteeMember.objects.filter(convention=convention).order_by("order")
    # Left empty, the member is written after the representative's title.
    assert (derived.representative, derived.member) == (prefet, "Le Préfet ou son représentant")
    assert (written.representative, written.member) == (
        prefet,
        "Monsieur le Préfet ou son représentant",
    )
    page = client.get(convention.get_absolute_url()).content.decode()
    assert "Monsieur le Préfet ou son représentant : M. Paul MARTIN" in page
    edit = client.get(url("follow_up", convention)).content.decode()
    # Each option says its organisation, so the list follows the organisation chosen.
    assert f'<option value="{prefet.pk}" selected data-organisation="{prefecture.pk}">' in edit


def test_a_representative_of_another_organisation_is_refused_in_french(
    client, local_authority, convention, prefecture
):
    mayor = RepresentativeFactory(organisation=OrganisationFactory(departement="79"))
    client.force_login(local_authority)
    response = client.post(
        url("follow_up", convention),
        follow_up_data(
            convention,
            committee=[
                {
                    "order": 1,
                    "organisation": prefecture.pk,
                    "representative": mayor.pk,
                    "member": "Monsieur le Préfet",
                }
            ],
        ),
    )
    assert response.status_code == 400
    assert response.context["formsets"][0][0].forms[0].errors["representative"] == [
        "Choisissez un représentant de l'organisation de ce membre, ou changez d'organisation."
    ]
    assert "Choisissez un représentant de l&#x27;organisation" in response.content.decode()
    assert not CommitteeMember.objects.filter(convention=convention).exists()


def test_a_member_without_words_nor_representative_is_refused_in_french(
    client, local_authority, convention, prefecture
):
    client.force_login(local_authority)
    response = client.post(
        url("follow_up", convention),
        follow_up_data(convention, committee=[{"order": 1, "organisation": prefecture.pk}]),
    )
    assert response.status_code == 400
    assert response.context["formsets"][0][0].forms[0].errors["member"] == [
        "Écrivez le membre tel que le texte le nomme, ou choisissez son représentant."
    ]
    assert not CommitteeMember.objects.filter(convention=convention).exists()


def test_an_empty_committee_shows_its_empty_state_and_the_add_button(
    client, local_authority, convention
):
    client.force_login(local_authority)
    page = client.get(url("follow_up", convention)).content.decode()
    assert "Aucun membre du comité de suivi pour l&#x27;instant." in page
    assert 'data-formset-add="committee"' in page
    # The blank row is there only for a browser without JavaScript.
    noscript = page.split('data-formset-list="committee">', 1)[1].split("</noscript>", 1)[0]
    assert noscript.lstrip().startswith("<noscript>")
    assert 'name="committee-0-member"' in noscript


# Annexes and associated partners -------------------------------------------------------


def test_a_local_authority_writes_the_annexes_of_its_convention(
    client, local_authority, convention
):
    client.force_login(local_authority)
    assert client.get(url("annexes", convention)).status_code == 200
    response = client.post(
        url("annexes", convention),
        {
            "version": convention.version,
            **rows(
                "annexes",
                [{"order": 1, "title": "Fiche de poste", "body": "Missions\r\nHoraires"}],
            ),
        },
    )
    assert response.status_code == 302
    annex = Annex.objects.get(convention=convention)
    assert (annex.title, annex.body) == ("Fiche de poste", "Missions\nHoraires")
    assert "Fiche de poste" in client.get(convention.get_absolute_url()).content.decode()


def test_an_annex_without_a_title_is_refused_next_to_the_title(client, local_authority, convention):
    client.force_login(local_authority)
    response = client.post(
        url("annexes", convention),
        {"version": convention.version, **rows("annexes", [{"order": 1, "body": "Texte"}])},
    )
    assert response.status_code == 400
    assert response.context["formsets"][0][0].forms[0].errors["title"] == [
        "Ce champ est obligatoire."
    ]


def test_a_local_authority_associates_the_procureur_to_its_convention(
    client, local_authority, convention
):
    procureur = OrganisationFactory(departement="79", name="Parquet de Niort")
    client.force_login(local_authority)
    response = client.post(
        url("associated_partners", convention),
        {
            "version": convention.version,
            **rows(
                "associated",
                [{"organisation": procureur.pk, "wording": "Le Procureur est associé."}],
            ),
        },
    )
    assert response.status_code == 302
    assert AssociatedPartner.objects.get(convention=convention).organisation == procureur
    # An associated partner sees the convention (the scope reads the associations).
    assert "Parquet de Niort" in client.get(convention.get_absolute_url()).content.decode()


def test_the_same_partner_twice_is_refused_next_to_the_second(client, local_authority, convention):
    procureur = OrganisationFactory(departement="79", name="Parquet de Niort")
    client.force_login(local_authority)
    response = client.post(
        url("associated_partners", convention),
        {
            "version": convention.version,
            **rows(
                "associated",
                [{"organisation": procureur.pk}, {"organisation": procureur.pk}],
            ),
        },
    )
    assert response.status_code == 400
    assert response.context["formsets"][0][0].forms[1].errors["organisation"] == [
        "Ce partenaire est déjà associé à la convention."
    ]
    assert not AssociatedPartner.objects.exists()


# Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["follow_up", "annexes", "associated_partners"])
def test_a_convention_out_of_scope_is_not_found(client, world, name):
    client.force_login(world["95"]["users"][Role.LOCAL_AUTHORITY])
    assert client.get(url(name, world["79"]["convention"])).status_code == 404
    assert client.post(url(name, world["79"]["convention"]), {}).status_code == 404


@pytest.mark.parametrize("name", ["follow_up", "annexes", "associated_partners"])
@pytest.mark.parametrize(
    "role", [Role.READ_ONLY_PARTNER, Role.DDSP_SECRETARIAT, Role.EMPLOYER_COORDINATION]
)
def test_who_only_reads_the_convention_may_not_change_its_parts(client, world, name, role):
    client.force_login(world["79"]["users"][role])
    convention = world["79"]["convention"]
    assert client.get(url(name, convention)).status_code == 403
    assert client.post(url(name, convention), {}).status_code == 403


def test_the_edit_links_are_shown_to_who_may_edit_only(client, world, convention):
    client.force_login(world["79"]["users"][Role.LOCAL_AUTHORITY])
    page = client.get(convention.get_absolute_url()).content.decode()
    for name in ("follow_up", "annexes", "associated_partners"):
        assert url(name, convention) in page
    client.force_login(world["79"]["users"][Role.READ_ONLY_PARTNER])
    page = client.get(convention.get_absolute_url()).content.decode()
    for name in ("follow_up", "annexes", "associated_partners"):
        assert url(name, convention) not in page


def test_the_administrator_edits_any_convention(client, admin_user):
    convention = ConventionFactory()
    client.force_login(admin_user)
    assert client.get(url("follow_up", convention)).status_code == 200


def test_the_follow_up_page_costs_the_same_queries_whatever_its_rows(
    client, local_authority, convention, prefecture, django_assert_num_queries
):
    client.force_login(local_authority)
    # session, user, savepoint (ATOMIC_REQUESTS), the user's organisation (scope), the
    # convention in scope, its parties (may the user edit it), the committee members, the
    # organisations and the representatives offered (each read once for every row and the
    # template of a new row), the reporting rules, release savepoint
    with django_assert_num_queries(11):
        client.get(url("follow_up", convention))
    for order in range(5):
        CommitteeMember.objects.create(
            convention=convention, organisation=prefecture, member=f"M{order}", order=order
        )
        ReportingRule.objects.create(convention=convention, kind="quarterly", period="Q1")
    with django_assert_num_queries(11):
        client.get(url("follow_up", convention))


@pytest.mark.parametrize(
    "name, queries",
    [
        # session, user, savepoint (ATOMIC_REQUESTS), the user's organisation (scope), the
        # convention in scope, its parties (may the user edit it), the annexes, release
        # savepoint
        ("annexes", 8),
        # the same, the associated partners instead of the annexes, and the organisations
        # offered (read once for every row and the template of a new row)
        ("associated_partners", 9),
    ],
)
def test_the_annexes_and_partners_pages_cost_the_same_queries_whatever_their_rows(
    client, local_authority, convention, name, queries, django_assert_num_queries
):
    client.force_login(local_authority)
    with django_assert_num_queries(queries):
        client.get(url(name, convention))
    for order in range(4):
        Annex.objects.create(convention=convention, order=order, title=f"Annexe {order}")
        AssociatedPartner.objects.create(
            convention=convention, organisation=OrganisationFactory(departement="79")
        )
    with django_assert_num_queries(queries):
        client.get(url(name, convention))
