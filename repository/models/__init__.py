from .content import ContentVersion
from .email import Email, EmailKind, EmailStatus
from .moderation import ModerationEvent
from .practice import Practice, PracticeQuerySet, Status
from .search import SearchWord
from .tags import TAGS, Kind, Tag
from .taxonomy import Country, CrisisType, Region, Stakeholder
from .token import ApiToken

__all__ = [
    "ApiToken",
    "ContentVersion",
    "Country",
    "CrisisType",
    "Email",
    "EmailKind",
    "EmailStatus",
    "Kind",
    "ModerationEvent",
    "Practice",
    "PracticeQuerySet",
    "Region",
    "SearchWord",
    "Stakeholder",
    "Status",
    "TAGS",
    "Tag",
]
