from .moderation import ModerationEvent
from .practice import Practice, PracticeQuerySet, Status
from .taxonomy import Country, CrisisType, Region, Stakeholder

__all__ = [
    "Country",
    "CrisisType",
    "ModerationEvent",
    "Practice",
    "PracticeQuerySet",
    "Region",
    "Stakeholder",
    "Status",
]
