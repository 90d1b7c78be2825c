"""Open-data page and its two SCDL files (built and checked by ``conventions.opendata``).

Both files hold what ``scope_for(request.user)`` lets the reader see, nothing more.
"""

from django.http import HttpResponse
from django.shortcuts import render

from conventions.access import scope_for
from conventions.opendata.deliberations import deliberations_export
from conventions.opendata.schema import to_csv
from conventions.opendata.subsidies import subsidies_export


def opendata(request):
    scope = scope_for(request.user)
    return render(
        request,
        "conventions/opendata.html",
        {
            "exports": [
                (deliberations_export(scope), "conventions:opendata_deliberations_csv"),
                (subsidies_export(scope), "conventions:opendata_subsidies_csv"),
            ]
        },
    )


def _csv_or_problems(request, export):
    """The file when every row is valid; otherwise the list of what to fill in.

    The list answers 409 Conflict, not 200: the request is fine but the data is
    not yet in a state to make the file. A person sees the same page either way,
    while a script that downloads the export every night fails loudly instead of
    saving an HTML page under a .csv name.
    """
    if not export.is_ready:
        return render(request, "conventions/opendata_problems.html", {"export": export}, status=409)
    response = HttpResponse(
        to_csv(export.schema, export.rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.schema.filename}"'
    return response


def opendata_deliberations_csv(request):
    return _csv_or_problems(request, deliberations_export(scope_for(request.user)))


def opendata_subsidies_csv(request):
    return _csv_or_problems(request, subsidies_export(scope_for(request.user)))
