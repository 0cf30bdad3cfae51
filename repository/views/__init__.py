from .browse import (
    GuidelineDetailView,
    HomeView,
    PhaseDetailView,
    PracticeDetailView,
    PracticeListView,
    practice_redirect,
)
from .cite import practice_citation
from .moderation import QueueView, ReviewView
from .pages import AboutView
from .submit import SubmissionStatusView, SubmitView

__all__ = [
    "AboutView",
    "GuidelineDetailView",
    "HomeView",
    "PhaseDetailView",
    "PracticeDetailView",
    "PracticeListView",
    "QueueView",
    "ReviewView",
    "SubmissionStatusView",
    "SubmitView",
    "practice_citation",
    "practice_redirect",
]
