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
        items.append({"label": label, "url": url, "current": False})
    # One current entry only: the longest prefix, so that /conventions/deliberations/ is
    # "Délibérations" and not also "Conventions".
    matching = [item for item in items if request.path.startswith(item["url"])]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["current"] = True
    return {"main_navigation": items}
