"""Monthly statistics of every post: the grid in force, partitions that add up, quarters."""

import datetime

from activity.enums import AnnualState, GroupKind, QuarterAction, QuarterState
from activity.layout import layout_of
from activity.models import (
    AnnualReport,
    GridVersion,
    Indicator,
    MonthlyRecord,
    MonthlyValue,
    QuarterEvent,
    QuarterReport,
    quarter_months,
)
from config.devtools.demo.activity import MULTIPLE, QUARTER_COMMENTS, ensure_default_grid, split
from config.devtools.national.common import (
    PARTITION_WEIGHTS,
    SEASON,
    PostPlan,
    insert_rows,
    moment,
    quarter_due,
)
from config.devtools.national.texts import ANNUAL_COMMENTS, REOPENING_REASONS


class StatisticsMixin:
    # Statistics ----------------------------------------------------------------------

    def load_grid(self):
        ensure_default_grid()
        self.versions = list(GridVersion.objects.with_layout().order_by("valid_from"))
        self.layouts = {v.pk: layout_of(v) for v in self.versions}
        self.indicator_ids = {
            (version, code): pk
            for version, code, pk in Indicator.objects.values_list("version_id", "code", "pk")
        }

    def version_for(self, year: int, quarter: int) -> int:
        first_day = datetime.date(year, quarter_months(quarter)[0], 1)
        started = [v for v in self.versions if v.valid_from <= first_day]
        return (started[-1] if started else self.versions[0]).pk

    def month_values(self, layout, base: int, year: int, month: int) -> dict[str, int]:
        rng = self.rng
        growth = 1 + 0.03 * (year - self.first_year)
        persons = max(3, round(base * SEASON[month - 1] * growth * rng.uniform(0.85, 1.15)))
        values = {}
        for group in layout.groups:
            if group.kind != GroupKind.COUNTS:
                continue
            for code in group.codes:
                values[code] = {
                    "personnes_rencontrees": persons,
                    "entretiens": round(persons * rng.uniform(1.4, 1.9)),
                    "saisines_recues": round(persons * rng.uniform(0.75, 0.95)),
                }.get(code, rng.randint(0, persons))
        for group in layout.groups:
            total = values.get(group.total_code, 0)
            if group.kind == GroupKind.PARTITION:
                weights = {code: PARTITION_WEIGHTS.get(code, 10) for code in group.codes}
                values.update(split(total, weights, rng))
            elif group.kind == GroupKind.MULTIPLE:
                for code in group.codes:
                    share = MULTIPLE.get(code, 0.1) * rng.uniform(0.7, 1.3)
                    values[code] = min(total, round(total * share))
        return values

    def quarter_states(self, year: int, quarter: int) -> tuple[str | None, list[int]]:
        """The state of a post's quarter and the months entered (None: nothing entered)."""
        months = quarter_months(quarter)
        today = self.today
        elapsed = [m for m in months if datetime.date(year + (m == 12), m % 12 + 1, 1) <= today]
        if not elapsed:
            return None, []
        if len(elapsed) < 3:
            return (QuarterState.DRAFT, elapsed) if self.rng.random() < 0.7 else (None, [])
        due = quarter_due(year, quarter)
        draw = self.rng.random()
        if year < self.last_year:
            if year == self.last_year - 1 and draw < 0.05:
                return QuarterState.VALIDATED, months
            return QuarterState.LOCKED, months
        if due > today:
            if draw < 0.4:
                return QuarterState.SUBMITTED, months
            return (QuarterState.DRAFT, months) if draw < 0.9 else (None, [])
        age = (today - due).days
        if draw < min(0.95, 0.5 + age / 400):
            return QuarterState.VALIDATED, months
        if draw < 0.95:
            return QuarterState.SUBMITTED, months
        return QuarterState.DRAFT, months[: self.rng.randint(0, 3)]

    def write_statistics(self):
        self.load_grid()
        chunk = []
        for plan in self.plans:
            chunk.append(plan)
            if len(chunk) == 25:
                self.write_statistics_of(chunk)
                chunk = []
        if chunk:
            self.write_statistics_of(chunk)

    def write_statistics_of(self, plans: list[PostPlan]):
        reports, annuals, events, record_specs = [], [], [], []
        for plan in plans:
            dep = plan.departement
            validator = self.users.get((dep.code, "ddsp" if plan.police else "gendarmerie"))
            worker = self.users.get((dep.code, "worker")) if plan.number == 1 else None
            for year in range(self.first_year, self.last_year + 1):
                year_closed = True
                for quarter in range(1, 5):
                    state, months = self.quarter_states(year, quarter)
                    if state != QuarterState.LOCKED:
                        year_closed = False
                    if state is None:
                        continue
                    report = self.quarter_report(plan, year, quarter, state, validator, worker)
                    reports.append(report)
                    events.extend(self.quarter_events(report, validator, worker))
                    version = report.grid_version_id
                    for month in months:
                        values = self.month_values(self.layouts[version], plan.base, year, month)
                        record_specs.append((report, month, version, values, worker))
                if year_closed:
                    when = max(r.validated_at for r in reports[-4:]) + datetime.timedelta(days=3)
                    annuals.append(
                        AnnualReport(
                            post=plan.post,
                            year=year,
                            state=AnnualState.VALIDATED,
                            comment=self.rng.choice(ANNUAL_COMMENTS),
                            validated_at=when,
                            validated_by=validator,
                        )
                    )
                    for report in reports[-4:]:
                        events.append(
                            QuarterEvent(
                                report=report, action=QuarterAction.LOCKED, at=when, by=validator
                            )
                        )
                elif year >= self.last_year - 1:
                    annuals.append(AnnualReport(post=plan.post, year=year, state=AnnualState.OPEN))
        self.bulk(QuarterReport, reports)
        self.bulk(AnnualReport, annuals)
        self.bulk(QuarterEvent, events)
        records = [
            MonthlyRecord(
                report=report,
                month=month,
                entered_by=worker,
                entered_at=moment(datetime.date(report.year, month, 28), 17),
            )
            for report, month, _version, _values, worker in record_specs
        ]
        self.bulk(MonthlyRecord, records)
        ids = self.indicator_ids
        rows = (
            (record.pk, ids[(version, code)], value)
            for record, (_r, _m, version, values, _w) in zip(records, record_specs, strict=True)
            for code, value in values.items()
        )
        self.count(MonthlyValue, insert_rows(MonthlyValue, ["record", "indicator", "value"], rows))

    def quarter_report(self, plan, year, quarter, state, validator, worker) -> QuarterReport:
        due = quarter_due(year, quarter)
        submitted = validated = None
        if state != QuarterState.DRAFT:
            lag = self.rng.randint(-10, 2) if self.rng.random() < 0.85 else self.rng.randint(3, 25)
            submitted = min(due + datetime.timedelta(days=lag), self.today)
        if state in (QuarterState.VALIDATED, QuarterState.LOCKED):
            validated = min(submitted + datetime.timedelta(days=self.rng.randint(1, 8)), self.today)
        report = QuarterReport(
            post=plan.post,
            year=year,
            quarter=quarter,
            grid_version_id=self.version_for(year, quarter),
            state=state,
            version=1,
            comment=self.rng.choice(QUARTER_COMMENTS) if self.rng.random() < 0.3 else "",
            first_submitted_at=moment(submitted) if submitted else None,
            submitted_at=moment(submitted) if submitted else None,
            submitted_by=worker if submitted else None,
            validated_at=moment(validated, 15) if validated else None,
            validated_by=validator if validated else None,
        )
        report.reopened = bool(validated) and self.rng.random() < 0.02
        return report

    def quarter_events(self, report, validator, worker) -> list[QuarterEvent]:
        events = []
        if report.submitted_at:
            events.append(
                QuarterEvent(
                    report=report,
                    action=QuarterAction.SUBMITTED,
                    at=report.submitted_at,
                    by=worker,
                )
            )
        if report.validated_at:
            if report.reopened:
                first_validation = report.submitted_at + datetime.timedelta(hours=5)
                events += [
                    QuarterEvent(
                        report=report,
                        action=QuarterAction.VALIDATED,
                        at=first_validation,
                        by=validator,
                    ),
                    QuarterEvent(
                        report=report,
                        action=QuarterAction.REOPENED,
                        at=first_validation + datetime.timedelta(hours=2),
                        by=validator,
                        reason=self.rng.choice(REOPENING_REASONS),
                    ),
                ]
            events.append(
                QuarterEvent(
                    report=report,
                    action=QuarterAction.VALIDATED,
                    at=report.validated_at,
                    by=validator,
                )
            )
        return events
