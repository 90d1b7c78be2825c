"""The coverage targets page: the default per département, the national total and one
target per département, edited by the national administrator as one sheet."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from config.core.concurrency import VersionedFormMixin, stale_version_error
from config.core.forms import add_service_errors
from config.core.idempotency import OnceFormMixin, submitted_once
from config.steering.models import NATIONAL_TARGET_PK, DepartementTarget, NationalTarget
from conventions.access import scope_for
from partners.departements import DEPARTEMENTS

MAX_POSTS = 999  # per département: a typing slip beyond that


def departement_field(code: str) -> str:
    return f"departement_{code}"


class TargetsForm(OnceFormMixin, VersionedFormMixin, forms.Form):
    posts_per_departement = forms.IntegerField(
        label="Objectif par défaut par département",
        help_text="Nombre de postes visé dans un département sans objectif propre.",
        min_value=0,
        max_value=MAX_POSTS,
    )
    national_total = forms.IntegerField(
        label="Objectif national",
        help_text="Nombre de postes visé en France entière, par exemple 600. Laissez vide "
        "pour retenir la somme des objectifs des départements.",
        min_value=1,
        max_value=MAX_POSTS * len(DEPARTEMENTS),
        required=False,
    )

    def __init__(self, *args, national: NationalTarget, own: dict[str, int], **kwargs):
        super().__init__(
            *args,
            version=national.version,
            initial={
                "posts_per_departement": national.posts_per_departement,
                "national_total": national.national_total,
                **{departement_field(code): posts for code, posts in own.items()},
            },
            **kwargs,
        )
        for departement in DEPARTEMENTS:
            self.fields[departement_field(departement.code)] = forms.IntegerField(
                label=f"Objectif {departement.of_name} ({departement.code})",
                min_value=0,
                max_value=MAX_POSTS,
                required=False,
                widget=forms.NumberInput(
                    attrs={"placeholder": national.posts_per_departement, "min": 0}
                ),
            )

    def departement_rows(self):
        """(département, its bound field), in the order of the codes."""
        return [
            (departement, self[departement_field(departement.code)]) for departement in DEPARTEMENTS
        ]

    def departement_targets(self) -> dict[str, int | None]:
        """Each département's own target; None: the default."""
        return {
            departement.code: self.cleaned_data[departement_field(departement.code)]
            for departement in DEPARTEMENTS
        }


@transaction.atomic
def targets_save(
    *,
    posts_per_departement: int,
    national_total: int | None,
    departements: dict[str, int | None],
    expected_version: int | None,
    user,
) -> NationalTarget:
    """Save the whole sheet; one displayed before another save is refused.

    Before the first save there is no row: the page shows version 0, the row is created
    at version 0 then raised. Its lock orders concurrent saves of the sheet.
    """
    NationalTarget.objects.get_or_create(pk=NATIONAL_TARGET_PK, defaults={"version": 0})
    national = NationalTarget.objects.select_for_update().get(pk=NATIONAL_TARGET_PK)
    if national.version != expected_version:
        raise stale_version_error(
            national,
            expected_version,
            what="les objectifs de couverture",
            related=[DepartementTarget.history.all()],
        )
    national.posts_per_departement = posts_per_departement
    national.national_total = national_total
    national.updated_by = user
    national.version += 1
    national.full_clean()
    national.save()
    saved = {target.departement: target for target in DepartementTarget.objects.all()}
    for code, posts in departements.items():
        target = saved.get(code)
        if posts is None:
            if target is not None:
                target.delete()
        elif target is None or target.posts != posts:
            target = target or DepartementTarget(departement=code)
            target.posts = posts
            target.updated_by = user
            target.full_clean()
            target.save()
    return national


@submitted_once
def targets(request):
    if not scope_for(request.user).is_admin:
        raise Http404
    national = NationalTarget.current()
    own = dict(DepartementTarget.objects.values_list("departement", "posts"))
    # An empty POST is a form sent without its fields (refused), not a GET.
    data = request.POST if request.method == "POST" else None
    form = TargetsForm(data, national=national, own=own)
    if request.method == "POST" and form.is_valid():
        try:
            targets_save(
                posts_per_departement=form.cleaned_data["posts_per_departement"],
                national_total=form.cleaned_data["national_total"],
                departements=form.departement_targets(),
                expected_version=form.expected_version,
                user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Les objectifs de couverture sont enregistrés.")
            return redirect("steering:targets")
    return render(
        request,
        "steering/targets.html",
        {"form": form, "national": national, "own": own},
        status=400 if form.errors else 200,
    )
