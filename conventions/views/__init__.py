from conventions.views.dashboard import dashboard
from conventions.views.pdf import amendment_pdf, convention_pdf, deliberation_pdf

__all__ = ["amendment_pdf", "convention_pdf", "dashboard", "deliberation_pdf"]
