from .moderation import ModerationEvent
from .practice import Practice, PracticeQuerySet, Status
from .search import SearchWord
from .taxonomy import Country, CrisisType, Region, Stakeholder
from .token import ApiToken

__all__ = [
    "ApiToken",
    "Country",
    "CrisisType",
    "ModerationEvent",
    "Practice",
    "PracticeQuerySet",
    "Region",
    "SearchWord",
    "Stakeholder",
    "Status",
]
