"""The law of council sessions by session date: one table of rules, each with the
period it was in force and the text it comes from, cited in every message.

The health-emergency laws changed the quorum and the proxies for a while, and the
ordonnance n° 2021-1310 changed how deliberations are signed and published from
1 July 2022. A session is checked against the rules in force on its date: the
Niort session of 20 September 2021 needed a third of its members present, not
more than half.

What the texts say (checked against their consolidated wording):

- L2121-17 (ordinary): more than half of the members in office present;
  represented members do not count. After a first convocation without quorum,
  a second one at three days at least, without quorum condition.
- ordonnance n° 2020-391 art. 2 (from the day after its publication, 3 April
  2020, to the end of the first state of health emergency, 10 July 2020): « le
  tiers de leurs membres en exercice est présent ou représenté », two proxies.
  The only period when the represented members counted toward the quorum.
- loi n° 2020-290 art. 10 (wording of loi n° 2020-760): « jusqu'au 30 août 2020
  ou, si celui-ci est prolongé au-delà de cette date, pendant la durée de l'état
  d'urgence sanitaire », so 11 July to 30 August 2020, and again when the state
  of health emergency was declared from 17 October 2020 (décret n° 2020-1257)
  until loi n° 2020-1379 took over; then loi n° 2020-1379 art. 6 IV (from its
  publication on 15 November 2020 until 30 September 2021, as extended by loi
  n° 2021-689), applied again by loi n° 2021-1465 art. 10 from 10 November 2021
  to 31 July 2022: the assembly « ne délibère valablement que lorsque le tiers
  de [ses] membres en exercice est présent » (present: the proxies do not
  count), second convocation at three days without quorum, « un membre … peut
  être porteur de deux pouvoirs ».
- L2121-20: one proxy per holder, valid for three consecutive sessions at most
  except illness duly established.
- L2121-23 and L2131-1 (ordonnance n° 2021-1310, from 1 July 2022): signed by
  the mayor (the president of the session) and the secretary or secretaries;
  published electronically; enforceable once published and, when required,
  transmitted to the préfecture.

A rule applies to the bodies it names (None: every deliberating body). The
ordinary articles are cited only for municipal and community councils, whose
article numbers are sure (community councils follow them through L5211-1), and
for the quorum of the départements (L3121-14) and the régions (L4132-13), the
same « majorité absolue des membres en exercice ». The commission permanente
of a département or a région counts the members represented as well: « présente
ou représentée » (L3121-14-1 and L4132-13-1, loi n° 2009-526 du 12 mai 2009).

The bodies whose rules the statutes or the internal rules fix are not checked
against the law of communes: a comité syndical (a syndicat de communes follows
the municipal rules through L5211-1 and a closed syndicat mixte through
L5711-1, but an open syndicat mixte follows its statutes, L5721-2, and the
register does not say which it is), a bureau communautaire (which decides by
delegation of the council, L5211-10, under the internal rules), a conseil
d'administration (GIP, hospital, CCAS) and any other assembly. For them the
quorum and the proxies are left to the reader, with the notice
« règles des statuts : vérification du quorum non automatisée ».
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from conventions.enums import DeliberatingBody

MUNICIPAL = frozenset({DeliberatingBody.MUNICIPAL_COUNCIL, DeliberatingBody.COMMUNITY_COUNCIL})
# Bodies whose quorum and proxies the statutes or internal rules fix (see above).
BY_STATUTES = frozenset(
    {
        DeliberatingBody.SYNDICATE_COMMITTEE,
        DeliberatingBody.COMMUNITY_BUREAU,
        DeliberatingBody.BOARD,
        DeliberatingBody.OTHER,
    }
)
STATUTES_NOTICE = "règles des statuts : vérification du quorum non automatisée"


@dataclass(frozen=True, kw_only=True)
class Rule:
    source: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    bodies: frozenset[str] | None = None

    def applies(self, day: datetime.date, body: str) -> bool:
        return (
            (self.start is None or self.start <= day)
            and (self.end is None or day <= self.end)
            and (self.bodies is None or body in self.bodies)
        )

    @property
    def cited(self) -> str:
        """ " (article L2121-17 du CGCT)", or nothing when the text is not sure."""
        return f" ({self.source})" if self.source else ""


@dataclass(frozen=True, kw_only=True)
class QuorumRule(Rule):
    share: Fraction
    # « plus de la moitié » (strictly more) against « le tiers … est présent » (at least).
    more_than: bool
    wording: str
    # « présent ou représenté » (ordonnance n° 2020-391): the proxies count too.
    counts_represented: bool = False
    # False: the statutes decide, the application does not count (BY_STATUTES).
    automated: bool = True

    def minimum(self, members_in_office: int) -> int:
        """23 of 45 for more than half, 15 of 45 for a third."""
        needed = self.share * members_in_office
        if self.more_than:
            return int(needed) + 1
        return -(-needed.numerator // needed.denominator)


@dataclass(frozen=True, kw_only=True)
class ProxyRule(Rule):
    # None: the statutes decide how many proxies a member may hold.
    per_holder: int | None


@dataclass(frozen=True, kw_only=True)
class ProxyDurationRule(Rule):
    sessions: int


@dataclass(frozen=True, kw_only=True)
class SignatureRule(Rule):
    """Who signs the deliberation in the register."""

    by_president_and_secretaries: bool


@dataclass(frozen=True, kw_only=True)
class PublicationRule(Rule):
    electronic: bool


HALF = Fraction(1, 2)
THIRD = Fraction(1, 3)
ORDONNANCE_2021_1310 = datetime.date(2022, 7, 1)
# Loi n° 2009-526 du 12 mai 2009 (JO du 13 mai), in force the next day.
LOI_2009_526 = datetime.date(2009, 5, 14)

ORDONNANCE_2020_391 = (
    datetime.date(2020, 4, 3),
    datetime.date(2020, 7, 10),
    "article 2 de l'ordonnance n° 2020-391 du 1er avril 2020",
)
_HEALTH_EMERGENCY = (
    (
        datetime.date(2020, 7, 11),
        datetime.date(2020, 8, 30),
        "article 10 de la loi n° 2020-290 du 23 mars 2020, rédaction de la loi n° 2020-760 "
        "du 22 juin 2020",
    ),
    (
        datetime.date(2020, 10, 17),
        datetime.date(2020, 11, 14),
        "article 10 de la loi n° 2020-290 du 23 mars 2020, rédaction de la loi n° 2020-760 "
        "du 22 juin 2020, l'état d'urgence sanitaire étant déclaré par le décret n° 2020-1257 "
        "du 14 octobre 2020",
    ),
    (
        datetime.date(2020, 11, 15),
        datetime.date(2021, 9, 30),
        "article 6 de la loi n° 2020-1379 du 14 novembre 2020, prorogé par la loi n° 2021-689 "
        "du 31 mai 2021",
    ),
    (
        datetime.date(2021, 11, 10),
        datetime.date(2022, 7, 31),
        "article 6 de la loi n° 2020-1379 du 14 novembre 2020, rétabli par l'article 10 de la "
        "loi n° 2021-1465 du 10 novembre 2021",
    ),
)

# Bodies under their statutes first, then dated derogations: the first rule of a kind
# that applies wins.
RULES: tuple[Rule, ...] = (
    QuorumRule(
        source="",
        bodies=BY_STATUTES,
        share=HALF,
        more_than=True,
        automated=False,
        wording=STATUTES_NOTICE,
    ),
    ProxyRule(source="", bodies=BY_STATUTES, per_holder=None),
    QuorumRule(
        start=ORDONNANCE_2020_391[0],
        end=ORDONNANCE_2020_391[1],
        source=ORDONNANCE_2020_391[2],
        share=THIRD,
        more_than=False,
        counts_represented=True,
        wording="le tiers des membres en exercice présents ou représentés",
    ),
    *(
        QuorumRule(
            start=start,
            end=end,
            source=source,
            share=THIRD,
            more_than=False,
            wording="le tiers des membres en exercice, les pouvoirs ne comptant pas",
        )
        for start, end, source in _HEALTH_EMERGENCY
    ),
    QuorumRule(
        source="article L2121-17 du CGCT",
        bodies=MUNICIPAL,
        share=HALF,
        more_than=True,
        wording="plus de la moitié des membres en exercice, les pouvoirs ne comptant pas",
    ),
    QuorumRule(
        source="article L3121-14 du CGCT",
        bodies=frozenset({DeliberatingBody.DEPARTEMENT_COUNCIL}),
        share=HALF,
        more_than=True,
        wording="plus de la moitié des membres en exercice, les pouvoirs ne comptant pas",
    ),
    QuorumRule(
        source="article L4132-13 du CGCT",
        bodies=frozenset({DeliberatingBody.REGIONAL_COUNCIL}),
        share=HALF,
        more_than=True,
        wording="plus de la moitié des membres en exercice, les pouvoirs ne comptant pas",
    ),
    QuorumRule(
        start=LOI_2009_526,
        source="articles L3121-14-1 et L4132-13-1 du CGCT",
        bodies=frozenset({DeliberatingBody.STANDING_COMMITTEE}),
        share=HALF,
        more_than=True,
        counts_represented=True,
        wording="plus de la moitié des membres en exercice présents ou représentés",
    ),
    QuorumRule(
        source="",
        share=HALF,
        more_than=True,
        wording="plus de la moitié des membres en exercice, les pouvoirs ne comptant pas",
    ),
    *(
        ProxyRule(start=start, end=end, source=source, per_holder=2)
        for start, end, source in (ORDONNANCE_2020_391, *_HEALTH_EMERGENCY)
    ),
    ProxyRule(source="article L2121-20 du CGCT", bodies=MUNICIPAL, per_holder=1),
    ProxyRule(source="", per_holder=1),
    ProxyDurationRule(source="article L2121-20 du CGCT", bodies=MUNICIPAL, sessions=3),
    SignatureRule(
        start=ORDONNANCE_2021_1310,
        source="article L2121-23 du CGCT, rédaction de l'ordonnance n° 2021-1310 du 7 octobre 2021",
        bodies=MUNICIPAL,
        by_president_and_secretaries=True,
    ),
    PublicationRule(
        start=ORDONNANCE_2021_1310,
        source="article L2131-1 du CGCT, rédaction de l'ordonnance n° 2021-1310 du 7 octobre 2021",
        bodies=MUNICIPAL,
        electronic=True,
    ),
    PublicationRule(source="article L2131-1 du CGCT", bodies=MUNICIPAL, electronic=False),
    PublicationRule(source="", electronic=False),
)

R = TypeVar("R", bound=Rule)


def rule_in_force(kind: type[R], day: datetime.date, body: str) -> R | None:
    """The rule of ``kind`` that applied to a session of ``body`` on ``day``, if any."""
    for rule in RULES:
        if isinstance(rule, kind) and rule.applies(day, body):
            return rule
    return None


def quorum_rule(day: datetime.date, body: str) -> QuorumRule:
    return rule_in_force(QuorumRule, day, body)


def proxy_rule(day: datetime.date, body: str) -> ProxyRule:
    return rule_in_force(ProxyRule, day, body)
