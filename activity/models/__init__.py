from .grid import GridVersion, Indicator, IndicatorGroup
from .records import (
    AnnualReport,
    MonthlyRecord,
    MonthlyValue,
    QuarterEvent,
    QuarterReport,
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
    "quarter_months",
]
