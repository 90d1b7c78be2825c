from django.urls import path

from . import views
from .views import lifecycle, posts

app_name = "conventions"

urlpatterns = [
    path("<slug:reference>/pdf/", views.convention_pdf, name="convention_pdf"),
    path(
        "<slug:reference>/avenants/<int:number>/pdf/",
        views.amendment_pdf,
        name="amendment_pdf",
    ),
    path("postes/<int:pk>/", posts.post_detail, name="post_detail"),
    path(
        "postes/<int:pk>/titulaire/",
        posts.post_holder_change_view,
        name="post_holder_change",
    ),
    path("<slug:reference>/historique/", lifecycle.lifecycle, name="lifecycle"),
    path(
        "<slug:reference>/texte-consolide/",
        lifecycle.consolidated_text,
        name="consolidated_text",
    ),
    path(
        "<slug:reference>/avenants/nouveau/",
        lifecycle.amendment_create_view,
        name="amendment_create",
    ),
    path(
        "<slug:reference>/avenants/<int:number>/",
        lifecycle.amendment_detail,
        name="amendment_detail",
    ),
    path("<slug:reference>/reconduction/", lifecycle.renewal_create, name="renewal_create"),
    path("<slug:reference>/denonciation/", lifecycle.terminate, name="terminate"),
    # PLACEHOLDER until the convention pages (branch "pages") are merged, which own
    # "conventions:detail": remove this line then. It lets this branch's pages link to
    # a convention and be tested.
    path("<slug:reference>/", lifecycle.lifecycle, name="detail"),
]
