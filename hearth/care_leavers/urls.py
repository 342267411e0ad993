from django.urls import path

from . import views

app_name = "care_leavers"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("adviser/", views.adviser_allocate, name="adviser_allocate"),
    path("adviser/end/", views.adviser_end, name="adviser_end"),
    path("status/new/", views.decision_new, name="decision_new"),
    path("status/<int:pk>/withdraw/", views.decision_withdraw, name="decision_withdraw"),
    path("needs-assessment/new/", views.needs_assessment_new, name="needs_assessment_new"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/reviews/new/", views.plan_review_new, name="plan_review_new"),
    path("plans/<int:pk>/end/", views.plan_end, name="plan_end"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("accommodation/new/", views.accommodation_new, name="accommodation_new"),
    path("activity/new/", views.activity_new, name="activity_new"),
    path("staying-put/new/", views.staying_put_new, name="staying_put_new"),
    path("staying-put/<int:pk>/end/", views.staying_put_end, name="staying_put_end"),
]
