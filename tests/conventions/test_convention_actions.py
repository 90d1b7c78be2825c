"""The convention page offers only the actions its status allows, each with a one-line
explanation, and the services refuse what the page does not offer."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from config.core.formats import french_date
from conventions.agreements.services import convention_renew
from conventions.enums import RenewalMode
from conventions.lifecycle.actions import available_actions
from conventions.lifecycle.services import (
    amendment_create,
    convention_cancel,
    convention_terminate,
    renewal_record,
)
from conventions.models import Convention
from partners.enums import Role
from tests.conventions.factories import ConventionFactory

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def sign(convention, on):
    convention.parties.update(signed_on=on)
    return Convention.objects.for_detail().get(pk=convention.pk)


def actions_of(convention, *, followed=False, can_edit=True, can_create=True):
    return {
        action.label
        for action in available_actions(
            convention,
            status=convention.status(TODAY),
            followed=followed,
            can_edit=can_edit,
            can_create=can_create,
            today=TODAY,
        )
    }


@pytest.fixture
def draft(two_departements):
    return Convention.objects.for_detail().get(pk=two_departements["79"]["convention"].pk)


@pytest.fixture
def in_force(two_departements):
    return sign(two_departements["79"]["convention"], TODAY - datetime.timedelta(days=200))


@pytest.fixture
def expired(two_departements):
    return sign(two_departements["79"]["convention"], D(2015, 1, 5))


def test_a_draft_offers_neither_renewal_nor_termination_nor_amendment(draft):
    assert actions_of(draft) == {"Modifier", "Annuler la convention"}


def test_a_convention_in_force_offers_every_action_of_its_life(in_force):
    assert actions_of(in_force) == {
        "Modifier",
        "Renouveler",
        "Ajouter un avenant",
        "Enregistrer une reconduction",
        "Dénoncer",
        "Annuler la convention",
    }


def test_a_convention_another_renews_takes_no_more_amendment_nor_renewal(in_force):
    # Still in force until its end: it can still be denounced or cancelled.
    assert actions_of(in_force, followed=True) == {"Modifier", "Dénoncer", "Annuler la convention"}


def test_an_expired_convention_can_be_renewed_but_not_denounced_nor_amended(expired):
    assert actions_of(expired) == {
        "Modifier",
        "Renouveler",
        "Enregistrer une reconduction",
        "Annuler la convention",
    }


def test_a_convention_without_renewal_clause_offers_no_renewal_record(in_force):
    in_force.renewal_mode = RenewalMode.NONE
    assert "Enregistrer une reconduction" not in actions_of(in_force)


def test_a_denounced_convention_is_neither_denounced_again_nor_renewed(in_force):
    in_force.terminated_on = TODAY + datetime.timedelta(days=60)
    offered = actions_of(in_force)
    assert "Dénoncer" not in offered and "Renouveler" not in offered
    assert "Enregistrer une reconduction" not in offered


def test_a_cancelled_convention_offers_only_corrections(in_force):
    in_force.cancelled_at = timezone.now()
    assert actions_of(in_force) == {"Modifier"}


def test_who_cannot_edit_gets_no_action_and_who_cannot_create_no_renewal(in_force):
    assert actions_of(in_force, can_edit=False) == set()
    assert "Renouveler" not in actions_of(in_force, can_create=False)


def test_every_action_has_a_one_line_explanation(in_force):
    for action in available_actions(
        in_force,
        status=in_force.status(TODAY),
        followed=False,
        can_edit=True,
        can_create=True,
        today=TODAY,
    ):
        assert action.explanation and "\n" not in action.explanation


# On the page ------------------------------------------------------------------------


def page_of(client, two_departements, convention, role=Role.LOCAL_AUTHORITY):
    client.force_login(two_departements["79"]["users"][role])
    return client.get(reverse("conventions:detail", args=[convention.reference])).content.decode()


def summary_of(content):
    return content.split('class="convention-summary"')[1].split("</section>")[0]


def test_the_draft_page_shows_no_renew_nor_terminate_button(client, two_departements, draft):
    summary = summary_of(page_of(client, two_departements, draft))
    assert ">Modifier</a>" in summary
    assert "Compléter le projet : parties, textes, dates et signatures." in summary
    for hidden in ("Renouveler", "Dénoncer", "Ajouter un avenant"):
        assert hidden not in summary


def test_the_page_of_a_renewed_convention_offers_no_amendment(client, two_departements, in_force):
    ConventionFactory(post=two_departements["79"]["post"], renews=in_force)
    summary = summary_of(page_of(client, two_departements, in_force))
    assert "Ajouter un avenant" not in summary and "Renouveler" not in summary


def test_the_page_in_force_offers_renewal_as_a_form_with_its_explanation(
    client, two_departements, in_force
):
    summary = summary_of(page_of(client, two_departements, in_force))
    renew_url = reverse("conventions:renew", args=[in_force.reference])
    assert f'<form method="post" action="{renew_url}"' in summary
    assert 'aria-describedby="action-renew">Renouveler</button>' in summary
    assert 'id="action-renew">Créer la convention suivante' in summary


def test_a_read_only_partner_sees_the_downloads_but_no_action(client, two_departements, in_force):
    summary = summary_of(page_of(client, two_departements, in_force, Role.READ_ONLY_PARTNER))
    assert reverse("conventions:convention_pdf", args=[in_force.reference]) in summary
    assert "Actions possibles" not in summary


def test_the_summary_gives_the_next_deadline_and_what_to_do(client, two_departements):
    # Three years from a signature 900 days ago: the notice deadline, 3 months before the
    # end, is about 100 days ahead.
    convention = sign(two_departements["79"]["convention"], TODAY - datetime.timedelta(900))
    notice = convention.notice_deadline(TODAY)
    summary = summary_of(page_of(client, two_departements, convention))
    assert f"<strong>{french_date(notice)}</strong> : Dernier jour pour envoyer" in summary
    assert "Pour ne pas poursuivre, envoyez la lettre de dénonciation" in summary


def test_the_summary_shows_each_signatory_and_its_signature(client, two_departements, draft):
    draft.parties.filter(order=0).update(signed_on=D(2026, 3, 2))
    summary = summary_of(page_of(client, two_departements, draft))
    assert "Préf 79" in summary and "Signée</span> le 2 mars 2026" in summary
    assert summary.count("Pas encore signée") == 3


# The services refuse what the page hides ----------------------------------------------


def test_renewing_a_draft_is_refused(two_departements, draft):
    with pytest.raises(ValidationError, match="projet"):
        convention_renew(
            convention=draft, user=two_departements["79"]["users"][Role.LOCAL_AUTHORITY]
        )


def test_the_renew_button_posted_on_a_draft_says_why_and_creates_nothing(client, two_departements):
    draft = two_departements["79"]["convention"]
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.post(reverse("conventions:renew", args=[draft.reference]), follow=True)
    assert response.status_code == 200
    assert "ne se renouvelle pas" in response.content.decode()
    assert not Convention.objects.filter(renews=draft).exists()


def test_renewing_a_denounced_convention_is_refused(two_departements, in_force):
    Convention.objects.filter(pk=in_force.pk).update(terminated_on=TODAY + datetime.timedelta(30))
    in_force.refresh_from_db()
    with pytest.raises(ValidationError, match="dénoncée"):
        convention_renew(
            convention=in_force, user=two_departements["79"]["users"][Role.LOCAL_AUTHORITY]
        )


def test_an_amendment_to_a_renewed_convention_is_refused(two_departements, in_force):
    ConventionFactory(post=two_departements["79"]["post"], renews=in_force)
    with pytest.raises(ValidationError, match="renouvelle ou remplace"):
        amendment_create(convention=in_force, number=1, signed_on=TODAY, object="x", changes=[])


def test_an_amendment_to_a_cancelled_convention_is_refused(two_departements, in_force):
    convention_cancel(
        convention=in_force,
        user=two_departements["79"]["users"][Role.LOCAL_AUTHORITY],
        reason="Saisie en double de la convention",
    )
    in_force.refresh_from_db()
    with pytest.raises(ValidationError, match="annulée"):
        amendment_create(convention=in_force, number=1, signed_on=TODAY, object="x", changes=[])


def test_a_renewal_record_on_a_renewed_convention_is_refused(two_departements, expired):
    ConventionFactory(post=two_departements["79"]["post"], renews=expired)
    end = expired.current_end_date(TODAY)
    with pytest.raises(ValidationError, match="renouvelle ou remplace"):
        renewal_record(
            convention=expired,
            start=end + datetime.timedelta(days=1),
            end=end + datetime.timedelta(days=1000),
        )


def test_denouncing_an_ended_convention_is_refused(two_departements, expired):
    with pytest.raises(ValidationError, match="a pris fin"):
        convention_terminate(
            convention=expired,
            letter_date=TODAY,
            terminated_by=expired.parties.first().organisation,
            end_date=TODAY,
        )


def test_denouncing_a_cancelled_convention_is_refused(two_departements, in_force):
    convention_cancel(
        convention=in_force,
        user=two_departements["79"]["users"][Role.LOCAL_AUTHORITY],
        reason="Saisie en double de la convention",
    )
    with pytest.raises(ValidationError, match="annulée"):
        convention_terminate(
            convention=in_force,
            letter_date=TODAY,
            terminated_by=in_force.parties.first().organisation,
            end_date=TODAY + datetime.timedelta(days=90),
        )


# What the page hides, the services refuse too.


def test_an_amendment_to_a_draft_is_refused(draft):
    with pytest.raises(ValidationError, match="pas encore signée par toutes les parties"):
        amendment_create(convention=draft, number=1, signed_on=TODAY, object="x", changes=[])
    assert not draft.amendments.exists()


def test_an_amendment_to_an_ended_convention_is_refused(expired):
    end = french_date(expired.current_end_date(TODAY))
    with pytest.raises(ValidationError, match=f"a pris fin le {end}"):
        amendment_create(convention=expired, number=1, signed_on=TODAY, object="x", changes=[])
    assert not expired.amendments.exists()


def test_an_amendment_to_a_denounced_convention_is_refused_once_it_ended(in_force):
    Convention.objects.filter(pk=in_force.pk).update(terminated_on=TODAY - datetime.timedelta(1))
    in_force.refresh_from_db()
    with pytest.raises(ValidationError, match="dénoncée"):
        amendment_create(convention=in_force, number=1, signed_on=TODAY, object="x", changes=[])


def test_an_amendment_to_a_convention_in_force_is_recorded(in_force):
    amendment = amendment_create(
        convention=in_force, number=1, signed_on=TODAY, object="Avenant", changes=[]
    )
    assert amendment.pk


@pytest.fixture
def not_started(two_departements):
    """Signed by every party, starting on a stated date three months ahead."""
    convention = sign(two_departements["79"]["convention"], TODAY - datetime.timedelta(days=10))
    Convention.objects.filter(pk=convention.pk).update(
        start_rule="date", stated_start_date=TODAY + datetime.timedelta(days=90)
    )
    return Convention.objects.for_detail().get(pk=convention.pk)


def test_a_renewal_recorded_before_the_convention_starts_is_refused(not_started):
    end = not_started.periods()[-1].end
    start = french_date(TODAY + datetime.timedelta(days=90))
    with pytest.raises(ValidationError, match=f"ne commence que le {start}"):
        renewal_record(
            convention=not_started,
            start=end + datetime.timedelta(days=1),
            end=end + datetime.timedelta(days=1000),
        )
    assert not not_started.renewals.exists()


def test_a_renewal_of_a_draft_with_a_stated_start_is_refused(draft):
    Convention.objects.filter(pk=draft.pk).update(
        start_rule="date", stated_start_date=TODAY - datetime.timedelta(days=400)
    )
    draft = Convention.objects.for_detail().get(pk=draft.pk)
    end = draft.periods()[-1].end
    with pytest.raises(ValidationError, match="Toutes les parties n'ont pas encore signé"):
        renewal_record(
            convention=draft,
            start=end + datetime.timedelta(days=1),
            end=end + datetime.timedelta(days=1000),
        )


def test_the_amendment_form_on_a_draft_says_why_and_records_nothing(
    client, two_departements, draft
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    response = client.post(
        reverse("conventions:amendment_create", args=[draft.reference]),
        {
            "number": "1",
            "signed_on": TODAY.isoformat(),
            "object": "Avenant sur un projet",
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
            "contributions-TOTAL_FORMS": "0",
            "contributions-INITIAL_FORMS": "0",
            "parties-TOTAL_FORMS": "0",
            "parties-INITIAL_FORMS": "0",
            "new_contributions-TOTAL_FORMS": "0",
            "new_contributions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "pas encore signée par toutes les parties" in response.content.decode().replace(
        "&#x27;", "'"
    )
    assert not draft.amendments.exists()


def test_the_renewal_form_before_the_start_says_why_and_records_nothing(
    client, two_departements, not_started
):
    client.force_login(two_departements["79"]["users"][Role.LOCAL_AUTHORITY])
    end = not_started.periods()[-1].end
    response = client.post(
        reverse("conventions:renewal_create", args=[not_started.reference]),
        {
            "start": (end + datetime.timedelta(days=1)).isoformat(),
            "end": (end + datetime.timedelta(days=1000)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "ne commence que le" in response.content.decode()
    assert not not_started.renewals.exists()
