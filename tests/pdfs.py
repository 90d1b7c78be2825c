"""A real one-page PDF for the upload tests: the product parses what it receives."""

import io

from pypdf import PdfWriter


def one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


ONE_PAGE_PDF = one_page_pdf()
