"""Service-wide pages for care plans (not about one child). The lead wires this module in hearth/urls.py:

    path("children-in-care/outcomes/", include("hearth.care_plans.service_urls")),

before the ``children-in-care/`` line.
"""

from django.urls import path

from . import views

app_name = "care_plans_service"
urlpatterns = [
    path("", views.oc2_due, name="oc2_due"),
]
