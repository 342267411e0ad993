from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("teams/<int:team_pk>/", views.team, name="team"),
    path("teams/<int:team_pk>/children/", views.team_children, name="team_children"),
    path("workers/<int:user_pk>/", views.worker, name="worker"),
    path("workers/<int:user_pk>/record/", views.record, name="record"),
    path("workers/<int:user_pk>/not-held/", views.not_held, name="not_held"),
    path("workers/<int:user_pk>/arrangements/", views.arrangements, name="arrangements"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/change/", views.session_edit, name="session_edit"),
    path("policy/", views.policy, name="policy"),
    path("policy/change/", views.policy_change, name="policy_change"),
    path("children/<int:person_pk>/discussions/<int:pk>/", views.case_discussion, name="case_discussion"),
]
