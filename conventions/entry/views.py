"""A new convention, step by step (the DSFR stepper): 1 parties, 2 posts, 3 text,
4 duration and renewal, 5 funding, 6 reporting, then a summary and « Terminer ».

Each step is the edit page's forms cut in six (ConventionStepForm, the party, visa and
article formsets, the contribution form, the follow-up formsets) saved by their usual
services: the draft exists from the first valid step, and ``Convention.entry_step``
says where to resume. A package of its own: it uses agreements, funding and parts,
which must not import one another in a circle.
"""

from dataclasses import dataclass, fields

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from config.core.forms import add_service_errors, formset_changes
from config.core.idempotency import OnceFormMixin, submitted_once
from conventions.access import scope_for
from conventions.agreements.forms import ConventionStepForm, convention_formsets
from conventions.agreements.services import (
    ENTRY_SUMMARY_STEP,
    ArticleData,
    ConventionData,
    LegalReferenceData,
    PartyData,
    convention_entry_finish,
    convention_entry_reach,
    convention_save,
    representative_in_office,
)
from conventions.enums import Side
from conventions.funding.forms import ContributionForm, year_share_formset
from conventions.funding.services import contribution_save
from conventions.models import Convention
from conventions.parts.forms import PartsForm, follow_up_formsets
from conventions.parts.services import (
    CommitteeMemberData,
    ReportingRuleData,
    convention_follow_up_save,
)
from partners.enums import Role


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str
    intro: str
    # The convention's own fields on this step (ConventionStepForm).
    fields: tuple[str, ...] = ()
    # The edit page's formsets on this step (convention_formsets).
    formsets: tuple[str, ...] = ()


STEPS = (
    Step(
        1,
        "parties",
        "Parties",
        "La référence et le titre de la convention, puis les parties : chaque organisation, "
        "son représentant à la signature et son rôle. Le projet est enregistré dès cette "
        "étape : vous pourrez reprendre la saisie plus tard.",
        fields=(
            "reference",
            "title",
            "subtitle",
            "kind",
            "is_template",
            "place_of_signature",
            "parties_opening",
            "parties_member_link",
            "first_side_closing",
            "parties_group_link",
            "second_side_closing",
        ),
        formsets=("parties",),
    ),
    Step(
        2,
        "postes",
        "Poste(s)",
        "Le ou les postes d'ISC que la convention couvre (une convention-cadre en couvre "
        "plusieurs, chacun dans son annexe), et le fonctionnement du poste.",
        fields=(
            "posts",
            "statistics_validation",
            "statistics_validator",
            "first_contact_hours",
            "relay_organisation",
            "relay_details",
        ),
    ),
    Step(
        3,
        "texte",
        "Texte",
        "Le préambule, les visas et les articles de la convention.",
        fields=("preamble", "agreement_heading"),
        formsets=("references", "articles"),
    ),
    Step(
        4,
        "duree",
        "Durée et reconduction",
        "La prise d'effet, le terme, la reconduction et la dénonciation.",
        fields=(
            "start_rule",
            "stated_start_date",
            "end_date",
            "duration_years",
            "term_governed_by",
            "renewal_mode",
            "renewal_period_years",
            "notice_months",
            "notice_form",
            "suspensive_clause",
        ),
    ),
    Step(
        5,
        "financement",
        "Financement",
        "La contribution de chaque financeur : sa règle (montant fixe, part du coût, solde) "
        "et ses montants. Ajoutez-les une à une, puis continuez.",
    ),
    Step(
        6,
        "suivi",
        "Suivi",
        "Le comité de suivi et les comptes rendus que la convention demande, avec leur "
        "échéance : « avant le 15 avril » s'écrit jour 15, mois avril.",
    ),
)
# Most ISCG conventions run for three years.
DEFAULT_DURATION_YEARS = 3
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def step_url(convention: Convention, number: int) -> str:
    if number >= ENTRY_SUMMARY_STEP:
        return reverse("conventions:entry_summary", args=[convention.reference])
    return reverse("conventions:entry_step", args=[convention.reference, STEPS[number - 1].slug])


def resume_url(convention: Convention) -> str:
    """« Reprendre la saisie »: the first step not yet saved, or the summary."""
    return step_url(convention, convention.entry_step or 1)


def _step_urls(convention: Convention) -> dict:
    """The links to the steps already reached (none before the draft exists)."""
    if convention.pk is None or convention.entry_step is None:
        return {}
    return {
        step.slug: step_url(convention, step.number)
        for step in STEPS
        if step.number <= convention.entry_step
    }


def _step_links(convention: Convention) -> list:
    """(step, its link or None): the stepper's list of the steps."""
    urls = _step_urls(convention)
    return [(step, urls.get(step.slug)) for step in STEPS] if urls else []


def _stepper(step: Step | None) -> dict:
    """What the DSFR stepper shows: « Étape 2 sur 6 », this step and the next."""
    if step is None:
        return {"number": len(STEPS), "count": len(STEPS), "title": "Récapitulatif"}
    following = STEPS[step.number] if step.number < len(STEPS) else None
    return {
        "number": step.number,
        "count": len(STEPS),
        "title": step.title,
        "next_title": following.title if following else "Récapitulatif",
    }


def _entry_convention(request, reference):
    """A draft being entered step by step, that the user may edit (the edit page's
    rule); out of her scope, or finished, it is not found."""
    scope = scope_for(request.user)
    convention = get_object_or_404(
        scope.conventions().prefetch_related("parties"),
        reference=reference,
        entry_step__isnull=False,
    )
    if not scope.can_edit_convention(convention):
        raise PermissionDenied
    return scope, convention


def _own_party_initial(user):
    """A local authority's new convention starts with its organisation as first party."""
    if user.role != Role.LOCAL_AUTHORITY:
        return None
    organisation = user.organisation
    representative = representative_in_office(organisation, timezone.localdate())
    return [
        {
            "organisation": organisation.pk,
            "representative": representative.pk if representative else None,
            "side": Side.FIRST,
            "is_funder": True,
        }
    ]


def _convention_data(form, convention: Convention) -> ConventionData:
    """The whole convention for convention_save(): the step's values are already on the
    instance (the bound model form put them there), the other steps' are as saved."""
    kept = {field.name for field in fields(ConventionData)} - {"posts", "is_template"}
    return ConventionData(
        **{name: getattr(convention, name) for name in kept},
        posts=form.cleaned_data["posts"] if "posts" in form.fields else None,
        is_template=form.cleaned_data["is_template"] if "is_template" in form.fields else None,
    )


def _after_save(request, convention: Convention, step: Step):
    """Where a saved step leads: the previous step when asked, else the next one."""
    convention_entry_reach(convention=convention, step=step.number + 1)
    if request.POST.get("direction") == "back" and step.number > 1:
        return redirect(step_url(convention, step.number - 1))
    return redirect(step_url(convention, step.number + 1))


def _render_step(request, convention, step, context, *, invalid):
    return render(
        request,
        "conventions/entry/step.html",
        {
            "convention": convention,
            "step": step,
            "steps": STEPS,
            "stepper": _stepper(step),
            "step_template": f"conventions/entry/_step_{step.slug}.html",
            "step_links": _step_links(convention),
            **context,
        },
        # Refused input comes back with its errors, and a status that says so.
        status=400 if invalid else 200,
    )


def _convention_step(request, scope, convention: Convention, step: Step):
    creating = convention.pk is None
    required = request.user.organisation if request.user.role == Role.LOCAL_AUTHORITY else None
    data = request.POST if request.method == "POST" else None
    form = ConventionStepForm(data, instance=convention, scope=scope, step_fields=step.fields)
    if step.number == 2 and not convention.is_template:
        form.fields["posts"].required = True
        form.fields["posts"].error_messages["required"] = (
            "Choisissez au moins un poste : une convention-cadre en couvre plusieurs."
        )
    formsets = convention_formsets(
        data=data,
        instance=convention,
        required_organisation=required,
        # Only to show: a posted row equal to its initial values would count as unchanged.
        party_initial=_own_party_initial(request.user) if creating and data is None else None,
        names=step.formsets,
    )
    if data is not None:
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            rows = {
                argument: formset_changes(formsets[name], data_class)
                for name, argument, data_class in (
                    ("parties", "parties", PartyData),
                    ("references", "references", LegalReferenceData),
                    ("articles", "articles", ArticleData),
                )
                if name in formsets
            }
            try:
                convention = convention_save(
                    convention=convention,
                    data=_convention_data(form, convention),
                    expected_version=form.expected_version,
                    user=request.user,
                    **rows,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error(
                    None,
                    "L'enregistrement se contredit lui-même (par exemple deux parties ou deux "
                    "numéros d'article échangés entre lignes) : enregistrez en deux fois.",
                )
            else:
                if creating:
                    messages.success(request, "Le projet de convention est enregistré.")
                return _after_save(request, convention, step)
    if creating:
        # A refused first save was rolled back: nothing exists yet to link to.
        shown = Convention(entry_step=None)
    elif data is not None:
        # Links use the saved reference: binding the form changed the instance's.
        shown = Convention.objects.get(pk=convention.pk)
    else:
        shown = convention
    return _render_step(
        request,
        shown,
        step,
        {"form": form, "formsets": formsets, "creating": creating},
        invalid=data is not None,
    )


def _funding_step(request, scope, convention: Convention, step: Step):
    adding = request.method == "POST" and request.POST.get("action") == "add"
    if request.method == "POST" and not adding:
        return _after_save(request, convention, step)
    data = request.POST if adding else None
    form = ContributionForm(data, convention=convention, scope=scope)
    shares = year_share_formset(data=data)
    if adding and form.is_valid() and shares.is_valid():
        try:
            contribution = contribution_save(
                contribution=form.save(commit=False),
                expected_version=form.expected_version,
                year_shares=shares.shares(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"La contribution de {contribution.organisation} est ajoutée."
            )
            return redirect(step_url(convention, step.number))
    contributions = convention.contributions.select_related("organisation", "post").order_by(
        "organisation__name", "first_year", "pk"
    )
    return _render_step(
        request,
        convention,
        step,
        {"form": form, "shares": shares, "contributions": contributions},
        invalid=adding,
    )


def _reporting_step(request, scope, convention: Convention, step: Step):
    data = request.POST if request.method == "POST" else None
    form = PartsForm(data, version=convention.version)
    formsets = follow_up_formsets(data=data, instance=convention)
    if data is not None:
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            try:
                convention_follow_up_save(
                    convention=convention,
                    expected_version=form.expected_version,
                    committee=formset_changes(formsets["committee"], CommitteeMemberData),
                    reporting_rules=formset_changes(formsets["reporting"], ReportingRuleData),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except IntegrityError:
                form.add_error(
                    None,
                    "L'enregistrement se contredit lui-même (par exemple deux organisations "
                    "échangées entre lignes) : enregistrez en deux fois.",
                )
            else:
                return _after_save(request, convention, step)
    return _render_step(
        request,
        convention,
        step,
        {"form": form, "formsets": formsets},
        invalid=data is not None,
    )


class FinishForm(OnceFormMixin, forms.Form):
    """« Terminer »: only its token, so that a double click finishes once."""


STEP_PAGES = {5: _funding_step, 6: _reporting_step}


@require_http_methods(["GET", "POST"])
@submitted_once
def convention_create(request):
    """Step 1 of a new convention: nothing is saved before it is valid."""
    scope = scope_for(request.user)
    if not scope.can_create_convention:
        raise PermissionDenied
    # The model wants a term from the start; step 4 shows this one to check or change.
    draft = Convention(duration_years=DEFAULT_DURATION_YEARS)
    return _convention_step(request, scope, draft, STEPS[0])


@require_http_methods(["GET", "POST"])
@submitted_once
def convention_entry_step(request, reference, step):
    if step not in STEPS_BY_SLUG:
        raise Http404("Cette étape n'existe pas.")
    current = STEPS_BY_SLUG[step]
    scope, convention = _entry_convention(request, reference)
    if current.number > convention.entry_step:
        # A step is reached in order: the earlier ones are saved first.
        return redirect(resume_url(convention))
    page = STEP_PAGES.get(current.number, _convention_step)
    return page(request, scope, convention, current)


@require_http_methods(["GET"])
def convention_entry_resume(request, reference):
    """« Reprendre la saisie »: the first step not yet saved, or the summary."""
    _scope, convention = _entry_convention(request, reference)
    return redirect(resume_url(convention))


@require_http_methods(["GET", "POST"])
@submitted_once
def convention_entry_summary(request, reference):
    _scope, convention = _entry_convention(request, reference)
    if convention.entry_step < ENTRY_SUMMARY_STEP:
        return redirect(resume_url(convention))
    form = FinishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        convention_entry_finish(convention=convention)
        messages.success(request, "La saisie de la convention est terminée : c'est un projet.")
        return redirect(convention)
    convention = (
        Convention.objects.filter(pk=convention.pk)
        .prefetch_related(
            "parties__organisation",
            "parties__representative",
            "sections__post",
            "references",
            "articles",
            "contributions__organisation",
            "contributions__post",
            "committee_members__organisation",
            "reporting_rules",
        )
        .get()
    )
    return render(
        request,
        "conventions/entry/summary.html",
        {
            "convention": convention,
            "form": form,
            "steps": STEPS,
            "stepper": _stepper(None),
            "step_urls": _step_urls(convention),
            "step_links": _step_links(convention),
        },
    )
