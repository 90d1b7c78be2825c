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
    "Convention",
    "Council",
    "CouncilMember",
    "DecidedAmount",
    "Decision",
    "Deliberation",
    "LegalReference",
    "Party",
    "Post",
    "PostHolder",
    "ReminderSent",
    "Renewal",
    "ReportingRule",
]
