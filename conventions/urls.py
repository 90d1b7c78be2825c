from django.urls import path

from . import views

app_name = "conventions"

urlpatterns = [
    path("<slug:reference>/pdf/", views.convention_pdf, name="convention_pdf"),
    path(
        "<slug:reference>/avenants/<int:number>/pdf/",
        views.amendment_pdf,
        name="amendment_pdf",
    ),
]
