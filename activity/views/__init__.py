from activity.views.bilans import bilan_departement, bilan_national, bilan_post
from activity.views.board import home, status_board
from activity.views.entry import month_entry, quarter_entry
from activity.views.exports import bilan_pdf, export_csv, export_national, export_xlsx
from activity.views.imports import statistics_imports
from activity.views.workflow import (
    annual_validate_view,
    quarter_reopen_view,
    quarter_submit_view,
    quarter_validate_view,
)

__all__ = [
    "annual_validate_view",
    "bilan_departement",
    "bilan_national",
    "bilan_pdf",
    "bilan_post",
    "export_csv",
    "export_national",
    "export_xlsx",
    "home",
    "month_entry",
    "quarter_entry",
    "quarter_reopen_view",
    "quarter_submit_view",
    "quarter_validate_view",
    "statistics_imports",
    "status_board",
]
