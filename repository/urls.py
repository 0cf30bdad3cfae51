from django.urls import path

from . import views

app_name = "repository"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("phases/<slug:slug>/", views.PhaseDetailView.as_view(), name="phase-detail"),
    path("guidelines/<int:number>/", views.GuidelineDetailView.as_view(), name="guideline-detail"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("data/", views.DataView.as_view(), name="data"),
    path("data/<str:name>", views.DataFileView.as_view(), name="data-file"),
    path(
        "stakeholders/<slug:slug>/",
        views.StakeholderDetailView.as_view(),
        name="stakeholder-detail",
    ),
    path("practices/", views.PracticeListView.as_view(), name="practice-list"),
    path("practices/submit/", views.SubmitView.as_view(), name="submit"),
    path(
        "practices/submit/<str:reference>/",
        views.SubmissionStatusView.as_view(),
        name="submission-status",
    ),
    path("practices/<int:pk>/", views.practice_redirect, name="practice-redirect"),
    path(
        "practices/<int:pk>/cite.json",
        views.practice_citation,
        {"kind": "csl"},
        name="practice-cite-csl",
    ),
    path(
        "practices/<int:pk>/cite.ris",
        views.practice_citation,
        {"kind": "ris"},
        name="practice-cite-ris",
    ),
    path(
        "practices/<int:pk>-<str:slug>/",
        views.PracticeDetailView.as_view(),
        name="practice-detail",
    ),
]
