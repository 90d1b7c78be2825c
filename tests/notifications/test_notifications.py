"""Notifications of workflow events: who is told, in the list with its unread count and by
e-mail through a real SMTP server on loopback, as each user chose (at once, on Monday, never)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from activity.services import quarter_reopen, quarter_submit, quarter_validate
from config.notifications.models import Frequency, Kind, Notification, Preference
from config.notifications.services import preferences_save
from config.notifications.tasks import send_weekly_digests, tell
from conventions.calendar.reminders import send_due_reminders
from conventions.funding.services import payment_record
from partners.enums import Role
from partners.invitations import invitation_accept, invitation_send
from tests.activity.factories import QuarterReportFactory
from tests.conventions.factories import ContributionFactory
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def niort(two_departements):
    users = two_departements["79"]["users"]
    for role, user in users.items():
        user.email = f"{role}@niort.example"
        user.save()
    return two_departements["79"]


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the events' listeners, the e-mails' tasks)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def titles(user):
    return [n.title for n in Notification.objects.filter(user=user)]


def submitted_quarter(niort, committed):
    report = QuarterReportFactory(post=niort["post"], filled=True)
    committed(quarter_submit, report=report, user=niort["users"][Role.EMPLOYER_COORDINATION])
    report.refresh_from_db()
    return report


def test_a_submitted_quarter_is_told_to_its_validators_by_email_with_a_link(
    niort, two_departements, committed, smtp_mailbox
):
    report = submitted_quarter(niort, committed)
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    (notification,) = Notification.objects.filter(user=ddsp)
    assert notification.kind == Kind.QUARTER_SUBMITTED
    assert notification.title.startswith(f"Statistiques à valider : T{report.quarter}")
    (body,) = smtp_mailbox.bodies_to(ddsp.email)
    assert "attend votre validation" in body
    entry = reverse("activity:quarter_entry", args=[report.post_id, report.year, report.quarter])
    assert f"http://127.0.0.1:8000{entry}" in body
    assert "/notifications/preferences/" in body
    # Not the employer who submitted it, nor the other département's secretariat.
    assert titles(niort["users"][Role.EMPLOYER_COORDINATION]) == []
    assert titles(two_departements["95"]["users"][Role.DDSP_SECRETARIAT]) == []
    ddsp.refresh_from_db()
    assert ddsp.unread_notifications == 1


def test_a_validated_quarter_is_told_to_the_social_worker_and_the_employer(niort, committed):
    report = submitted_quarter(niort, committed)
    committed(quarter_validate, report=report, user=niort["users"][Role.DDSP_SECRETARIAT])
    for role in (Role.SOCIAL_WORKER, Role.EMPLOYER_COORDINATION):
        assert any(t.startswith("Statistiques validées") for t in titles(niort["users"][role]))
    assert titles(niort["users"][Role.LOCAL_AUTHORITY]) == []


def test_a_reopened_quarter_tells_its_reason(niort, committed, smtp_mailbox):
    report = submitted_quarter(niort, committed)
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    report = committed(quarter_validate, report=report, user=ddsp)
    committed(quarter_reopen, report=report, user=ddsp, reason="Entretiens comptés deux fois")
    worker = niort["users"][Role.SOCIAL_WORKER]
    reopened = Notification.objects.get(user=worker, kind=Kind.QUARTER_REOPENED)
    assert reopened.body == "Motif : Entretiens comptés deux fois"
    assert any("Entretiens comptés deux fois" in b for b in smtp_mailbox.bodies_to(worker.email))


def test_a_payment_recorded_is_told_to_the_funder_and_the_employer(niort, committed):
    commune = niort["users"][Role.LOCAL_AUTHORITY].organisation
    contribution = ContributionFactory(
        convention=niort["convention"], organisation=commune, first_year=2026, last_year=2026
    )
    committed(
        payment_record,
        contribution=contribution,
        year=2026,
        date=D(2026, 3, 2),
        amount=Decimal("4500.00"),
        payer=commune,
    )
    for role in (Role.LOCAL_AUTHORITY, Role.EMPLOYER_COORDINATION):
        (title,) = titles(niort["users"][role])
        assert title.startswith("Versement de 4\u00a0500\u00a0€ enregistré : Commune 79 pour 2026")
    assert titles(niort["users"][Role.DDSP_SECRETARIAT]) == []


def test_an_event_heard_twice_tells_each_person_once(niort, committed, smtp_mailbox):
    report = submitted_quarter(niort, committed)
    data = {"poste": report.post_id, "annee": report.year, "trimestre": report.quarter}
    committed(tell.delay, "quarter.submitted", {**data, "version": report.version})
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    assert Notification.objects.filter(user=ddsp).count() == 1
    assert len(smtp_mailbox.bodies_to(ddsp.email)) == 1


def test_a_weekly_choice_waits_for_the_monday_digest_which_is_sent_once(
    niort, committed, smtp_mailbox
):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    preferences_save(user=ddsp, choices={Kind.QUARTER_SUBMITTED: Frequency.WEEKLY})
    submitted_quarter(niort, committed)
    assert smtp_mailbox.bodies_to(ddsp.email) == []
    assert Notification.objects.get(user=ddsp).unread  # in the list all the same
    assert committed(send_weekly_digests.delay).result == 1
    (digest,) = smtp_mailbox.messages
    assert (
        digest["Subject"].strip() == "[Conventions ISCG] Résumé de la semaine : 1 notification(s)"
    )
    assert "Statistiques à valider" in digest.get_body(("plain",)).get_content()
    assert committed(send_weekly_digests.delay).result == 0
    assert len(smtp_mailbox.messages) == 1


def test_what_waits_for_monday_is_still_sent_after_switching_to_at_once(
    niort, committed, smtp_mailbox
):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    preferences_save(user=ddsp, choices={Kind.QUARTER_SUBMITTED: Frequency.WEEKLY})
    submitted_quarter(niort, committed)
    preferences_save(user=ddsp, choices={Kind.QUARTER_SUBMITTED: Frequency.IMMEDIATE})
    assert committed(send_weekly_digests.delay).result == 1
    (digest,) = smtp_mailbox.messages
    assert "Statistiques à valider" in digest.get_body(("plain",)).get_content()


def test_what_waits_for_monday_is_dropped_when_the_kind_is_turned_off(
    niort, committed, smtp_mailbox
):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    preferences_save(user=ddsp, choices={Kind.QUARTER_SUBMITTED: Frequency.WEEKLY})
    submitted_quarter(niort, committed)
    preferences_save(user=ddsp, choices={Kind.QUARTER_SUBMITTED: Frequency.NEVER})
    assert committed(send_weekly_digests.delay).result == 0
    assert smtp_mailbox.messages == []


def test_a_kind_turned_off_tells_nothing(niort, committed, smtp_mailbox):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    preferences_save(user=ddsp, choices={Kind.QUARTER_SUBMITTED: Frequency.NEVER})
    submitted_quarter(niort, committed)
    assert titles(ddsp) == []
    assert smtp_mailbox.messages == []


def test_a_legal_deadline_cannot_be_turned_off(niort, client):
    user = niort["users"][Role.LOCAL_AUTHORITY]
    client.force_login(user)
    page = client.get(reverse("notifications:preferences"))
    assert page.context["form"].fields[Kind.NOTICE_NEAR].choices == [
        (Frequency.IMMEDIATE, "Tout de suite, par courriel"),
        (Frequency.WEEKLY, "Dans un résumé chaque lundi"),
    ]
    answer = client.post(
        reverse("notifications:preferences"),
        {
            **dict.fromkeys(page.context["form"].fields, Frequency.IMMEDIATE),
            Kind.NOTICE_NEAR: Frequency.NEVER,
        },
    )
    assert answer.status_code == 400
    assert "Sélectionnez un choix valide" in answer.content.decode()
    assert not Preference.objects.filter(user=user).exists()
    with pytest.raises(IntegrityError):
        Preference.objects.create(user=user, kind=Kind.NOTICE_NEAR, frequency=Frequency.NEVER)


def test_the_preferences_page_offers_the_kinds_of_the_role_and_keeps_the_choice(niort, client):
    worker = niort["users"][Role.SOCIAL_WORKER]
    client.force_login(worker)
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert set(form.fields) == {
        Kind.QUARTER_VALIDATED,
        Kind.QUARTER_REOPENED,
        Kind.INVITATION_ACCEPTED,
    }
    answer = client.post(
        reverse("notifications:preferences"),
        {
            Kind.QUARTER_VALIDATED: Frequency.WEEKLY,
            Kind.QUARTER_REOPENED: Frequency.IMMEDIATE,
            Kind.INVITATION_ACCEPTED: Frequency.NEVER,
        },
        follow=True,
    )
    assert "Vos choix sont enregistrés." in answer.content.decode()
    assert answer.context["form"][Kind.QUARTER_VALIDATED].initial == Frequency.WEEKLY


def test_the_header_counts_the_unread_and_opening_one_reads_it(niort, committed, client):
    report = submitted_quarter(niort, committed)
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    client.force_login(ddsp)
    home = client.get("/").content.decode()
    assert "Notifications" in home and "1 non lue" in home
    notification = Notification.objects.get(user=ddsp)
    opened = client.get(reverse("notifications:open", args=[notification.pk]))
    assert opened.url == reverse(
        "activity:quarter_entry", args=[report.post_id, report.year, report.quarter]
    )
    ddsp.refresh_from_db()
    assert ddsp.unread_notifications == 0
    client.get(reverse("notifications:open", args=[notification.pk]))  # again: counts once
    ddsp.refresh_from_db()
    assert ddsp.unread_notifications == 0


def test_all_can_be_marked_read_at_once(niort, committed, client):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    submitted_quarter(niort, committed)
    client.force_login(ddsp)
    answer = client.post(reverse("notifications:read_all"), follow=True)
    assert "1 notification(s) marquée(s) comme lue(s)." in answer.content.decode()
    assert not Notification.objects.filter(user=ddsp, read_at__isnull=True).exists()
    ddsp.refresh_from_db()
    assert ddsp.unread_notifications == 0


def test_someone_elses_notification_is_not_found(niort, committed, client):
    submitted_quarter(niort, committed)
    theirs = Notification.objects.get(user=niort["users"][Role.DDSP_SECRETARIAT])
    client.force_login(niort["users"][Role.LOCAL_AUTHORITY])
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert theirs.title not in client.get(reverse("notifications:list")).content.decode()


def test_a_deadline_is_told_to_the_parties_users_and_mailed_to_the_organisation(
    niort, committed, smtp_mailbox
):
    convention = niort["convention"]
    convention.parties.update(signed_on=D(2025, 10, 12))
    commune = niort["users"][Role.LOCAL_AUTHORITY].organisation
    commune.email = "mairie@niort.example"
    commune.save()
    committed(send_due_reminders, today=D(2028, 6, 20))  # 21 days before the notice
    user = niort["users"][Role.LOCAL_AUTHORITY]
    notice = Notification.objects.get(user=user, kind=Kind.NOTICE_NEAR)
    assert notice.title.endswith("— convention-79")
    assert notice.path == convention.get_absolute_url()
    assert smtp_mailbox.bodies_to("mairie@niort.example")
    assert any("Échéance dans 21 jour(s)" in b for b in smtp_mailbox.bodies_to(user.email))
    # The social worker does not work on the conventions.
    assert titles(niort["users"][Role.SOCIAL_WORKER]) == []


def test_an_accepted_invitation_is_told_to_the_referent_who_invited(niort, committed):
    referent = UserFactory(
        referent=True, organisation=niort["users"][Role.LOCAL_AUTHORITY].organisation
    )
    invited = committed(
        invitation_send,
        organisation=referent.organisation,
        email="agent@niort.example",
        first_name="Claire",
        last_name="Martin",
        role=Role.LOCAL_AUTHORITY,
        by=referent,
    )
    committed(invitation_accept, user=invited, password="un mot de passe solide 2026")
    (notification,) = Notification.objects.filter(user=referent)
    assert notification.title == "Claire Martin a accepté votre invitation (Commune 79)"
    assert notification.path == reverse("partners:team", args=[referent.organisation_id])


def test_the_list_shows_the_newest_first_in_a_fixed_number_of_queries(
    niort, committed, client, django_assert_num_queries
):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    for n in range(25):
        Notification.objects.create(
            user=ddsp, kind=Kind.QUARTER_SUBMITTED, key=f"k{n}", title=f"Événement {n}", path="/"
        )
    client.force_login(ddsp)
    # session, user, savepoint, count, the user's organisation (header), the page of
    # notifications, release: the same with 25 or 2 500
    with django_assert_num_queries(7):
        page = client.get(reverse("notifications:list"))
    assert [n.title for n in page.context["page"]][:2] == ["Événement 24", "Événement 23"]
    assert len(page.context["page"].object_list) == 20


def test_the_preferences_page_reads_and_saves_in_a_fixed_number_of_queries(
    niort, client, django_assert_num_queries
):
    user = niort["users"][Role.LOCAL_AUTHORITY]
    client.force_login(user)
    # session, user, savepoint, the user's choices, the user's organisation (header),
    # release
    with django_assert_num_queries(6):
        form = client.get(reverse("notifications:preferences")).context["form"]
    choices = dict.fromkeys(form.fields, Frequency.WEEKLY)
    # session, user, savepoint, the user's choices (the form), the service's savepoint,
    # every choice written in one statement (no kind turned off: nothing taken out of the
    # digest), release, release
    with django_assert_num_queries(8):
        assert client.post(reverse("notifications:preferences"), choices).status_code == 302
    assert set(Preference.objects.filter(user=user).values_list("frequency", flat=True)) == {
        Frequency.WEEKLY
    }


def test_opening_a_notification_reads_it_in_a_fixed_number_of_queries(
    niort, client, django_assert_num_queries
):
    ddsp = niort["users"][Role.DDSP_SECRETARIAT]
    notification = Notification.objects.create(
        user=ddsp, kind=Kind.QUARTER_SUBMITTED, key="k", title="Événement", path="/statistiques/"
    )
    client.force_login(ddsp)
    # session, user, savepoint, the notification, the service's savepoint, marked read,
    # the unread count down by one, release, release
    with django_assert_num_queries(9):
        response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == "/statistiques/"


def test_a_form_sent_with_a_legal_kind_set_to_never_by_a_service_keeps_it_weekly(niort):
    user = niort["users"][Role.LOCAL_AUTHORITY]
    preferences_save(user=user, choices={Kind.RENEWAL_DUE: Frequency.NEVER})
    assert Preference.objects.get(user=user).frequency == Frequency.WEEKLY
    with pytest.raises(ValidationError):
        Preference(user=user, kind=Kind.NOTICE_NEAR, frequency=Frequency.NEVER).full_clean()
