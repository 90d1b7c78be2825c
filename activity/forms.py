from dataclasses import dataclass, field

from django import forms

from activity.checks import Problem, month_problems
from activity.layout import GroupSpec, IndicatorSpec, Layout
from config.core.concurrency import VersionedFormMixin
from config.core.formats import MONTHS
from config.core.idempotency import OnceFormMixin
from config.core.widgets import FastNumberInput

PRIVACY_WARNING = "N'écrivez aucun nom ni aucune information permettant d'identifier une personne."
MAX_COUNT = 99_999


def cell_name(month: int, code: str) -> str:
    return f"m{month}_{code}"


@dataclass
class EntryCell:
    field: object  # BoundField
    conflict: bool = False
    saved_value: int | None = None


@dataclass
class EntryRow:
    indicator: IndicatorSpec
    cells: list[EntryCell]
    total: int | None


@dataclass
class EntryGroup:
    spec: GroupSpec
    rows: list[EntryRow]
    checks: list[tuple[int, list[Problem]]] = field(default_factory=list)  # per month

    @property
    def has_problems(self) -> bool:
        return any(problems for _, problems in self.checks)


class CountsEntryForm(forms.Form):
    """The counts of one or more months of a quarter, one field per month and indicator.

    The consistency rules run in ``clean()`` (the service runs them again):
    a broken partition is reported next to its group for the month concerned,
    a line of problems above the persons met next to the cell.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args,
        layout: Layout,
        year: int,
        months: list[int],
        values: dict[int, dict[str, int]],
        disabled: bool = False,
        with_comment: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.layout, self.year, self.months = layout, year, months
        if with_comment:
            self.fields["comment"] = forms.CharField(
                label="Commentaire qualitatif du trimestre",
                required=False,
                max_length=5000,
                disabled=disabled,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=PRIVACY_WARNING,
            )
        self.problems: dict[int, list[Problem]] = {}
        self.conflicts: dict[str, int | None] = {}
        labels = layout.labels
        for month in months:
            for code in layout.codes:
                name = cell_name(month, code)
                self.fields[name] = forms.IntegerField(
                    label=f"{labels[code]} — {MONTHS[month - 1]} {year}",
                    required=False,
                    min_value=0,
                    max_value=MAX_COUNT,
                    disabled=disabled,
                    error_messages={
                        "invalid": "Saisissez un nombre entier.",
                        "min_value": "Un nombre ne peut pas être négatif.",
                        "max_value": f"Au plus {MAX_COUNT}.",
                    },
                    widget=FastNumberInput(
                        attrs={
                            "class": "cell",
                            "inputmode": "numeric",
                            "min": 0,
                            "step": 1,
                            "data-month": month,
                            "data-code": code,
                            "aria-labelledby": f"row-{code} col-{month}",
                        }
                    ),
                )
                self.initial.setdefault(name, values.get(month, {}).get(code))
        if not self.is_bound:
            # A draft saved with totals that do not match: say so until they are fixed.
            for month in months:
                if found := month_problems(layout, values.get(month, {})):
                    self.problems[month] = found

    def month_values(self) -> dict[int, dict[str, int | None]]:
        return {
            month: {
                code: self.cleaned_data.get(cell_name(month, code)) for code in self.layout.codes
            }
            for month in self.months
        }

    def clean(self):
        """A cell that is not a count cannot be saved: nothing is, and the page says so
        (what was typed stays on screen). Totals that do not match are no reason to refuse a
        draft: ``problems`` lists them, the draft is saved, transmission waits for them."""
        cleaned = super().clean()
        if invalid := [name for name in self.errors if name != "comment"]:
            raise forms.ValidationError(
                f"Rien n'a été enregistré : {len(invalid)} cellule(s) ne contiennent pas un "
                "nombre entier valide (signalées ci-dessous). Vos valeurs sont affichées "
                "telles que saisies : corrigez ces cellules puis enregistrez de nouveau."
            )
        if "comment" in self.errors:
            raise forms.ValidationError(
                "Rien n'a été enregistré : le commentaire est trop long. Vos valeurs sont "
                "affichées telles que saisies."
            )
        for month, month_values in self.month_values().items():
            problems = month_problems(self.layout, month_values)
            if problems:
                self.problems[month] = problems
        return cleaned

    def add_conflicts(self, saved: dict[int, dict[str, int]]):
        """Show next to each cell what another person saved meanwhile, when it differs."""
        for month in self.months:
            for code in self.layout.codes:
                name = cell_name(month, code)
                typed = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
                current = saved.get(month, {}).get(code)
                if typed != current:
                    self.conflicts[name] = current

    def groups(self) -> list[EntryGroup]:
        """The table to render: per group, per indicator, the cell of each month."""
        invalid = self.invalid_cells()
        result = []
        for group in self.layout.groups:
            rows = []
            for indicator in group.indicators:
                cells = []
                for month in self.months:
                    name = cell_name(month, indicator.code)
                    # Read after the cell's name: its help, then the rule it breaks.
                    described_by = [f"help-{indicator.code}"] if indicator.help_text else []
                    if name in invalid:
                        self.fields[name].widget.attrs["aria-invalid"] = "true"
                        described_by.append(f"check-{group.code}-{month}")
                    if described_by:
                        self.fields[name].widget.attrs["aria-describedby"] = " ".join(described_by)
                    cells.append(
                        EntryCell(
                            self[name],
                            conflict=name in self.conflicts,
                            saved_value=self.conflicts.get(name),
                        )
                    )
                rows.append(EntryRow(indicator, cells, self._row_total(cells)))
            checks = [
                (month, [p for p in self.problems.get(month, []) if p.group_code == group.code])
                for month in self.months
            ]
            result.append(EntryGroup(group, rows, checks))
        return result

    def _row_total(self, cells) -> int | None:
        values = []
        for cell in cells:
            raw = cell.field.value()
            try:
                values.append(int(raw))
            except (TypeError, ValueError):
                continue
        return sum(values) if values else None

    def invalid_cells(self) -> set[str]:
        return {
            cell_name(month, code)
            for month, problems in self.problems.items()
            for problem in problems
            for code in problem.codes
        }


class AnnualCommentForm(VersionedFormMixin, forms.Form):
    comment = forms.CharField(
        label="Commentaire qualitatif de l'année",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=PRIVACY_WARNING,
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la réouverture",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Le motif, votre nom et les valeurs avant et après correction sont "
        "conservés dans l'historique du trimestre. " + PRIVACY_WARNING,
        error_messages={"required": "Indiquez le motif de la réouverture."},
    )


EXPORT_FORMATS = [("xlsx", "XLSX"), ("csv", "CSV")]


class NationalExportForm(OnceFormMixin, forms.Form):
    """The national bilan's file, asked for once (a double click is one export); its
    period and format are those of the page's button."""

    annee = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    trimestre = forms.IntegerField(
        min_value=1, max_value=4, required=False, widget=forms.HiddenInput
    )
    format = forms.ChoiceField(choices=EXPORT_FORMATS, widget=forms.HiddenInput)

    def __init__(self, data=None, *, period=None, file_format=None):
        initial = {}
        if period is not None:
            initial = {"annee": period.year, "trimestre": period.quarter, "format": file_format}
        super().__init__(data, initial=initial)
