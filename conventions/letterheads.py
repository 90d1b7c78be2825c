"""Whose letterhead each document of a convention or a deliberation prints.

A convention and its amendments carry the letterhead of the party written first
(the one that drafts and circulates the text); a deliberation's register extract
carries the deliberating organisation's. Every writer (PDF, DOCX, ODT) asks here,
so the three formats never disagree.
"""

from partners.letterhead import Letterhead, letterhead_for


def convention_letterhead(convention) -> Letterhead | None:
    parties = list(convention.parties.all())
    first = min(parties, key=lambda party: (party.order, party.pk), default=None)
    return letterhead_for(first.organisation) if first is not None else None


def deliberation_letterhead(deliberation) -> Letterhead | None:
    return letterhead_for(deliberation.organisation)
