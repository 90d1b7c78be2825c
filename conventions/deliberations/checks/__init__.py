"""What the law says about a deliberation, checked in one place.

Code général des collectivités territoriales, for municipal councils (and the
councils of EPCI, which follow them through L5211-1), as in force on the
session date (``law``: the health-emergency quorum and proxies, the signatures
and publication since 1 July 2022):

- quorum (L2121-17): more than half of the members in office are present;
  members represented by a proxy do not count (a third under the
  health-emergency laws);
- proxies (L2121-20): one proxy at most per holder (two under the
  health-emergency laws), valid for three consecutive sessions except
  illness; a giver is absent, a holder is present;
- majority (L2121-20): absolute majority of the votes cast; abstentions,
  members who do not take part, blank and spoilt ballots are not votes cast;
  on a tie the president's vote decides, except in a secret ballot;
- signatures (L2121-23) and publication (L2131-1): the day the act is
  enforceable, and the conventions signed before it (``publication``);
- consistency: pour + contre + abstention + ne prend pas part = present +
  represented; present + represented + excused + absent = members in office.

The functions here read plain data (``Sitting``, ``Vote``) and return a list
of French ``Check`` lines, so that the forms (on data not yet saved), the
detail page, and later the PDF and the exports show the same messages.
A ``blocking`` check is one the form refuses to save: the attendance sheet it
describes cannot exist (two proxies to one holder, a giver also present, …).
Other errors are saved and shown until corrected: the register is a legal act
whose defects must be visible, not hidden by a form that refuses to record it.

Nothing here queries the database except ``planned_amounts``, which reads
the conventions' funding (see ``convention_planned_amounts``), and the
council's other sessions read for the three-session limit of a proxy
(``sitting_from_deliberation(history=True)``).
"""
