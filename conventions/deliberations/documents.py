"""A deliberation as the extract of the register (or a notice when it is only cited)."""

from django.template.loader import render_to_string

from config.core.documents import html_to_pdf, letterhead_context, text_blocks
from config.core.formats import french_date
from config.core.typography import french_spacing
from conventions.letterheads import deliberation_letterhead

# Deliberations ---------------------------------------------------------------


def _session_heading(deliberation) -> str:
    """ "CONSEIL MUNICIPAL DU 20 septembre 2021", as the register heads the act."""
    return deliberation.wording.session_heading(french_date(deliberation.session_date))


def _attendance(deliberation) -> dict:
    """The session as the first page of the extract writes it, names in roster order."""
    present = deliberation.present_members
    excused = deliberation.excused_members
    absent = deliberation.absent_members
    wording = deliberation.wording
    # The sheet lists every member in office: no query for the council's roster.
    in_office = len(deliberation.attendances.all())
    return {
        "in_office": f"{in_office} {wording.members_in_office}" if in_office else "",
        "president": deliberation.president.full_name.upper() if deliberation.president else "",
        "present": ", ".join(m.full_name for m in present) + ("." if present else ""),
        "secretaries": ", ".join(m.name for m in deliberation.secretaries.all()),
        "secretary_count": len(deliberation.secretaries.all()),
        # The register ends this list without a full stop.
        "proxies": ", ".join(
            f"{a.member.full_name}, ayant donné pouvoir à {a.proxy_holder.full_name}"
            for a in deliberation.proxies
        ),
        "excused": ", ".join(m.full_name for m in excused) + ("." if excused else ""),
        "absent": ", ".join(m.full_name for m in absent) + ("." if absent else ""),
    }


def _vote_rows(deliberation) -> list[tuple[str, int]]:
    if not deliberation.has_vote:
        return []
    rows = [
        ("Pour", deliberation.votes_for),
        ("Contre", deliberation.votes_against or 0),
        ("Abstention", deliberation.abstentions or 0),
        ("Non participé", deliberation.not_participating or 0),
    ]
    if deliberation.secret_ballot:
        # Voters whose ballot is not a vote cast: the register shows them apart.
        rows += [
            ("Blancs", deliberation.blank_ballots or 0),
            ("Nuls", deliberation.spoilt_ballots or 0),
        ]
    rows.append(("Excusé", len(deliberation.excused_members)))
    absent = len(deliberation.absent_members)
    if absent:
        rows.append(("Absent", absent))
    return rows


def _register_signatures(deliberation) -> str:
    """ "Signé par le président de séance, …, et le secrétaire de séance, …" (L2121-23)."""
    signers = []
    if deliberation.president_signed and deliberation.president:
        signers.append(f"le président de séance, {deliberation.president.full_name}")
    secretaries = list(deliberation.secretaries.all())
    if deliberation.secretaries_signed and secretaries:
        title = "le secrétaire de séance" if len(secretaries) == 1 else "les secrétaires de séance"
        signers.append(f"{title}, " + ", ".join(m.full_name for m in secretaries))
    if not signers:
        return ""
    return "Signé par " + ", et ".join(signers) + "."


def register_extract(deliberation) -> dict:
    """What the extract of the register says (or the notice of a deliberation only
    cited: ``is_reference_only``), read by the PDF here and by the DOCX and ODT
    (``editable.py``). The report stays as typed (``report_text``): each format reads
    its paragraphs and lists.

    Pass a deliberation from ``Deliberation.objects.for_register(conventions)``.
    """
    rapporteur = deliberation.rapporteur
    exposes = ""
    if rapporteur is not None:
        capacity = (
            f", {deliberation.rapporteur_capacity}" if deliberation.rapporteur_capacity else ""
        )
        exposes = f"{rapporteur.full_name}{capacity} expose :"
    extract = {
        "deliberation": deliberation,
        "organisation": deliberation.organisation,
        "authors": deliberation.organisation.name,
        "session_heading": _session_heading(deliberation),
        "register_title": deliberation.wording.register_title,
        "register_heading": deliberation.wording.register_heading,
        "object": french_spacing(deliberation.object),
    }
    if deliberation.is_reference_only:
        extract["conventions"] = list(deliberation.conventions.all())
    else:
        extract |= {
            "attendance": _attendance(deliberation),
            "exposes": french_spacing(exposes),
            "report_text": deliberation.report,
            "decisions": [french_spacing(d.text) for d in deliberation.decisions.all()],
            "result": deliberation.result_wording,
            "votes": _vote_rows(deliberation),
            "register_signatures": _register_signatures(deliberation),
            "signatory_lines": deliberation.signatory_lines,
        }
    return extract


def render_deliberation_pdf(deliberation) -> bytes:
    """The extract of the register for a deliberation, or a one-page notice for a
    deliberation that a convention only cites (its text is not known)."""
    context = register_extract(deliberation)
    if deliberation.is_reference_only:
        # Not a document of the organisation (« ce document n'est pas un extrait du
        # registre »): its letterhead would say otherwise.
        template = "conventions/pdf/deliberation_notice.html"
    else:
        context["report"] = text_blocks(context["report_text"])
        context |= letterhead_context(deliberation_letterhead(deliberation))
        template = "conventions/pdf/deliberation.html"
    return html_to_pdf(render_to_string(template, context), stylesheet_name="deliberation.css")
