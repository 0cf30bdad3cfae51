from .moderation import ModerationEvent
from .practice import Practice, PracticeQuerySet, Status
from .search import SearchWord
from .tags import TAGS, Kind, Tag
from .taxonomy import Country, CrisisType, Region, Stakeholder
from .token import ApiToken

__all__ = [
    "ApiToken",
    "Country",
    "CrisisType",
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
