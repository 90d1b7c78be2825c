"""Writes with side effects: the grid versions, the monthly counts and the quarter workflow.

Every quarter service locks the quarter's row (``select_for_update``) and asks the
table of ``activity.rules`` about it, so that the pages, the admin and any script
obey the same rules. A click writes the quarter once: a save and its submission
are one transaction, one version and one history row. Reads are in
``activity.selectors``.
"""

from activity.services.entry import (
    QuarterNotSubmitted,
    StaleQuarterError,
    monthly_record_save,
    quarter_report_get_or_create,
    quarter_save,
    quarter_submit,
)
from activity.services.grid import grid_version_create
from activity.services.workflow import (
    annual_comment_save,
    annual_report_validate,
    quarter_reopen,
    quarter_validate,
)

__all__ = [
    "QuarterNotSubmitted",
    "StaleQuarterError",
    "annual_comment_save",
    "annual_report_validate",
    "grid_version_create",
    "monthly_record_save",
    "quarter_reopen",
    "quarter_report_get_or_create",
    "quarter_save",
    "quarter_submit",
    "quarter_validate",
]
