from django.urls import path

from . import views

app_name = "missing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("advocate/", views.advocate_allocate, name="advocate_allocate"),
    path("episodes/new/", views.episode_new, name="episode_new"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode"),
    path("episodes/<int:pk>/change/", views.episode_edit, name="episode_edit"),
    path("episodes/<int:pk>/return/", views.episode_return, name="episode_return"),
    path("episodes/<int:pk>/interview/offer/", views.interview_offer, name="interview_offer"),
    path("episodes/<int:pk>/interview/answer/", views.interview_response, name="interview_response"),
    path("episodes/<int:pk>/interview/held/", views.interview_complete, name="interview_complete"),
    path("episodes/<int:pk>/escalate/", views.escalate, {"kind": "episode"}, name="episode_escalate"),
    path("screenings/new/", views.screening_new, name="screening_new"),
    path("screenings/<int:pk>/", views.screening_detail, name="screening"),
    path("screenings/<int:pk>/escalate/", views.escalate, {"kind": "screening"}, name="screening_escalate"),
]
