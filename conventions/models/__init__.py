from conventions.models.changes import (
    Amendment,
    ArticleChange,
    ContributionChange,
    PartyChange,
    Renewal,
)
from conventions.models.contribution import Contribution, ContributionYearShare
from conventions.models.convention import Convention
from conventions.models.council import Council, CouncilMember
from conventions.models.deliberation import Attendance, DecidedAmount, Decision, Deliberation
from conventions.models.follow_up import CommitteeMember, ReportingRule
from conventions.models.funding import Payment, PostCost
from conventions.models.parties import AssociatedPartner, Party
from conventions.models.post import Post, PostHolder, PostSite
from conventions.models.publication import DeliberationPublication
from conventions.models.reminder import ReminderSent
from conventions.models.scan import PaymentProofVersion, SignedScanVersion
from conventions.models.section import ConventionPost
from conventions.models.text import Annex, Article, LegalReference

__all__ = [
    "Amendment",
    "Annex",
    "Article",
    "ArticleChange",
    "AssociatedPartner",
    "Attendance",
    "CommitteeMember",
    "Contribution",
    "ContributionChange",
    "ContributionYearShare",
    "Convention",
    "ConventionPost",
    "Council",
    "CouncilMember",
    "DecidedAmount",
    "Decision",
    "Deliberation",
    "DeliberationPublication",
    "LegalReference",
    "Party",
    "PartyChange",
    "Payment",
    "PaymentProofVersion",
    "Post",
    "PostCost",
    "PostHolder",
    "PostSite",
    "ReminderSent",
    "Renewal",
    "ReportingRule",
    "SignedScanVersion",
]
