from django.urls import path

from . import views

app_name = "care"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("start/", views.start, name="start"),
    path("legal-status/change/", views.legal_status_change, name="legal_status_change"),
    path("placement/change/", views.placement_change, name="placement_change"),
    path("legal-status-and-placement/change/", views.both_change, name="both_change"),
    path("placements/<int:pk>/correct/", views.placement_correct, name="placement_correct"),
    path("end/", views.end, name="end"),
    path("periods/<int:period_pk>/details/", views.period_details, name="period_details"),
    path("adoption/new/", views.adoption_new, name="adoption_new"),
    path("adoption/<int:pk>/", views.adoption_edit, name="adoption_edit"),
    path("deprivation-of-liberty/new/", views.dolo_new, name="dolo_new"),
    path("deprivation-of-liberty/<int:pk>/end/", views.dolo_end, name="dolo_end"),
]
