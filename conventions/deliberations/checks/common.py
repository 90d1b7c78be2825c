"""What every check reads and returns: the sitting, the vote, a French ``Check`` line."""

import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from conventions.enums import DeliberatingBody


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OK = "ok"


SEVERITY_LABELS = {
    Severity.ERROR: "Non conforme",
    Severity.WARNING: "À vérifier",
    Severity.INFO: "Information",
    Severity.OK: "Conforme",
}


@dataclass(frozen=True)
class Check:
    code: str
    severity: Severity
    message: str
    blocking: bool = False
    # The attendance lines the message is about, to show it next to those members.
    member_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self.severity]


@dataclass(frozen=True)
class Proxy:
    giver: int
    holder: int | None
    # The date written on the proxy, and whether it was given for illness duly
    # established (then it is not limited to three sessions, L2121-20).
    given_on: datetime.date | None = None
    illness: bool = False


@dataclass(frozen=True)
class PastProxy:
    """A proxy recorded at another session of the same council."""

    session_date: datetime.date
    giver: int
    holder: int | None
    given_on: datetime.date | None = None


@dataclass
class Sitting:
    """Who was there: member ids, with ``names`` to write messages."""

    names: Mapping[int, str]
    in_office: frozenset[int]
    present: list[int] = field(default_factory=list)
    proxies: list[Proxy] = field(default_factory=list)
    excused: list[int] = field(default_factory=list)
    absent: list[int] = field(default_factory=list)
    president: int | None = None
    secretaries: list[int] = field(default_factory=list)
    rapporteur: int | None = None
    second_convocation: bool = False
    body: str = DeliberatingBody.MUNICIPAL_COUNCIL
    # The rules in force depend on it (checks.law); None: today's ordinary rules.
    session_date: datetime.date | None = None
    # The council's sessions the product knows (each date once, this one included)
    # and the proxies recorded at the others; None when not read.
    council_sessions: tuple[datetime.date, ...] | None = None
    past_proxies: tuple[PastProxy, ...] = ()

    @property
    def is_recorded(self) -> bool:
        return bool(self.present or self.proxies or self.excused or self.absent)

    @property
    def present_in_office(self) -> set[int]:
        return set(self.present) & self.in_office

    @property
    def present_or_represented_in_office(self) -> set[int]:
        return (set(self.present) | {p.giver for p in self.proxies}) & self.in_office

    @property
    def voters(self) -> int:
        """Present plus represented, each member once."""
        givers = {p.giver for p in self.proxies} - set(self.present)
        return len(set(self.present) | givers)

    def name(self, member_id) -> str:
        return self.names.get(member_id, f"Membre n° {member_id}")

    @property
    def day(self) -> datetime.date:
        """The date whose rules apply: the session's, or today's for a sitting not dated."""
        return self.session_date or datetime.date.today()


@dataclass(frozen=True)
class Vote:
    votes_for: int | None
    votes_against: int | None = 0
    abstentions: int | None = 0
    not_participating: int | None = 0
    result: str = ""
    president_vote: str = ""
    secret_ballot: bool = False
    # Secret ballot only: voters, but not votes cast.
    blank_ballots: int | None = 0
    spoilt_ballots: int | None = 0

    @property
    def is_recorded(self) -> bool:
        return self.votes_for is not None

    @property
    def total(self) -> int:
        return sum(
            n or 0
            for n in (
                self.votes_for,
                self.votes_against,
                self.abstentions,
                self.not_participating,
                self.blank_ballots,
                self.spoilt_ballots,
            )
        )

    @property
    def blank_or_spoilt(self) -> int:
        return (self.blank_ballots or 0) + (self.spoilt_ballots or 0)

    @property
    def cast(self) -> int:
        """Votes cast (suffrages exprimés): abstentions, non-participation, blank and
        spoilt ballots are not."""
        return (self.votes_for or 0) + (self.votes_against or 0)


def cited_articles(body: str) -> dict[str, str]:
    """Articles to cite, for the assemblies whose article numbers we are sure of."""
    if body in (DeliberatingBody.MUNICIPAL_COUNCIL, DeliberatingBody.COMMUNITY_COUNCIL):
        return {
            "quorum": " (article L2121-17 du CGCT)",
            "proxy": " (article L2121-20 du CGCT)",
            "majority": " (article L2121-20 du CGCT)",
            "secretary": " (article L2121-15 du CGCT)",
        }
    return defaultdict(str)


def plural(n: int, singular: str, plural: str | None = None) -> str:
    return f"{n} {singular if n <= 1 else (plural or singular + 's')}"
