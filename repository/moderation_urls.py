from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("", views.QueueView.as_view(), name="queue"),
    path("<int:pk>/", views.ReviewView.as_view(), name="review"),
]
