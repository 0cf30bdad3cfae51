from django.urls import path

from . import views

app_name = "guidelines"

urlpatterns = [
    path("principles/", views.PrincipleListView.as_view(), name="principle-list"),
    path("principles/<int:number>/", views.PrincipleDetailView.as_view(), name="principle-detail"),
    path("guidelines/", views.GuidelineListView.as_view(), name="guideline-list"),
]
