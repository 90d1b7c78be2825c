"""Writes for councils and deliberations: the roster and the attendance sheet."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from conventions.enums import AttendanceStatus
from conventions.models import Attendance, Council, CouncilMember, Deliberation
from partners.enums import Civility

CIVILITIES = {
    "monsieur": Civility.MR,
    "m.": Civility.MR,
    "m": Civility.MR,
    "madame": Civility.MRS,
    "mme": Civility.MRS,
    "mme.": Civility.MRS,
}


@dataclass(frozen=True)
class ParsedMember:
    civility: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def parse_member_names(text: str) -> tuple[list[ParsedMember], list[str]]:
    """Read "Madame Prénom NOM" entries, one per line, or separated by commas.

    The register's own lists can be pasted as they are: "Monsieur Jérôme
    BALOGE, Monsieur Dominique SIX, …". The family name is the words in
    capitals at the end ("Aline DI MEGLIO").
    """
    members, errors = [], []
    # A pasted register list wraps lines anywhere: commas, when there are some, separate.
    separators = r"[,;]" if "," in text or ";" in text else r"\n"
    for raw in re.split(separators, text):
        entry = " ".join(raw.split()).strip(" .")
        if not entry:
            continue
        words = entry.split(" ")
        civility = CIVILITIES.get(words[0].lower())
        if civility is None:
            errors.append(f"« {entry} » : commencez par la civilité (Madame ou Monsieur).")
            continue
        rest = words[1:]
        cut = len(rest)
        while cut > 0 and _is_capitalised(rest[cut - 1]):
            cut -= 1
        first, last = " ".join(rest[:cut]), " ".join(rest[cut:])
        if not first or not last:
            errors.append(
                f"« {entry} » : écrivez le prénom puis le nom en majuscules "
                "(« Madame Valérie BELY-VOLLAND »)."
            )
            continue
        members.append(ParsedMember(civility, first, last))
    return members, errors


def _is_capitalised(word: str) -> bool:
    return any(c.isalpha() for c in word) and word == word.upper()


@transaction.atomic
def council_members_add(
    *, council: Council, members: Sequence[ParsedMember]
) -> tuple[list[CouncilMember], list[ParsedMember]]:
    """Append members to the roster; returns (added, already there)."""
    existing = {(m.first_name, m.last_name) for m in council.members.all()}
    next_order = max((m.order for m in council.members.all()), default=0) + 1
    added, skipped = [], []
    for parsed in members:
        key = (parsed.first_name, parsed.last_name)
        if key in existing:
            skipped.append(parsed)
            continue
        existing.add(key)
        member = CouncilMember(
            council=council,
            civility=parsed.civility,
            first_name=parsed.first_name,
            last_name=parsed.last_name,
            order=next_order,
        )
        member.full_clean()
        member.save()
        added.append(member)
        next_order += 1
    return added, skipped


@dataclass(frozen=True)
class AttendanceEntry:
    member: CouncilMember
    status: str
    proxy_holder: CouncilMember | None = None


@transaction.atomic
def attendance_record(*, deliberation: Deliberation, entries: Sequence[AttendanceEntry]) -> None:
    """Replace the attendance sheet of ``deliberation`` with ``entries``.

    The lines that change are deleted first, then written again: moving a
    proxy from one holder to another row by row would meet the
    one-proxy-per-holder constraint halfway. Unchanged lines are left alone.
    The caller has run the checks (``AttendanceForm``); the database
    constraints still refuse a second proxy for one holder.
    """
    current = {
        (a.member_id, a.status, a.proxy_holder_id): a for a in deliberation.attendances.all()
    }
    wanted = {}
    for entry in entries:
        holder = entry.proxy_holder if entry.status == AttendanceStatus.REPRESENTED else None
        key = (entry.member.pk, entry.status, holder.pk if holder else None)
        wanted[key] = Attendance(
            deliberation=deliberation, member=entry.member, status=entry.status, proxy_holder=holder
        )
    # Only the lines that change are replaced, so that the history shows what changed.
    stale = [row.pk for key, row in current.items() if key not in wanted]
    Attendance.objects.filter(pk__in=stale).delete()
    bulk_create_with_history([row for key, row in wanted.items() if key not in current], Attendance)
