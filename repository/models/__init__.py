from .content import ContentVersion
from .email import Email, EmailKind, EmailStatus
from .moderation import ModerationEvent
from .practice import Practice, PracticeQuerySet, Status
from .search import SearchWord
from .taxonomy import Country, CrisisType, Region, Stakeholder

__all__ = [
    "ContentVersion",
    "Country",
    "CrisisType",
    "Email",
    "EmailKind",
    "EmailStatus",
    "ModerationEvent",
    "Practice",
    "PracticeQuerySet",
    "Region",
    "SearchWord",
    "Stakeholder",
    "Status",
]
