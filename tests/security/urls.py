"""Every URL of the project, built with real demo objects (see conftest.demo).

``ROUTES`` maps a label to a ``Route``: the URL name, a function building the
URL for one side of the demo (Niort or Ermont; ``None`` for pages without an
object), and what the URL is about (the scope it must be checked against).
A URL name with two patterns (a bilan for the year and for a quarter) has two
labels, so that every pattern is requested.
"""

from typing import NamedTuple

from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from config.api.models import WebhookSubscription
from config.jobs.models import Run, RunState
from config.notifications.models import Kind, Notification
from conventions.access import scope_for
from conventions.agreements.services import ENTRY_SUMMARY_STEP
from conventions.models import Convention, DeliberationPublication
from partners.api_tokens import api_token_create


def iter_patterns(resolver=None, prefix="", namespace=None):
    """(route, name) of every pattern, the included ones with their prefix."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            if pattern.namespace and namespace:
                ns = f"{namespace}:{pattern.namespace}"
            yield from iter_patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            # As Django writes a match's route: a regular expression without its "^".
            yield prefix + str(pattern.pattern).removeprefix("^"), name


def project_routes() -> set[str]:
    """The routes of the project's own pages; the admin site has its own tests."""
    return {route for route, _name in iter_patterns() if not route.startswith("admin/")}


def route_of(url: str) -> str:
    """The route pattern (with its include prefixes) that serves ``url``."""
    return resolve(url.split("?")[0]).route


class Route(NamedTuple):
    name: str
    build: object  # (world, side) -> url
    # What the URL shows or changes: "convention", "post", "deliberation", "council",
    # "departement"; None for pages about nothing private (public organisations,
    # pages without an object, pages reserved to administrators whatever the object).
    subject: str | None = None


YEAR = 2026  # the demo has figures up to the third quarter of 2026; the year is open


def _q(url, **params):
    return url + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _page(name, **params):
    return Route(name, lambda w, s: _q(reverse(name), **params) if params else reverse(name))


def _conv(name, *extra):
    url_name = f"conventions:{name}"
    return Route(
        url_name,
        lambda w, s: reverse(url_name, args=[s.convention.reference, *extra]),
        "convention",
    )


def _entry(name, *extra):
    """A page of the step-by-step entry: only a convention being entered has them, so the
    demo's convention is made one (every step saved) before its URL is built."""
    url_name = f"conventions:{name}"

    def build(w, s):
        Convention.objects.filter(pk=s.convention.pk).update(entry_step=ENTRY_SUMMARY_STEP)
        return reverse(url_name, args=[s.convention.reference, *extra])

    return Route(url_name, build, "convention")


def _post(name, *extra):
    return Route(name, lambda w, s: reverse(name, args=[s.post.pk, *extra]), "post")


def _pk(name, attribute, subject):
    return Route(name, lambda w, s: reverse(name, args=[getattr(s, attribute).pk]), subject)


def _representative_edit(w, s):
    representative = s.organisation.representatives.earliest("pk")
    return reverse("partners:representative_edit", args=[s.organisation.pk, representative.pk])


def _team_member_action(w, s):
    # Deactivating a colleague: a demo account of the organisation other than the referent.
    member = s.organisation.users.earliest("pk")
    return reverse("partners:team_member_action", args=[s.organisation.pk, member.pk, "desactiver"])


def _scan_version(w, s):
    version = s.convention.scan_versions.earliest("pk")
    return reverse("conventions:scan_version", args=[s.convention.reference, version.pk])


def _payment_proof_version(w, s):
    version = s.payment.proof_versions.earliest("pk")
    return reverse("conventions:payment_proof_version", args=[s.payment.pk, version.pk])


def _publication(s, *, withdrawn: bool):
    """A publication of the side's deliberation, made for the URL (the test's transaction
    drops it): the demo publishes nothing."""
    now = timezone.now()
    current = DeliberationPublication.objects.current().filter(deliberation=s.deliberation)
    if not withdrawn and current.exists():
        return reverse("public:deliberation_pdf", args=[current.get().public_id])
    publication = DeliberationPublication.objects.create(
        deliberation=s.deliberation,
        published_at=now,
        pdf=b"%PDF-1.4 stand-in",
        withdrawn_at=now if withdrawn else None,
        withdrawal_reason="Publiée par erreur (matrice)." if withdrawn else "",
    )
    return reverse("public:deliberation_pdf", args=[publication.public_id])


def _payment_create(w, s):
    url = reverse("conventions:payment_create", args=[s.convention.reference])
    return _q(url, contribution=s.contribution.pk, annee=s.contribution.first_year)


def _webhook_delete(s):
    subscription = WebhookSubscription.objects.create(
        organisation=s.organisation,
        url="https://outil.example.fr/iscg",
        events=["quarter.submitted"],
    )
    return reverse("webhook_delete", args=[s.organisation.pk, subscription.pk])


def _notification(w):
    """One of ville.niort's notifications: only its owner opens it."""
    notification, _created = Notification.objects.get_or_create(
        user=w.users["ville.niort"],
        key="matrice",
        defaults={"kind": Kind.PAYMENT_RECORDED, "title": "Versement enregistré", "path": "/"},
    )
    return notification


def _run(w):
    """An export ville.niort asked for, its file made: only its owner opens it."""
    run = Run.objects.filter(key="matrice").first()
    if run is None:
        run = Run(
            key="matrice",
            user=w.users["ville.niort"],
            handler="activity.views.exports.NationalBilanExport",
            label="Export de la matrice",
            state=RunState.DONE,
            message="Le fichier est prêt.",
        )
        run.file.save("matrice.csv", ContentFile(b"a;b\r\n"), save=False)
        run.save()
    return run


def _api_token(w):
    return api_token_create(user=w.users["ville.niort"], name="Matrice", lifetime_days=30).token


ROUTES = {
    # Site-wide pages.
    "dashboard": _page("dashboard"),
    # The load balancer's probe (config.health): no login, nothing private.
    "healthz": _page("healthz"),
    "login": _page("login"),
    "logout": _page("logout"),
    # ProConnect's login and return: off in the suite's settings, hence 404
    # (tests/partners/test_proconnect.py turns it on against a real provider).
    "proconnect_login": _page("proconnect_login"),
    "proconnect_callback": _page("proconnect_callback"),
    "password_change": _page("password_change"),
    "password_change_done": _page("password_change_done"),
    "password_reset": _page("password_reset"),
    "password_reset_done": _page("password_reset_done"),
    # A link nobody sent: the page says it no longer works.
    "password_reset_confirm": Route(
        "password_reset_confirm",
        lambda w, s: reverse("password_reset_confirm", args=["MQ", "lien-invente"]),
    ),
    "password_reset_complete": _page("password_reset_complete"),
    "profile": _page("profile"),
    "api_token_create": _page("api_token_create"),
    # An organisation's webhooks: its referents, as its team page.
    "webhooks": _pk("webhooks", "organisation", "team"),
    "webhook_delete": Route("webhook_delete", lambda w, s: _webhook_delete(s), "team"),
    # A key of ville.niort: only its owner revokes it.
    "api_token_revoke": Route(
        "api_token_revoke",
        lambda w, s: reverse("api_token_revoke", args=[_api_token(w).pk]),
    ),
    # Each user's own notifications (config.notifications).
    "notifications:list": _page("notifications:list"),
    "notifications:read_all": _page("notifications:read_all"),
    "notifications:preferences": _page("notifications:preferences"),
    "notifications:open": Route(
        "notifications:open",
        lambda w, s: reverse("notifications:open", args=[_notification(w).pk]),
    ),
    "notifications:read": Route(
        "notifications:read",
        lambda w, s: reverse("notifications:read", args=[_notification(w).pk]),
    ),
    # Each user's own imports and exports (config.runs).
    "runs:list": _page("runs:list"),
    "runs:detail": Route(
        "runs:detail", lambda w, s: reverse("runs:detail", args=[_run(w).public_id])
    ),
    "runs:state": Route("runs:state", lambda w, s: reverse("runs:state", args=[_run(w).public_id])),
    "runs:file": Route("runs:file", lambda w, s: reverse("runs:file", args=[_run(w).public_id])),
    # The pages a public service publishes, readable without an account.
    "accessibility": _page("accessibility"),
    "legal_notice": _page("legal_notice"),
    "personal_data": _page("personal_data"),
    "help": _page("help"),
    "calendar_feed": Route(
        "calendar_feed", lambda w, s: reverse("calendar_feed", args=[w.calendar_token])
    ),
    # Partners: organisations are public, only administrators change them.
    "partners:list": _page("partners:list"),
    "partners:create": _page("partners:create"),
    "partners:import": _page("partners:import"),
    # A token this session never received: the page sends back to the upload.
    "partners:import_preview": Route(
        "partners:import_preview",
        lambda w, s: reverse("partners:import_preview", args=["jeton-inconnu"]),
    ),
    "partners:template_xlsx": _page("partners:template_xlsx"),
    "partners:template_csv": _page("partners:template_csv"),
    "partners:detail": _pk("partners:detail", "organisation", None),
    "partners:edit": _pk("partners:edit", "organisation", None),
    # The logo as uploaded: the organisation's users and who may edit it (404 otherwise).
    "partners:logo": _pk("partners:logo", "organisation", "organisation_logo"),
    "partners:representative_create": _pk("partners:representative_create", "organisation", None),
    "partners:representative_edit": Route("partners:representative_edit", _representative_edit),
    # An organisation's team: its administrator and its referents only (404 otherwise).
    "partners:team": _pk("partners:team", "organisation", "team"),
    "partners:team_invite": _pk("partners:team_invite", "organisation", "team"),
    "partners:team_import": _pk("partners:team_import", "organisation", "team"),
    "partners:team_import_preview": Route(
        "partners:team_import_preview",
        lambda w, s: reverse("partners:team_import_preview", args=[s.organisation.pk, "jeton"]),
        "team",
    ),
    "partners:team_template_xlsx": _pk("partners:team_template_xlsx", "organisation", "team"),
    "partners:team_template_csv": _pk("partners:team_template_csv", "organisation", "team"),
    "partners:team_member_action": Route(
        "partners:team_member_action", _team_member_action, "team"
    ),
    # A link nobody sent: the page says it no longer opens an account.
    "invitation_accept": Route(
        "invitation_accept", lambda w, s: reverse("invitation_accept", args=["MQ", "lien-invente"])
    ),
    # Conventions.
    "conventions:list": _page("conventions:list"),
    "conventions:create": _page("conventions:create"),
    "conventions:create_from": _page("conventions:create_from"),
    "conventions:detail": _conv("detail"),
    "conventions:edit": _conv("edit"),
    "conventions:entry_step": _entry("entry_step", "parties"),
    "conventions:entry_summary": _entry("entry_summary"),
    "conventions:entry_resume": _entry("entry_resume"),
    "conventions:renew": _conv("renew"),
    "conventions:scan": _conv("scan"),
    "conventions:scan_version": Route("conventions:scan_version", _scan_version, "convention"),
    "conventions:upload_scan": _conv("upload_scan"),
    "conventions:follow_up": _conv("follow_up"),
    "conventions:annexes": _conv("annexes"),
    "conventions:associated_partners": _conv("associated_partners"),
    "conventions:convention_pdf": _conv("convention_pdf"),
    "conventions:dossier": _conv("dossier"),
    "conventions:amendment_pdf": _conv("amendment_pdf", 1),
    "conventions:convention_editable": _conv("convention_editable", "docx"),
    "conventions:amendment_editable": _conv("amendment_editable", 1, "odt"),
    "conventions:lifecycle": _conv("lifecycle"),
    "conventions:consolidated_text": _conv("consolidated_text"),
    "conventions:amendment_create": _conv("amendment_create"),
    "conventions:amendment_detail": _conv("amendment_detail", 1),
    "conventions:renewal_create": _conv("renewal_create"),
    "conventions:terminate": _conv("terminate"),
    "conventions:cancel": _conv("cancel"),
    "conventions:post_list": _page("conventions:post_list"),
    "conventions:post_create": _page("conventions:post_create"),
    "conventions:posts_import": _page("conventions:posts_import"),
    "conventions:posts_import_preview": Route(
        "conventions:posts_import_preview",
        lambda w, s: reverse("conventions:posts_import_preview", args=["jeton-inconnu"]),
    ),
    "conventions:posts_template_xlsx": _page("conventions:posts_template_xlsx"),
    "conventions:posts_template_csv": _page("conventions:posts_template_csv"),
    "conventions:post_detail": _post("conventions:post_detail"),
    "conventions:post_edit": _post("conventions:post_edit"),
    "conventions:post_holder_change": _post("conventions:post_holder_change"),
    "conventions:post_sites": _post("conventions:post_sites"),
    # Deliberations and councils.
    "conventions:deliberation_list": _page("conventions:deliberation_list"),
    "conventions:deliberation_create": _page("conventions:deliberation_create"),
    "conventions:deliberation_create?citee": _page("conventions:deliberation_create", citee=1),
    "conventions:deliberation_create?conseil": Route(
        "conventions:deliberation_create",
        lambda w, s: _q(reverse("conventions:deliberation_create"), conseil=s.council.pk),
        "council",
    ),
    "conventions:deliberation_detail": _pk(
        "conventions:deliberation_detail", "deliberation", "deliberation"
    ),
    "conventions:deliberation_edit": _pk(
        "conventions:deliberation_edit", "deliberation", "deliberation"
    ),
    "conventions:deliberation_pdf": _pk(
        "conventions:deliberation_pdf", "deliberation", "deliberation"
    ),
    "conventions:deliberation_editable": Route(
        "conventions:deliberation_editable",
        lambda w, s: reverse("conventions:deliberation_editable", args=[s.deliberation.pk, "docx"]),
        "deliberation",
    ),
    "conventions:deliberation_attendance": _pk(
        "conventions:deliberation_attendance", "deliberation", "deliberation"
    ),
    "conventions:council_list": _page("conventions:council_list"),
    "conventions:council_detail": _pk("conventions:council_detail", "council", "council"),
    "conventions:council_member_edit": _pk(
        "conventions:council_member_edit", "council_member", "council"
    ),
    # Funding.
    "conventions:funding_overview": _page("conventions:funding_overview"),
    "conventions:departement_funding": Route(
        "conventions:departement_funding",
        lambda w, s: reverse("conventions:departement_funding", args=[s.departement]),
    ),
    "conventions:partner_funding": _pk("conventions:partner_funding", "organisation", None),
    "conventions:payment_proof": _pk("conventions:payment_proof", "payment", "convention"),
    "conventions:payment_proofs": _pk("conventions:payment_proofs", "payment", "convention"),
    "conventions:payment_proof_version": Route(
        "conventions:payment_proof_version", _payment_proof_version, "convention"
    ),
    "conventions:payment_cancel": _pk("conventions:payment_cancel", "payment", "convention"),
    "conventions:contribution_update": _pk(
        "conventions:contribution_update", "contribution", "convention"
    ),
    "conventions:funding_plan": _conv("funding_plan"),
    "conventions:funding_plan_csv": _conv("funding_plan_csv"),
    "conventions:funding_plan_xlsx": _conv("funding_plan_xlsx"),
    "conventions:payments_csv": _conv("payments_csv"),
    "conventions:payment_create": Route(
        "conventions:payment_create", _payment_create, "convention"
    ),
    "conventions:contribution_create": _conv("contribution_create"),
    "conventions:post_cost_edit": _conv("post_cost_edit", 2024),
    # Open data: each file holds what the reader's scope holds.
    "conventions:deliberation_publish": _pk(
        "conventions:deliberation_publish", "deliberation", "deliberation"
    ),
    "conventions:deliberation_withdraw": _pk(
        "conventions:deliberation_withdraw", "deliberation", "deliberation"
    ),
    "conventions:opendata": _page("conventions:opendata"),
    "conventions:opendata_deliberations_csv": _page("conventions:opendata_deliberations_csv"),
    "conventions:opendata_subsidies_csv": _page("conventions:opendata_subsidies_csv"),
    # Statistics: the third quarter is entered (Niort: submitted, Ermont: draft), the
    # fourth not yet; the first is validated.
    "activity:home": _page("activity:home"),
    "activity:status_board": _page("activity:status_board"),
    "activity:quarter_entry": _post("activity:quarter_entry", YEAR, 4),
    "activity:quarter_submit": _post("activity:quarter_submit", YEAR, 3),
    "activity:quarter_validate": _post("activity:quarter_validate", YEAR, 3),
    "activity:quarter_reopen": _post("activity:quarter_reopen", YEAR, 1),
    "activity:month_entry": _post("activity:month_entry", YEAR, 10),
    "activity:annual_validate": _post("activity:annual_validate", YEAR),
    "activity:statistics_import": _post("activity:statistics_import"),
    # A token this session never received: the page sends back to the upload.
    "activity:statistics_import_preview": _post(
        "activity:statistics_import_preview", "jeton-inconnu"
    ),
    "activity:statistics_template_xlsx": _post("activity:statistics_template_xlsx"),
    "activity:statistics_template_csv": _post("activity:statistics_template_csv"),
    "activity:bilan_post": _post("activity:bilan_post", YEAR),
    "activity:bilan_post[trimestre]": _post("activity:bilan_post", 2025, 2),
    "activity:bilan_departement": Route(
        "activity:bilan_departement",
        lambda w, s: reverse("activity:bilan_departement", args=[s.departement, 2025]),
        "departement",
    ),
    "activity:bilan_departement[trimestre]": Route(
        "activity:bilan_departement",
        lambda w, s: reverse("activity:bilan_departement", args=[s.departement, 2025, 2]),
        "departement",
    ),
    "activity:bilan_pdf": _post("activity:bilan_pdf", 2025),
    "activity:export_xlsx": Route(
        "activity:export_xlsx",
        lambda w, s: _q(reverse("activity:export_xlsx"), annee=2025, poste=s.post.pk),
        "post",
    ),
    "activity:export_xlsx[departement]": Route(
        "activity:export_xlsx",
        lambda w, s: _q(reverse("activity:export_xlsx"), annee=2025, departement=s.departement),
        "departement",
    ),
    "activity:export_csv": Route(
        "activity:export_csv",
        lambda w, s: _q(reverse("activity:export_csv"), annee=2025, poste=s.post.pk),
        "post",
    ),
    "activity:export_csv[national]": _page("activity:export_csv", annee=2025),
    "activity:export_national": _page("activity:export_national"),
    "activity:bilan_national": Route(
        "activity:bilan_national", lambda w, s: reverse("activity:bilan_national", args=[2025])
    ),
    "activity:bilan_national[trimestre]": Route(
        "activity:bilan_national", lambda w, s: reverse("activity:bilan_national", args=[2025, 2])
    ),
    # Steering: the country for the administrator, a département for it and the
    # préfecture's steering users of that département.
    "steering:national": _page("steering:national"),
    "steering:departement": Route(
        "steering:departement",
        lambda w, s: reverse("steering:departement", args=[s.departement]),
        "departement",
    ),
    "steering:national_pdf": Route(
        "steering:national_pdf", lambda w, s: reverse("steering:national_pdf", args=[2025])
    ),
    "steering:national_xlsx": Route(
        "steering:national_xlsx", lambda w, s: reverse("steering:national_xlsx", args=[2025])
    ),
    "steering:departement_pdf": Route(
        "steering:departement_pdf",
        lambda w, s: reverse("steering:departement_pdf", args=[s.departement, 2025]),
        "departement",
    ),
    "steering:departement_xlsx": Route(
        "steering:departement_xlsx",
        lambda w, s: reverse("steering:departement_xlsx", args=[s.departement, 2025]),
        "departement",
    ),
    # The coverage targets: the administrator's alone.
    "steering:targets": _page("steering:targets"),
    # Public pages (no login): an organisation's published deliberations, its SCDL files,
    # a published extract and a withdrawn one. About nothing private: subject None.
    "public:organisation_deliberations": Route(
        "public:organisation_deliberations",
        lambda w, s: reverse("public:organisation_deliberations", args=[s.organisation.pk]),
    ),
    "public:deliberations_csv": Route(
        "public:deliberations_csv",
        lambda w, s: reverse("public:deliberations_csv", args=[s.organisation.pk]),
    ),
    "public:subsidies_csv": Route(
        "public:subsidies_csv",
        lambda w, s: reverse("public:subsidies_csv", args=[s.organisation.pk]),
    ),
    "public:deliberation_pdf": Route(
        "public:deliberation_pdf", lambda w, s: _publication(s, withdrawn=False)
    ),
    "public:deliberation_pdf[retiree]": Route(
        "public:deliberation_pdf", lambda w, s: _publication(s, withdrawn=True)
    ),
    # The API (config.api): its description and documentation for everyone; its data
    # with a key only, never with a browser's session (tests/api for the keys).
    "api:schema": _page("api:schema"),
    "api:not_found": Route("api:not_found", lambda w, s: "/api/v1/inconnu/"),
    "api:docs": _page("api:docs"),
    "api:organisation-list": _page("api:organisation-list"),
    "api:organisation-detail": Route(
        "api:organisation-detail",
        lambda w, s: reverse("api:organisation-detail", args=[s.organisation.pk]),
    ),
    "api:post-list": _page("api:post-list"),
    "api:post-detail": Route(
        "api:post-detail", lambda w, s: reverse("api:post-detail", args=[s.post.pk])
    ),
    "api:convention-list": _page("api:convention-list"),
    "api:convention-detail": Route(
        "api:convention-detail",
        lambda w, s: reverse("api:convention-detail", args=[s.convention.reference]),
    ),
    "api:deliberation-list": _page("api:deliberation-list"),
    "api:deliberation-detail": Route(
        "api:deliberation-detail",
        lambda w, s: reverse("api:deliberation-detail", args=[s.deliberation.pk]),
    ),
    "api:year-amount-list": _page("api:year-amount-list"),
    "api:payment-list": _page("api:payment-list"),
    "api:payment-detail": Route(
        "api:payment-detail", lambda w, s: reverse("api:payment-detail", args=[s.payment.pk])
    ),
    "api:quarter-list": _page("api:quarter-list"),
    "api:quarter": Route(
        "api:quarter", lambda w, s: reverse("api:quarter", args=[s.post.pk, YEAR, 1])
    ),
    "api:quarter-submit": Route(
        "api:quarter-submit",
        lambda w, s: reverse("api:quarter-submit", args=[s.post.pk, YEAR, 1]),
    ),
    "api:bilan-post": Route(
        "api:bilan-post", lambda w, s: reverse("api:bilan-post", args=[s.post.pk, YEAR])
    ),
    "api:bilan-departement": Route(
        "api:bilan-departement",
        lambda w, s: reverse("api:bilan-departement", args=[s.departement, YEAR]),
    ),
    "api:bilan-national": Route(
        "api:bilan-national", lambda w, s: reverse("api:bilan-national", args=[YEAR])
    ),
}


def build_url(world, label, side_name):
    side = world.side(side_name) if side_name != "-" else None
    return ROUTES[label].build(world, side)


def in_scope(user, side, subject) -> bool:
    """Whether ``scope_for(user)`` holds what the URL is about, on that side of the demo."""
    scope = scope_for(user)
    match subject:
        case "convention":
            return scope.conventions().filter(pk=side.convention.pk).exists()
        case "post":
            return scope.posts().filter(pk=side.post.pk).exists()
        case "deliberation":
            return scope.deliberations().filter(pk=side.deliberation.pk).exists()
        case "council":
            return scope.councils().filter(pk=side.council.pk).exists()
        case "departement":
            return scope.is_admin or scope.posts().filter(departement=side.departement).exists()
        case "team":
            return scope.can_manage_team(side.organisation)
        case "organisation_logo":
            return scope.can_see_organisation_logo(side.organisation)
    raise ValueError(subject)
