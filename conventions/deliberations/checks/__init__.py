"""What the law says about a deliberation, checked in one place.

Code général des collectivités territoriales, for municipal councils (and the
councils of EPCI, which follow them through L5211-1):

- quorum (L2121-17): more than half of the members in office are present;
  members represented by a proxy do not count;
- proxies (L2121-20): one proxy at most per holder; a giver is absent, a
  holder is present;
- majority (L2121-20): absolute majority of the votes cast; abstentions and
  members who do not take part are not votes cast; on a tie the president's
  vote decides, except in a secret ballot;
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
the conventions' funding (see ``convention_planned_amounts``).
"""
