from .convention import (
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
from .deliberation import (
    Attendance,
    Council,
    CouncilMember,
    DecidedAmount,
    Decision,
    Deliberation,
)
from .funding import Contribution, Payment, PostCost
from .post import Post, PostHolder
from .reminder import ReminderSent

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
