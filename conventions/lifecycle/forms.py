"""Forms of the lifecycle pages: an amendment with its structured changes (articles, new
amounts, new contributions, parties), a renewal, a termination, a cancellation.

One piece of some 470 lines: the amendment page alone is five forms validated together
(``lifecycle.views.amendment_create_view``), and the others are short; each checks with
the rules of ``conventions.lifecycle.rules`` that its service checks again.
"""

from django import forms
from django.core.exceptions import ValidationError

from config.core.forms import FiniteDecimalField, capped
from config.core.idempotency import OnceFormMixin
from conventions.enums import (
    ArticleChangeAction,
    ContributionRule,
    PartyChangeAction,
    ProRata,
    TerminationKind,
)
from conventions.lifecycle.rules import (
    EARLY_KINDS,
    amendment_term_problems,
    article_change_problems,
    contribution_change_problems,
    duplicate_article_message,
    next_amendment_number,
    party_change_problems,
    termination_outside_clause,
)
from conventions.lifecycle.services import (
    ArticleChangeSpec,
    ContributionChangeSpec,
    NewContributionSpec,
    PartyChangeSpec,
    TermChangeSpec,
)
from conventions.models import Amendment, ArticleChange, Contribution, Post, Renewal
from conventions.models.cancellation import clean_reason
from partners.forms import DateInput
from partners.models import Organisation, User


class AmendmentForm(OnceFormMixin, forms.ModelForm):
    TERM_FIELDS = [
        "new_end_date",
        "new_duration_years",
        "new_renewal_mode",
        "new_renewal_period_years",
        "new_notice_months",
    ]

    class Meta:
        model = Amendment
        fields = [
            "number",
            "signed_on",
            "effective_on",
            "object",
            "new_end_date",
            "new_duration_years",
            "new_renewal_mode",
            "new_renewal_period_years",
            "new_notice_months",
        ]
        widgets = {
            "signed_on": DateInput(),
            "effective_on": DateInput(),
            "new_end_date": DateInput(),
            "object": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "object": "Par exemple « Modification du montant de la participation ».",
            "signed_on": "Vide tant que l'avenant n'est pas signé : il ne change alors rien "
            "aux dates ni aux montants.",
            "new_renewal_mode": "Vide : la reconduction reste celle de la convention.",
            "new_notice_months": "Vide : le préavis reste celui de la convention.",
        }
        labels = {"effective_on": "Date de prise d'effet"}

    def clean(self):
        data = super().clean()
        problems = amendment_term_problems(
            self.convention,
            effective_on=data.get("effective_on"),
            new_end_date=data.get("new_end_date"),
            new_renewal_mode=data.get("new_renewal_mode", ""),
            new_renewal_period_years=data.get("new_renewal_period_years"),
        )
        for field, message in problems.items():
            self.add_error(field, message)
        return data

    def terms(self) -> TermChangeSpec:
        return TermChangeSpec(**{name: self.cleaned_data[name] for name in self.TERM_FIELDS})

    added_posts = forms.ModelMultipleChoiceField(
        label="Postes ajoutés à la convention",
        queryset=Post.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Chacun devient une nouvelle annexe, comptée à partir de la prise d'effet "
        "de l'avenant signé.",
    )
    removed_posts = forms.ModelMultipleChoiceField(
        label="Postes retirés de la convention",
        queryset=Post.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ils ne sont plus comptés (coût, financement, statistiques) à partir de la "
        "prise d'effet de l'avenant signé.",
    )

    def __init__(self, *args, convention, posts=None, **kwargs):
        """``posts``: the posts the user may add (the scope's), those of the convention
        left out."""
        self.convention = convention
        super().__init__(*args, **kwargs)
        self.fields["number"].initial = next_amendment_number(convention)
        in_convention = convention.sections.values("post_id")
        self.fields["added_posts"].queryset = (
            posts.exclude(pk__in=in_convention).order_by("departement", "name")
            if posts is not None
            else Post.objects.none()
        )
        self.fields["removed_posts"].queryset = Post.objects.filter(
            sections__convention=convention, sections__removed_by__isnull=True
        ).order_by("sections__number")

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number < 1:
            raise ValidationError("Les avenants sont numérotés à partir de 1.")
        if any(a.number == number for a in self.convention.amendments.all()):
            raise ValidationError(
                f"L'avenant n° {number} existe déjà pour cette convention : le prochain numéro "
                f"libre est le {next_amendment_number(self.convention)}."
            )
        return number


class ArticleChangeForm(forms.ModelForm):
    class Meta:
        model = ArticleChange
        fields = ["article_number", "action", "new_title", "new_body"]
        widgets = {"new_body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "new_title": "Pour un remplacement, laissez vide pour garder le titre actuel.",
            "new_body": "Inutile pour une suppression.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article_number"].widget.attrs.update({"min": 1, "data-article-number": ""})
        self.fields["action"].widget.attrs["data-action"] = ""
        self.fields["new_title"].widget.attrs["data-new-title"] = ""
        self.fields["new_body"].widget.attrs["data-new-body"] = ""

    def spec(self) -> ArticleChangeSpec:
        data = self.cleaned_data
        return ArticleChangeSpec(
            article_number=data["article_number"],
            action=data["action"],
            new_title=data["new_title"],
            new_body=data["new_body"],
        )


class BaseArticleChangeFormSet(forms.BaseFormSet):
    def __init__(self, *args, current_articles, **kwargs):
        self.current_articles = {a.number: a for a in current_articles}
        super().__init__(*args, **kwargs)

    def filled_forms(self):
        # Blank extra forms, and pre-filled ones left as they were, change nothing.
        return [f for f in self.forms if f.has_changed() and f.cleaned_data]

    def clean(self):
        seen = set()
        for form in self.filled_forms():
            data = form.cleaned_data
            number = data.get("article_number")
            if number is None or not data.get("action"):
                continue
            if number in seen:
                form.add_error("article_number", duplicate_article_message(number))
                continue
            seen.add(number)
            problems = article_change_problems(
                article_number=number,
                action=data["action"],
                new_body=data.get("new_body", ""),
                current=self.current_articles,
            )
            for field, message in problems.items():
                form.add_error(field, message)

    def specs(self) -> list[ArticleChangeSpec]:
        return [form.spec() for form in self.filled_forms()]


# The most articles one amendment changes (a convention has some thirty).
MAX_ARTICLE_CHANGES = 80


def article_change_formset(*, data=None, current_articles, prefill=()):
    """A formset with one form per article to replace (pre-filled) and two blank ones."""
    current = {a.number: a for a in current_articles}
    initial = [
        {
            "article_number": number,
            "action": ArticleChangeAction.REPLACE,
            "new_title": current[number].title,
            "new_body": current[number].body,
        }
        for number in prefill
        if number in current
    ]
    formset_class = forms.formset_factory(
        ArticleChangeForm, formset=BaseArticleChangeFormSet, extra=2, **capped(MAX_ARTICLE_CHANGES)
    )
    return formset_class(data, initial=initial, prefix="changes", current_articles=current_articles)


class ContributionChangeForm(forms.Form):
    contribution = forms.ModelChoiceField(
        label="Contribution",
        queryset=Contribution.objects.none(),
        empty_label="Choisissez la contribution",
    )
    from_year = forms.IntegerField(label="À compter de l'année", min_value=2000, max_value=2100)
    until_year = forms.IntegerField(
        label="Jusqu'à l'année",
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Vide : jusqu'à la dernière année de la contribution.",
    )
    amount = FiniteDecimalField(
        label="Nouveau montant annuel (€)", min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, contributions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contribution"].queryset = contributions

    def clean(self):
        data = super().clean()
        if data.get("contribution") and data.get("from_year"):
            problems = contribution_change_problems(
                contribution=data["contribution"],
                from_year=data["from_year"],
                until_year=data.get("until_year"),
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return data


class PartyChangeForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choisissez l'organisation",
    )
    # A blank first choice: a row left as displayed is unchanged, and so ignored.
    action = forms.ChoiceField(
        label="Modification", choices=[("", "Choisissez"), *PartyChangeAction.choices]
    )

    def __init__(self, *args, party_ids, **kwargs):
        self.party_ids = party_ids
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("departement", "name")

    def clean(self):
        data = super().clean()
        if data.get("organisation") and data.get("action"):
            problems = party_change_problems(
                action=data["action"], organisation=data["organisation"], party_ids=self.party_ids
            )
            for field, message in problems.items():
                self.add_error(field, message)
        return data


class NewContributionForm(forms.ModelForm):
    """A contribution the amendment adds (its funder: a party, or one it adds)."""

    class Meta:
        model = Contribution
        fields = [
            "organisation",
            "source",
            "rule",
            "amount",
            "share_numerator",
            "share_denominator",
            "cap",
            "first_year",
            "last_year",
            "prorata",
            "due_day",
            "due_month",
        ]
        labels = {
            "first_year": "Première année",
            "amount": "Montant annuel (€)",
            "cap": "Plafond annuel (€)",
        }
        help_texts = {
            "first_year": "Elle compte à partir de la prise d'effet de l'avenant, une fois "
            "signé : une première année entamée suit la règle de prorata ci-dessous.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("departement", "name")
        self.fields["organisation"].empty_label = "Choisissez le financeur"
        # Blank first choices: a row left as displayed is unchanged, and so ignored.
        self.fields["rule"].choices = [("", "Choisissez"), *ContributionRule.choices]
        prorata = self.fields["prorata"]
        prorata.choices = [("", ProRata.NONE.label), *ProRata.choices[1:]]
        prorata.required, prorata.initial = False, None

    def clean_prorata(self):
        return self.cleaned_data["prorata"] or ProRata.NONE


class FilledFormSet(forms.BaseFormSet):
    def filled_forms(self):
        return [f for f in self.forms if f.has_changed() and f.cleaned_data]


MAX_STRUCTURED_CHANGES = 20


def contribution_change_formset(*, data=None, convention):
    formset_class = forms.formset_factory(
        ContributionChangeForm,
        formset=FilledFormSet,
        extra=1,
        **capped(MAX_STRUCTURED_CHANGES),
    )
    contributions = Contribution.objects.filter(convention=convention).select_related(
        "organisation"
    )
    return formset_class(data, prefix="contributions", form_kwargs={"contributions": contributions})


def contribution_change_specs(formset) -> list[ContributionChangeSpec]:
    return [ContributionChangeSpec(**f.cleaned_data) for f in formset.filled_forms()]


def party_change_formset(*, data=None, convention):
    formset_class = forms.formset_factory(
        PartyChangeForm, formset=FilledFormSet, extra=1, **capped(MAX_STRUCTURED_CHANGES)
    )
    party_ids = {p.organisation_id for p in convention.parties.all()}
    return formset_class(data, prefix="parties", form_kwargs={"party_ids": party_ids})


def party_change_specs(formset) -> list[PartyChangeSpec]:
    return [PartyChangeSpec(**f.cleaned_data) for f in formset.filled_forms()]


def new_contribution_formset(*, data=None):
    formset_class = forms.formset_factory(
        NewContributionForm, formset=FilledFormSet, extra=1, **capped(MAX_STRUCTURED_CHANGES)
    )
    return formset_class(data, prefix="new_contributions")


def new_contribution_specs(formset) -> list[NewContributionSpec]:
    return [
        NewContributionSpec(
            **{name: f.cleaned_data[name] for name in NewContributionForm.Meta.fields}
        )
        for f in formset.filled_forms()
    ]


class RenewalForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Renewal
        fields = ["start", "end", "decided_on", "note"]
        widgets = {"start": DateInput(), "end": DateInput(), "decided_on": DateInput()}
        labels = {
            "start": "Début de la nouvelle période",
            "end": "Fin de la nouvelle période",
            "decided_on": "Reconduction décidée le",
        }


class TerminationForm(OnceFormMixin, forms.Form):
    letter_date = forms.DateField(
        label="Date de la lettre de dénonciation",
        widget=DateInput(),
        help_text="La date d'envoi de la lettre recommandée.",
    )
    terminated_by = forms.ModelChoiceField(
        label="Dénoncée par",
        queryset=Organisation.objects.none(),
        empty_label="Choisissez la partie",
    )
    end_date = forms.DateField(
        label="Fin de la convention",
        widget=DateInput(),
        help_text="Le dernier jour où la convention s'applique.",
    )
    termination_kind = forms.ChoiceField(
        label="Nature de la fin",
        choices=TerminationKind.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Une fin en cours de période, ou une lettre envoyée après le délai de "
        "préavis, n'est pas une dénonciation à l'échéance : c'est une résiliation d'un "
        "commun accord ou une résiliation anticipée.",
    )

    def __init__(self, *args, convention, **kwargs):
        self.convention = convention
        super().__init__(*args, **kwargs)
        self.fields["terminated_by"].queryset = Organisation.objects.filter(
            parties__convention=convention
        ).order_by("name")

    def clean(self):
        data = super().clean()
        letter_date, end_date = data.get("letter_date"), data.get("end_date")
        if letter_date and end_date and end_date < letter_date:
            self.add_error(
                "end_date", "La fin de la convention ne peut précéder la lettre de dénonciation."
            )
        elif letter_date and end_date:
            outside = termination_outside_clause(
                self.convention, letter_date=letter_date, end_date=end_date
            )
            if outside and data.get("termination_kind") not in EARLY_KINDS:
                self.add_error("termination_kind", outside)
        return data


class PostHolderForm(forms.Form):
    name = forms.CharField(
        label="Nom de l'intervenant",
        max_length=160,
        help_text="Le nom seulement : aucune autre donnée personnelle n'est conservée.",
    )
    start = forms.DateField(label="Arrivée sur le poste", widget=DateInput())
    end = forms.DateField(
        label="Départ prévu",
        widget=DateInput(),
        required=False,
        help_text="Laissez vide si le départ n'est pas connu.",
    )
    previous_end = forms.DateField(
        label="Fin du titulaire actuel",
        widget=DateInput(),
        required=False,
        help_text="Par défaut, la veille de l'arrivée du nouveau titulaire.",
    )
    user = forms.ModelChoiceField(
        label="Compte utilisateur de l'intervenant",
        queryset=User.objects.none(),
        required=False,
        empty_label="Aucun compte",
        help_text="Le compte avec lequel l'intervenant saisit les statistiques du poste.",
    )

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            organisation=post.employer_id, is_active=True
        ).order_by("last_name", "first_name")
        if not post.holders.filter(end__isnull=True).exists():
            del self.fields["previous_end"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "Le départ ne peut précéder l'arrivée.")
        return data


class CancellationForm(forms.Form):
    """The reason for cancelling a convention or a payment, which the history keeps."""

    EXAMPLES = {
        "convention": "« Remplacée par la convention niort-2024 avant sa mise en œuvre »",
        "payment": "« Versement saisi deux fois » ou « Mandat annulé par la trésorerie »",
    }

    reason = forms.CharField(
        label="Motif de l'annulation",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def __init__(self, *args, cancelling: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "reason"
        ].help_text = (
            f"Par exemple {self.EXAMPLES[cancelling]}. Ce motif reste visible dans l'historique."
        )

    def clean_reason(self):
        return clean_reason(self.cleaned_data["reason"])
