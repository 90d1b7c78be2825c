from activity.models.grid import GridVersion, Indicator, IndicatorGroup
from activity.models.records import (
    AnnualReport,
    MonthlyRecord,
    MonthlyValue,
    QuarterEvent,
    QuarterReport,
    QuarterValidation,
    quarter_months,
)

__all__ = [
    "AnnualReport",
    "GridVersion",
    "Indicator",
    "IndicatorGroup",
    "MonthlyRecord",
    "MonthlyValue",
    "QuarterEvent",
    "QuarterReport",
    "QuarterValidation",
    "quarter_months",
]
