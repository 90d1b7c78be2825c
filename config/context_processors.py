from django.urls import NoReverseMatch, reverse

# (label, URL name). An entry shows once its pages exist and the user is logged in.
MAIN_NAVIGATION = [
    ("Conventions", "conventions:list"),
    ("Délibérations", "conventions:deliberation_list"),
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
        items.append({"label": label, "url": url, "current": request.path.startswith(url)})
    return {"main_navigation": items}
