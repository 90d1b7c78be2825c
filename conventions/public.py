"""The public pages (no login, nothing else): the published deliberations and the
SCDL files.

An organisation's page lists the deliberations it publishes on this site now, each
with its register extract at a stable address that carries a random identifier
(``DeliberationPublication.public_id``). The extract served is the one drawn on
the day of publication. Nothing unpublished answers: an unknown address, an
organisation that is no public body, is a 404.

A withdrawn publication answers 410 Gone with a French page saying when it was
withdrawn: the address did hold the act, and the publication date is what counts
in law (CGCT L2131-1), so a reader who kept the link learns that it was taken down
and when, rather than a 404 that would say it never existed; a search engine or a
data portal reads 410 as « removed for good » and drops it. The reason, typed by an
agent, stays behind the login.

Each organisation's two SCDL files have a stable public address, for a data portal
to harvest (« adresse à donner au portail » on the open-data page). They hold what
the organisation's own agents export (``publisher_scope``), nothing more: its
deliberations published on this site (the ones already public), and its subsidies
(public by law: loi n° 2000-321 article 10, décret n° 2017-779). A file that cannot
be made yet (a SIRET or an ACTES code missing) answers 409 with a short
French page: what to complete is shown to the organisation, behind the login.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from conventions.access import publisher_scope
from conventions.models import DeliberationPublication
from conventions.opendata.deliberations import deliberations_export
from conventions.opendata.schema import to_csv
from conventions.opendata.subsidies import PUBLIC_BODIES, subsidies_export
from partners.models import Organisation


def public_organisation(pk) -> Organisation:
    """Only a public body publishes (its acts, its subsidies); any other is a 404."""
    return get_object_or_404(Organisation.objects.filter(kind__in=PUBLIC_BODIES), pk=pk)


@login_not_required
@require_safe
def organisation_deliberations(request, pk):
    organisation = public_organisation(pk)
    publications = DeliberationPublication.objects.for_public_list(organisation).defer("pdf")
    return render(
        request,
        "public/organisation_deliberations.html",
        {"organisation": organisation, "publications": publications, "public_page": True},
    )


@login_not_required
@require_safe
def deliberation_pdf(request, public_id):
    publication = get_object_or_404(
        DeliberationPublication.objects.select_related("deliberation__organisation"),
        public_id=public_id,
    )
    deliberation = publication.deliberation
    if not publication.is_current:
        current = (
            DeliberationPublication.objects.current()
            .filter(deliberation=deliberation)
            .defer("pdf")
            .first()
        )
        return render(
            request,
            "public/deliberation_withdrawn.html",
            {
                "publication": publication,
                "deliberation": deliberation,
                "current": current,
                "public_page": True,
            },
            status=410,
        )
    response = HttpResponse(bytes(publication.pdf), content_type="application/pdf")
    filename = f"deliberation-{slugify(deliberation.number)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _public_csv(request, pk, build):
    organisation = public_organisation(pk)
    export = build(publisher_scope(organisation), organisation)
    if not export.is_ready:
        return render(
            request,
            "public/scdl_unavailable.html",
            {"organisation": organisation, "export": export, "public_page": True},
            status=409,
        )
    response = HttpResponse(
        to_csv(export.schema, export.rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.schema.filename}"'
    return response


@login_not_required
@require_safe
def deliberations_csv(request, pk):
    return _public_csv(
        request,
        pk,
        lambda scope, organisation: deliberations_export(
            scope, organisation, published_here_only=True
        ),
    )


@login_not_required
@require_safe
def subsidies_csv(request, pk):
    return _public_csv(request, pk, subsidies_export)
