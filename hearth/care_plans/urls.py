from django.urls import path

from . import views

app_name = "care_plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("iro/", views.iro, name="iro"),
    path("plan/", views.care_plan, name="care_plan"),
    path("placements/<int:pk>/plan/", views.placement_plan, name="placement_plan"),
    path("reviews/new/", views.review_new, name="review_new"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("health/new/", views.health_new, name="health_new"),
    path("dental/new/", views.dental_new, name="dental_new"),
    path("immunisations/new/", views.immunisation_new, name="immunisation_new"),
    path("sdq/new/", views.sdq_new, name="sdq_new"),
    path("pep/new/", views.pep_new, name="pep_new"),
    path("oc2/<int:year>/", views.oc2, name="oc2"),
]
