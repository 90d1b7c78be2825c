"""Whose letterhead each document of a convention or a deliberation prints.

A convention and its amendments carry the letterhead of the first party, in the
text's order, that has set one: the party that drafts and circulates the text is
usually written first, but the State, written first in many conventions, seldom
sets a letterhead here and the commune or the employer that drafted the text does
(Niort: the State first, the commune's letterhead). A deliberation's register
extract carries the deliberating organisation's. Every writer (PDF, DOCX, ODT)
asks here, so the three formats never disagree.
"""

from partners.letterhead import Letterhead, letterhead_for


def convention_letterhead(convention) -> Letterhead | None:
    parties = sorted(convention.parties.all(), key=lambda party: (party.order, party.pk))
    for party in parties:
        letterhead = letterhead_for(party.organisation)
        if letterhead is not None:
            return letterhead
    return None


def deliberation_letterhead(deliberation) -> Letterhead | None:
    return letterhead_for(deliberation.organisation)
