from .browse import (
    GuidelineDetailView,
    HomeView,
    PhaseDetailView,
    PracticeDetailView,
    PracticeListView,
    practice_redirect,
)
from .coverage import CoverageView, StakeholderDetailView
from .data import DataFileView, DataView
from .moderation import QueueView, ReviewView
from .submit import SubmissionStatusView, SubmitView

__all__ = [
    "CoverageView",
    "DataFileView",
    "DataView",
    "StakeholderDetailView",
    "GuidelineDetailView",
    "HomeView",
    "PhaseDetailView",
    "PracticeDetailView",
    "PracticeListView",
    "QueueView",
    "ReviewView",
    "SubmissionStatusView",
    "SubmitView",
    "practice_redirect",
]
