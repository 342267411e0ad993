from django.urls import path

from . import views

app_name = "cin"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("referral/new/", views.episode_open, name="episode_open"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode"),
    path("episodes/<int:pk>/primary-need/", views.primary_need, name="primary_need"),
    path("episodes/<int:pk>/close/", views.episode_close, name="episode_close"),
    path("episodes/<int:pk>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("episodes/<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/sections/<slug:section>/", views.assessment_section, name="assessment_section"),
    path("assessments/<int:pk>/child-seen/", views.assessment_child_seen, name="assessment_child_seen"),
    path("assessments/<int:pk>/factors/", views.assessment_conclusion, name="assessment_conclusion"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/authorise/", views.assessment_authorise, name="assessment_authorise"),
    path("assessments/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/reviews/new/", views.plan_review_new, name="plan_review_new"),
    path("plans/<int:pk>/end/", views.plan_end, name="plan_end"),
]
