"""« Mes imports et exports »: the runs a person asked for (config.jobs.runs), followed
while a worker does them, then their outcome and their file. A person sees their own
runs only (``Scope.runs``): anybody else's is a 404 like anything out of scope."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from config.core.lists import list_page
from config.jobs.models import RunState
from config.jobs.runs import RUN_KEPT, run_redirect, untold_outcome_url
from conventions.access import scope_for

PAGE_SIZE = 20


def _run(request, public_id):
    return get_object_or_404(scope_for(request.user).runs(), public_id=public_id)


@require_GET
def run_list(request):
    runs = scope_for(request.user).runs()
    context = {**list_page(request, runs, page_size=PAGE_SIZE), "kept_days": RUN_KEPT.days}
    return render(request, "runs/list.html", context)


@require_GET
def run_detail(request, public_id):
    run = _run(request, public_id)
    if untold_outcome_url(run):
        # A finished import: its message once, on the page it leads to.
        return run_redirect(request, run)
    return render(request, "runs/detail.html", {"run": run, "kept_days": RUN_KEPT.days})


@require_GET
def run_state(request, public_id):
    """What the run's page asks every few seconds while it waits."""
    run = _run(request, public_id)
    return JsonResponse({"etat": run.state, "fini": run.state != RunState.WAITING})


@require_GET
def run_file(request, public_id):
    run = _run(request, public_id)
    if run.state != RunState.DONE or not run.file:
        raise Http404("Aucun fichier pour ce traitement.")
    try:
        stored = run.file.open("rb")
    except OSError as error:
        raise Http404("Le fichier n'est plus disponible : demandez-le de nouveau.") from error
    return FileResponse(stored, as_attachment=True, filename=run.filename)


urlpatterns = [
    path("", run_list, name="list"),
    path("<uuid:public_id>/", run_detail, name="detail"),
    path("<uuid:public_id>/etat/", run_state, name="state"),
    path("<uuid:public_id>/fichier/", run_file, name="file"),
]
urls = (urlpatterns, "runs")
