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
from .post import Post, PostHolder
from .reminder import ReminderSent

__all__ = [
    "Amendment",
    "Annex",
    "Article",
    "ArticleChange",
    "AssociatedPartner",
    "CommitteeMember",
    "Convention",
    "LegalReference",
    "Party",
    "Post",
    "PostHolder",
    "ReminderSent",
    "Renewal",
    "ReportingRule",
]
