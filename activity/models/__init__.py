from .grid import GridVersion, Indicator, IndicatorGroup

__all__ = [
    "GridVersion",
    "Indicator",
    "IndicatorGroup",
]
