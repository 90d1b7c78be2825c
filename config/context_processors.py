from django.conf import settings
from django.urls import NoReverseMatch, reverse

from partners.departements import BY_CODE
from partners.enums import Role

# (label, URL name). An entry shows once its pages exist and the user is logged in.
MAIN_NAVIGATION = [
    ("Conventions", "conventions:list"),
    ("Délibérations", "conventions:deliberation_list"),
    ("Postes", "conventions:post_list"),
    ("Financements", "conventions:funding_overview"),
    ("Statistiques", "activity:home"),
    ("Partenaires", "partners:list"),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    items = []
    for label, name in MAIN_NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "current": False})
    steering_url = _steering_url(request.user)
    if steering_url:
        items.append({"label": "Pilotage", "url": steering_url, "current": False})
    # One current entry only: the longest prefix, so that /conventions/deliberations/ is
    # "Délibérations" and not also "Conventions".
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return {"main_navigation": items}


def _steering_url(user) -> str:
    """The administrator and the national steering steer the country; a préfecture's
    steering user its département (conventions.access.Scope.can_steer decides, the page
    answers 404 to anyone else)."""
    if user.is_superuser or user.role == Role.NATIONAL_STEERING:
        return reverse("steering:national")
    if user.role == Role.DEPARTEMENTAL_STEERING and user.organisation_id:
        departement = user.organisation.departement
        if departement in BY_CODE:
            return reverse("steering:departement", args=[departement])
    return ""


def site_identity() -> dict:
    """Who runs the service, for the header, the footer and the legal pages. Read from
    the settings only (no database): the server-error page renders it too."""
    return {
        "service": {
            "state_operator": settings.STATE_OPERATOR,
            "operator_name": settings.OPERATOR_NAME,
            "operator_address": settings.OPERATOR_ADDRESS,
            "publication_director": settings.PUBLICATION_DIRECTOR,
            "host": settings.HOSTING_PROVIDER,
            "contact_email": settings.CONTACT_EMAIL,
            "dpo_email": settings.DPO_EMAIL,
        }
    }


def service(request):
    return site_identity()
