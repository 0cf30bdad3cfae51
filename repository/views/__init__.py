from .browse import (
    GuidelineDetailView,
    HomeView,
    PhaseDetailView,
    PracticeDetailView,
    PracticeListView,
    practice_redirect,
)
from .cite import practice_citation
from .coverage import CoverageView, StakeholderDetailView
from .data import DataFileView, DataView
from .moderation import QueueView, ReviewView
from .pages import AboutView
from .submit import SubmissionStatusView, SubmitView

__all__ = [
    "AboutView",
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
    "practice_citation",
    "practice_redirect",
]
