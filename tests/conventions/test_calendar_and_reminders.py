"""The private iCalendar feed and the reminder e-mails."""

import datetime
import io

import icalendar
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command

from config.jobs.models import TaskFailure
from conventions.calendar import events
from conventions.calendar.events import convention_events
from conventions.calendar.reminders import send_due_reminders
from conventions.models import Convention, ReminderSent, Renewal
from conventions.tasks import send_reminders
from partners.enums import Role
from tests.conventions.factories import (
    ContributionFactory,
    ConventionFactory,
    PartyFactory,
    PaymentFactory,
    PostFactory,
    ReportingRuleFactory,
)
from tests.partners.factories import UserFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def convention(two_departements):
    """The Deux-Sèvres convention, signed in October 2025: it ends in October 2028."""
    convention = two_departements["79"]["convention"]
    convention.parties.update(signed_on=D(2025, 10, 12))
    return convention


def feed(client, user):
    response = client.get(f"/calendrier/{user.calendar_token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def summaries(calendar):
    return {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}


def test_a_user_creates_a_private_calendar_address_on_the_profile_page(client, convention):
    user = convention.parties.first().organisation.users.first()
    client.force_login(user)
    response = client.post("/profil/", {"action": "renew"}, follow=True)
    user.refresh_from_db()
    assert user.calendar_token
    assert f"/calendrier/{user.calendar_token}.ics" in response.content.decode()


def test_the_feed_parses_and_holds_the_conventions_deadlines(client, convention):
    user = UserFactory(
        organisation=convention.parties.first().organisation,
        role=Role.LOCAL_AUTHORITY,
        calendar_token="secret-token-79",
    )
    events = summaries(feed(client, user))
    assert events["Fin de la période n° 1 de la convention — convention-79"] == D(2028, 10, 11)
    notice = next(v for k, v in events.items() if k.startswith("Dernier jour pour envoyer"))
    assert notice == D(2028, 7, 11)
    assert not any("convention-95" in k for k in events)


def test_the_feed_is_never_kept_by_a_browser_or_a_shared_cache(client, convention):
    user = UserFactory(
        organisation=convention.parties.first().organisation,
        role=Role.LOCAL_AUTHORITY,
        calendar_token="secret-token-79",
    )
    response = client.get(f"/calendrier/{user.calendar_token}.ics")
    assert "no-store" in response["Cache-Control"]


def test_a_client_asking_again_gets_304_while_nothing_changed(client, convention):
    user = UserFactory(
        organisation=convention.parties.first().organisation,
        role=Role.LOCAL_AUTHORITY,
        calendar_token="secret-token-79",
    )
    url = f"/calendrier/{user.calendar_token}.ics"
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert client.get(url)["ETag"] == etag  # the same bytes a second time
    again = client.get(url, headers={"if-none-match": etag})
    assert (again.status_code, again.content) == (304, b"")
    assert again["ETag"] == etag
    assert client.get(url, headers={"if-modified-since": last_modified}).status_code == 304
    # A renewal changes the feed: the whole of it again, under a new ETag.
    Renewal.objects.create(
        convention=convention, number=1, start=D(2028, 10, 12), end=D(2031, 10, 11)
    )
    Convention.objects.filter(pk=convention.pk).update(title="Renouvelée")
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Renouvelée" in changed.content.decode()


def test_an_organisation_renamed_changes_the_feed_though_no_convention_did(client, convention):
    """What the events name (the funder of a payment) is in the fingerprint too."""
    organisation = convention.parties.get(order=1).organisation
    ContributionFactory(
        convention=convention,
        organisation=organisation,
        first_year=2026,
        last_year=2027,
        due_month=6,
        due_day=30,
    )
    user = UserFactory(
        organisation=organisation, role=Role.LOCAL_AUTHORITY, calendar_token="secret-token-79"
    )
    url = f"/calendrier/{user.calendar_token}.ics"
    etag = client.get(url)["ETag"]
    organisation.name = "Commune renommée"
    organisation.save()
    renamed = client.get(url, headers={"if-none-match": etag})
    assert renamed.status_code == 200
    assert "Versement attendu de Commune renommée pour 2027" in renamed.content.decode()


def test_the_feed_follows_a_renewal(client, convention):
    user = UserFactory(
        organisation=convention.parties.first().organisation,
        role=Role.LOCAL_AUTHORITY,
        calendar_token="secret-token-79",
    )
    Renewal.objects.create(
        convention=convention, number=1, start=D(2028, 10, 12), end=D(2031, 10, 11)
    )
    calendar = feed(client, user)
    uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    assert f"{convention.pk}-expiry-p1@conventions-iscg" in uids  # the first period's end


def test_a_revoked_calendar_address_answers_404(client, convention):
    user = UserFactory(
        organisation=convention.parties.first().organisation, role=Role.LOCAL_AUTHORITY
    )
    client.force_login(user)
    client.post("/profil/", {"action": "renew"})
    user.refresh_from_db()
    token = user.calendar_token
    client.post("/profil/", {"action": "revoke"})
    client.logout()
    assert client.get(f"/calendrier/{token}.ics").status_code == 404
    assert client.get("/calendrier/devine.ics").status_code == 404


def calendar_user(client, convention, **extra):
    user = UserFactory(
        organisation=convention.parties.first().organisation, role=Role.LOCAL_AUTHORITY, **extra
    )
    client.force_login(user)
    client.post("/profil/", {"action": "renew"})
    user.refresh_from_db()
    assert client.get(f"/calendrier/{user.calendar_token}.ics").status_code == 200
    return user


def test_a_new_password_closes_the_calendar_address(client, convention):
    user = calendar_user(client, convention)
    token = user.calendar_token
    response = client.post(
        "/mot-de-passe/",
        {
            "old_password": "convention-demo",
            "new_password1": "un-tout-nouveau-secret-2026",
            "new_password2": "un-tout-nouveau-secret-2026",
        },
    )
    assert response.status_code == 302
    assert client.get(f"/calendrier/{token}.ics").status_code == 404


def test_deactivating_an_account_in_the_admin_site_revokes_its_calendar_address(client, convention):
    user = calendar_user(client, convention)
    token = user.calendar_token
    admin = UserFactory(admin=True)
    client.force_login(admin)
    form = client.get(f"/admin/partners/user/{user.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "is_active"}
    data.update(
        organisation=user.organisation_id,
        groups=[],
        user_permissions=[],
        last_login_0="",
        last_login_1="",
        date_joined_0=user.date_joined.strftime("%d/%m/%Y"),
        date_joined_1="00:00:00",
    )
    response = client.post(f"/admin/partners/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert not user.is_active
    assert user.calendar_token is None
    user.is_active = True
    user.save()
    assert client.get(f"/calendrier/{token}.ics").status_code == 404


def test_reminders_are_sent_once_however_often_the_command_runs(convention, settings):
    settings.REMINDER_DAYS_BEFORE = {**settings.REMINDER_DAYS_BEFORE, "notice": 30}
    for party in convention.parties.all():
        party.organisation.email = f"contact-{party.organisation.pk}@example.fr"
        party.organisation.save()
    today = D(2028, 6, 20)  # 21 days before the notice deadline of 11 July 2028
    first = send_due_reminders(today=today).sent
    assert first >= 4  # one e-mail per party organisation, at least for the notice
    subjects = [m.subject for m in mail.outbox]
    assert any("Dernier jour pour envoyer une dénonciation" in s for s in subjects)
    assert "/conventions/convention-79/" in mail.outbox[0].body
    call_command("send_reminders", "--date", today.isoformat(), stdout=io.StringIO())
    assert len(mail.outbox) == first


def test_a_missed_deadline_is_reported_the_day_after(convention):
    organisation = convention.parties.first().organisation
    organisation.email = "mairie@example.fr"
    organisation.save()
    send_due_reminders(today=D(2028, 7, 12))
    missed = [m for m in mail.outbox if "mairie@example.fr" in m.to and "dépassée" in m.body]
    assert missed and "11 juillet 2028" in missed[0].body


def test_reminders_go_only_to_the_conventions_parties(convention, two_departements):
    outsider = two_departements["95"]["convention"].parties.first().organisation
    outsider.email = "ailleurs@example.fr"
    outsider.save()
    send_due_reminders(today=D(2028, 6, 20))
    assert not any("ailleurs@example.fr" in m.to for m in mail.outbox)


def test_a_model_convention_sends_nothing():
    ConventionFactory(is_template=True)
    assert send_due_reminders(today=D(2028, 6, 20)).sent == 0


def test_a_name_typed_with_a_line_break_still_gets_its_reminder(convention):
    commune = convention.parties.get(order=1).organisation
    commune.name = "Commune\nde Niort"
    commune.email = "finances@example.fr"
    commune.save()
    ContributionFactory(
        convention=convention,
        organisation=commune,
        first_year=2027,
        last_year=2027,
        amount=5000,
        due_month=6,
        due_day=30,
    )
    outcome = send_due_reminders(today=D(2027, 6, 20))
    assert outcome.failed == 0
    payment = [m for m in mail.outbox if "Versement attendu" in m.subject]
    assert payment and payment[0].subject.startswith(
        "[Conventions ISCG] Versement attendu de Commune de Niort pour 2027"
    )


def test_one_reminder_that_cannot_be_sent_stops_none_of_the_others(convention, caplog):
    broken, *others = [p.organisation for p in convention.parties.all()]
    broken.email = "mairie@example.fr\nBcc: intrus@example.org"
    broken.save()
    for organisation in others:
        organisation.email = f"contact-{organisation.pk}@example.fr"
        organisation.save()
    with pytest.raises(CommandError, match="non envoyé"):
        call_command("send_reminders", "--date", "2028-07-12", stdout=io.StringIO())
    reached = {address for m in mail.outbox for address in m.to}
    assert {f"contact-{o.pk}@example.fr" for o in others} <= reached
    assert not any("intrus" in address for address in reached)
    assert "Rappel non envoyé" in caplog.text
    # Nothing is recorded for the failed one: the next run tries it again.
    assert not ReminderSent.objects.filter(recipients__contains="intrus").exists()


def test_the_daily_task_sends_the_others_and_leaves_the_failure_to_the_administrator(
    convention,
):
    broken, *others = [p.organisation for p in convention.parties.all()]
    broken.email = "mairie@example.fr\nBcc: intrus@example.org"
    broken.save()
    for organisation in others:
        organisation.email = f"contact-{organisation.pk}@example.fr"
        organisation.save()
    send_reminders.delay("2028-07-12")
    reached = {address for m in mail.outbox for address in m.to}
    assert {f"contact-{o.pk}@example.fr" for o in others} <= reached
    failure = TaskFailure.objects.get(task="conventions.send_reminders")
    assert "rappel(s) non envoyé(s)" in failure.error
    assert failure.arguments["args"] == ["2028-07-12"]


def test_the_feed_holds_payment_due_dates(client, convention):
    commune = convention.parties.get(order=1).organisation
    ContributionFactory(
        convention=convention,
        organisation=commune,
        first_year=2026,
        last_year=2027,
        amount=5000,
        due_month=6,
        due_day=30,
    )
    user = UserFactory(organisation=commune, role=Role.LOCAL_AUTHORITY, calendar_token="tok-79")
    events = summaries(feed(client, user))
    assert events[
        f"Versement attendu de {commune} pour 2027 (5\u00a0000\u00a0€) — convention-79"
    ] == D(2027, 6, 30)


def test_an_unpaid_contribution_is_reminded_and_a_paid_one_is_not(convention):
    commune = convention.parties.get(order=1).organisation
    commune.email = "finances@example.fr"
    commune.save()
    unpaid = ContributionFactory(
        convention=convention,
        organisation=commune,
        first_year=2027,
        last_year=2027,
        amount=5000,
        due_month=6,
        due_day=30,
    )
    send_due_reminders(today=D(2027, 6, 20))
    subjects = [m.subject for m in mail.outbox if "finances@example.fr" in m.to]
    assert any("Versement attendu" in s for s in subjects)
    mail.outbox.clear()
    PaymentFactory(contribution=unpaid, year=2027, amount=5000)
    ReminderSent.objects.all().delete()
    send_due_reminders(today=D(2027, 6, 21))
    assert not any("Versement attendu" in m.subject for m in mail.outbox)


def key(events):
    return sorted((e.date, e.kind, e.label, e.convention.pk) for e in events)


def test_the_conventions_left_out_in_sql_have_no_event_in_the_window(db):
    """``may_have_events_between`` only drops conventions whose deadlines are all outside."""
    post = PostFactory()
    for signed, kwargs in [
        (D(2012, 3, 1), {}),
        (D(2019, 6, 30), {"end_date": D(2022, 6, 29)}),
        (D(2023, 1, 15), {}),
        (D(2023, 1, 1), {}),  # ends on 31 December 2025, its 2025 bilan due on 7 January
        (D(2024, 2, 29), {"duration_years": 1}),
        (D(2025, 9, 1), {"end_date": D(2026, 12, 31), "term_governed_by": "duration"}),
        (D(2016, 1, 1), {"renewal_mode": "tacit", "renewal_period_years": 1}),
        (D(2020, 1, 1), {"terminated_on": D(2024, 5, 1), "end_date": D(2026, 12, 31)}),
        (None, {"start_rule": "date", "stated_start_date": D(2027, 1, 1)}),
        (None, {}),
    ]:
        convention = ConventionFactory(post=post, **kwargs)
        PartyFactory(convention=convention, signed_on=signed)
        ReportingRuleFactory(
            convention=convention, kind="annual", period="year", due_month=1, due_day=7
        )
    renewed = ConventionFactory(post=post, duration_years=1)
    PartyFactory(convention=renewed, signed_on=D(2021, 5, 1))
    Renewal.objects.create(convention=renewed, number=1, start=D(2022, 5, 1), end=D(2026, 4, 30))
    for start in (D(2024, 1, 1), D(2026, 1, 2), D(2026, 8, 24), D(2027, 12, 1)):
        end = start + datetime.timedelta(days=3 * 366)
        every = convention_events(Convention.objects.for_list(), start=start, end=end)
        kept = Convention.objects.may_have_events_between(start, end).values("pk")
        narrowed = convention_events(
            Convention.objects.filter(pk__in=kept).for_list(), start=start, end=end
        )
        assert key(every) == key(narrowed)
        assert kept.count() < Convention.objects.count()


def test_the_feed_reads_back_whatever_the_title_holds(client, convention):
    """Escaped and folded as RFC 5545 says: icalendar reads back the very text."""
    convention.title = (
        "Convention « ISCG » ; avenant n° 2, article 7 \\ annexe\nrévisée — "
        + "intervenant social en commissariat et gendarmerie, département des Deux-Sèvres " * 2
    )
    assert len(convention.title) <= Convention._meta.get_field("title").max_length
    convention.save()
    user = UserFactory(
        organisation=convention.parties.get(order=1).organisation,
        role=Role.LOCAL_AUTHORITY,
        calendar_token="tok-long",
    )
    response = client.get(f"/calendrier/{user.calendar_token}.ics")
    lines = response.content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert events
    for event in events:
        assert str(event["description"]).split("\n")[:2] == convention.title.split("\n")
        assert str(event["summary"]).endswith(" — convention-79")
        assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(days=1)


def test_a_feed_asked_again_is_kept_until_a_tracked_row_changes(
    client, convention, django_assert_num_queries
):
    """The events are computed once per version of their inputs: asked again, the feed
    costs the user and the version; a contribution's due date moved shows at once."""
    commune = convention.parties.get(order=1).organisation
    contribution = ContributionFactory(
        convention=convention,
        organisation=commune,
        first_year=2026,
        last_year=2027,
        amount=5000,
        due_month=6,
        due_day=30,
    )
    user = UserFactory(organisation=commune, role=Role.LOCAL_AUTHORITY, calendar_token="tok-79")
    payment = f"Versement attendu de {commune} pour 2027 (5\u00a0000\u00a0€) — convention-79"
    assert summaries(feed(client, user))[payment] == D(2027, 6, 30)
    # The request's savepoint and its release, the user, the version of the tracked rows.
    with django_assert_num_queries(4):
        assert summaries(feed(client, user))[payment] == D(2027, 6, 30)
    contribution.due_day = 15
    contribution.save()
    assert summaries(feed(client, user))[payment] == D(2027, 6, 15)


def test_a_feed_read_a_few_conventions_at_a_time_holds_each_event_once(
    client, two_departements, monkeypatch
):
    """The national feed reads its conventions in batches (memory): batches of one give
    the same events as a single batch."""
    for world in two_departements.values():
        world["convention"].parties.update(signed_on=D(2025, 10, 12))
    admin = UserFactory(is_superuser=True, calendar_token="tok-national")
    whole = [str(e["uid"]) for e in feed(client, admin).walk("VEVENT")]
    cache.clear()
    monkeypatch.setattr(events, "BATCH_SIZE", 1)
    batched = [str(e["uid"]) for e in feed(client, admin).walk("VEVENT")]
    assert sorted(batched) == sorted(whole)
    assert len(set(batched)) == len(batched)
    assert {uid.split("-")[0] for uid in batched} == {
        str(world["convention"].pk) for world in two_departements.values()
    }
