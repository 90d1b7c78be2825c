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
    "Renewal",
    "ReportingRule",
]
