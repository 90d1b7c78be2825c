"""Open-data page and its two SCDL files (built and checked by ``conventions.opendata``).

Each file is one organisation's (the publisher): its own deliberations, the
subsidies it grants. A user publishes for their organisation; an administrator
chooses the organisation. Both files hold what ``scope_for(request.user)`` lets
the reader see, nothing more.
"""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from conventions.access import scope_for
from conventions.models import Contribution, Deliberation
from conventions.opendata.deliberations import deliberations_export
from conventions.opendata.export import absolute_url
from conventions.opendata.schema import to_csv
from conventions.opendata.subsidies import PUBLIC_BODIES, subsidies_export
from partners.models import Organisation


class PublisherForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation qui publie",
        queryset=Organisation.objects.none(),
        empty_label="Choisissez une organisation",
        error_messages={
            "required": "Choisissez l'organisation dont vous publiez les données.",
            "invalid_choice": "Cette organisation ne figure pas dans la liste : choisissez-en "
            "une qui délibère ou attribue un financement.",
        },
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = publishers(scope)


def publishers(scope):
    """Who may publish here: the user's organisation, or, for an administrator, every
    organisation with a deliberation or a contribution of its own."""
    if not scope.is_admin:
        if scope.organisation is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(pk=scope.organisation.pk)
    own_deliberation = Deliberation.objects.filter(
        organisation=OuterRef("pk"), is_reference_only=False
    )
    own_contribution = Contribution.objects.filter(organisation=OuterRef("pk"))
    return Organisation.objects.filter(
        Q(Exists(own_deliberation)) | Q(Exists(own_contribution))
    ).order_by("name")


def _publisher(request, scope):
    """The publishing organisation and the form; (None, form) until one is chosen.

    A user with an organisation publishes for it without a question (no query); an
    administrator picks it in the form, as does anyone sending ``organisation``.
    """
    if "organisation" not in request.GET and not scope.is_admin:
        return scope.organisation, None
    form = PublisherForm(request.GET if "organisation" in request.GET else None, scope=scope)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["organisation"], form
    return None, form


def opendata(request):
    scope = scope_for(request.user)
    publisher, form = _publisher(request, scope)
    exports = []
    if publisher is not None:
        exports = [
            (
                deliberations_export(scope, publisher),
                "conventions:opendata_deliberations_csv",
                _public_address(publisher, "public:deliberations_csv"),
            ),
            (
                subsidies_export(scope, publisher),
                "conventions:opendata_subsidies_csv",
                _public_address(publisher, "public:subsidies_csv"),
            ),
        ]
    status = 400 if form is not None and form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "conventions/opendata.html",
        {"exports": exports, "form": form, "publisher": publisher},
        status=status,
    )


def _public_address(publisher, url_name) -> str:
    """The file's stable public address, for a data portal to harvest (public bodies
    only: conventions.opendata.public). The public deliberations file holds only the
    deliberations published on this site."""
    if publisher.kind not in PUBLIC_BODIES:
        return ""
    return absolute_url(reverse(url_name, args=[publisher.pk]))


def _csv_or_problems(request, build):
    """The file when every row is valid; otherwise the list of what to fill in.

    The list answers 409 Conflict, not 200: the request is fine but the data is
    not yet in a state to make the file. A person sees the same page either way,
    while a script that downloads the export every night fails loudly instead of
    saving an HTML page under a .csv name. Without a publisher, the open-data page
    answers 400 with the question next to its field.
    """
    scope = scope_for(request.user)
    publisher, form = _publisher(request, scope)
    if publisher is None:
        form = PublisherForm(request.GET, scope=scope)
        form.is_valid()  # says what is missing next to the field
        context = {"exports": [], "form": form, "publisher": None}
        return render(request, "conventions/opendata.html", context, status=400)
    export = build(scope, publisher)
    if not export.is_ready:
        return render(request, "conventions/opendata_problems.html", {"export": export}, status=409)
    response = HttpResponse(
        to_csv(export.schema, export.rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.schema.filename}"'
    return response


def opendata_deliberations_csv(request):
    return _csv_or_problems(request, deliberations_export)


def opendata_subsidies_csv(request):
    return _csv_or_problems(request, subsidies_export)
