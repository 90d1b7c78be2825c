"""The pages of a convention's parts, each from the convention page: « Suivi » (the
follow-up committee and the reporting rules), « Annexes », « Partenaires associés »."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from config.core.forms import add_service_errors, formset_changes
from config.core.idempotency import submitted_once
from conventions.access import scope_for
from conventions.parts.forms import (
    PartsForm,
    annex_formsets,
    associated_partner_formsets,
    follow_up_formsets,
)
from conventions.parts.services import (
    AnnexData,
    AssociatedPartnerData,
    CommitteeMemberData,
    ReportingRuleData,
    convention_annexes_save,
    convention_associated_partners_save,
    convention_follow_up_save,
)


@dataclass(frozen=True)
class PartsPage:
    title: str
    intro: str
    saved: str
    formsets: Callable[..., dict]
    # Each formset's prefix -> (the service's argument, its row data class).
    rows: dict
    save: Callable
    # The lines of the formsets on the page: prefix -> (title, new row, add button, empty state).
    labels: dict


FOLLOW_UP = PartsPage(
    title="Suivi de la convention",
    intro="Le comité de suivi (qui y siège, tel que le texte le nomme) et les comptes "
    "rendus que la convention demande, avec leur échéance : « avant le 15 avril » s'écrit "
    "jour 15, mois avril. Sans jour ni mois, le compte rendu n'a pas d'échéance fixe.",
    saved="Le suivi de la convention est enregistré.",
    formsets=follow_up_formsets,
    rows={
        "committee": ("committee", CommitteeMemberData),
        "reporting": ("reporting_rules", ReportingRuleData),
    },
    save=convention_follow_up_save,
    labels={
        "committee": (
            "Comité de suivi",
            "Nouveau membre",
            "Ajouter un membre",
            "Aucun membre du comité de suivi pour l'instant.",
        ),
        "reporting": (
            "Comptes rendus et échéances",
            "Nouvelle échéance",
            "Ajouter une échéance",
            "Aucun compte rendu prévu pour l'instant.",
        ),
    },
)
ANNEXES = PartsPage(
    title="Annexes",
    intro="Les annexes du texte, dans l'ordre ; le poste couvert a son annexe à part.",
    saved="Les annexes sont enregistrées.",
    formsets=annex_formsets,
    rows={"annexes": ("annexes", AnnexData)},
    save=convention_annexes_save,
    labels={
        "annexes": (
            "Annexes",
            "Nouvelle annexe",
            "Ajouter une annexe",
            "Aucune annexe pour l'instant.",
        )
    },
)
ASSOCIATED_PARTNERS = PartsPage(
    title="Partenaires associés",
    intro="Les partenaires associés à la convention sans la signer (le procureur de la "
    "République, par exemple), avec la mention qui les associe.",
    saved="Les partenaires associés sont enregistrés.",
    formsets=associated_partner_formsets,
    rows={"associated": ("partners", AssociatedPartnerData)},
    save=convention_associated_partners_save,
    labels={
        "associated": (
            "Partenaires associés",
            "Nouveau partenaire associé",
            "Ajouter un partenaire associé",
            "Aucun partenaire associé pour l'instant.",
        )
    },
)


def _parts_page(request, reference, page: PartsPage):
    scope = scope_for(request.user)
    convention = get_object_or_404(
        scope.conventions().prefetch_related("parties"), reference=reference
    )
    if not scope.can_edit_convention(convention):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PartsForm(data, version=convention.version)
    formsets = page.formsets(data=data, instance=convention)
    if data is not None:
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            changes = {
                argument: formset_changes(formsets[prefix], data_class)
                for prefix, (argument, data_class) in page.rows.items()
            }
            try:
                page.save(convention=convention, expected_version=form.expected_version, **changes)
            except ValidationError as error:
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error(
                    None,
                    "L'enregistrement se contredit lui-même (par exemple deux organisations "
                    "échangées entre lignes) : enregistrez en deux fois.",
                )
            else:
                messages.success(request, page.saved)
                return redirect(convention)
    return render(
        request,
        "conventions/convention_parts_form.html",
        {
            "convention": convention,
            "page": page,
            "form": form,
            "formsets": [(formsets[prefix], *labels) for prefix, labels in page.labels.items()],
        },
        # A POST that reaches here was refused: its French messages are next to the fields.
        status=400 if data is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def convention_follow_up(request, reference):
    return _parts_page(request, reference, FOLLOW_UP)


@require_http_methods(["GET", "POST"])
@submitted_once
def convention_annexes(request, reference):
    return _parts_page(request, reference, ANNEXES)


@require_http_methods(["GET", "POST"])
@submitted_once
def convention_associated_partners(request, reference):
    return _parts_page(request, reference, ASSOCIATED_PARTNERS)
