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
from .funding import Contribution, Payment, PostCost
from .post import Post, PostHolder

__all__ = [
    "Amendment",
    "Annex",
    "Article",
    "ArticleChange",
    "AssociatedPartner",
    "CommitteeMember",
    "Contribution",
    "Convention",
    "LegalReference",
    "Party",
    "Payment",
    "Post",
    "PostCost",
    "PostHolder",
    "Renewal",
    "ReportingRule",
]
