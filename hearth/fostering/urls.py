from django.urls import path

from . import views

app_name = "fostering"
urlpatterns = [
    path("", views.index, name="index"),
    path("register/", views.register, name="register"),
    path("vacancies/", views.vacancies, name="vacancies"),
    path("vacancies/<int:pk>/close/", views.vacancy_close, name="vacancy_close"),
    path("placement-requests/", views.requests, name="requests"),
    path("placement-requests/<int:pk>/", views.request_detail, name="request"),
    path("placement-requests/<int:pk>/match/<int:vacancy_pk>/", views.request_match, name="request_match"),
    path("placement-requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("children/<int:person_pk>/placement-request/", views.request_new, name="request_new"),
    path("recruitment/", views.recruitment, name="recruitment"),
    path("households/new/", views.enquiry_new, name="enquiry_new"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/change/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/<slug:step>/", views.household_step, name="household_step"),
]
