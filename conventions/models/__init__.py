from conventions.models.convention import (
    Amendment,
    Annex,
    Article,
    ArticleChange,
    AssociatedPartner,
    CommitteeMember,
    Convention,
    LegalReference,
    Party,
    Renewal,
    ReportingRule,
)
from conventions.models.deliberation import (
    Attendance,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
)
from conventions.models.funding import Contribution, Payment, PostCost
from conventions.models.post import Post, PostHolder
from conventions.models.reminder import ReminderSent

__all__ = [
    "Amendment",
    "Annex",
    "Article",
    "ArticleChange",
    "AssociatedPartner",
    "Attendance",
    "CommitteeMember",
    "Contribution",
    "Convention",
    "Council",
    "CouncilMember",
    "DecidedAmount",
    "Decision",
    "Deliberation",
    "LegalReference",
    "Party",
    "Payment",
    "Post",
    "PostCost",
    "PostHolder",
    "ReminderSent",
    "Renewal",
    "ReportingRule",
]
