"""The education registers: children missing education (CME) and elective home education (EHE)."""

from django.urls import path

from . import views

app_name = "education"
urlpatterns = [
    path("", views.index, name="index"),
    path("find/", views.find, name="find"),
    path("notify/", views.notify, name="notify"),
    path("children/<int:person_pk>/missing-education/new/", views.cme_new, name="cme_new"),
    path("children/<int:person_pk>/home-education/new/", views.ehe_new, name="ehe_new"),
    path("missing-education/<int:pk>/", views.cme_case, name="cme_case"),
    path("missing-education/<int:pk>/enquiries/new/", views.cme_enquiry_new, name="cme_enquiry_new"),
    path("missing-education/<int:pk>/outcome/", views.cme_outcome, name="cme_outcome"),
    path("missing-education/<int:pk>/close/", views.cme_close, name="cme_close"),
    path("missing-education/<int:pk>/home-education/", views.cme_open_ehe, name="cme_open_ehe"),
    path("home-education/<int:pk>/", views.ehe_case, name="ehe_case"),
    path("home-education/<int:pk>/change/", views.ehe_change, name="ehe_change"),
    path("home-education/<int:pk>/contacts/new/", views.ehe_visit_new, name="ehe_visit_new"),
    path("home-education/<int:pk>/suitability/", views.ehe_suitability, name="ehe_suitability"),
    path("home-education/<int:pk>/end/", views.ehe_end, name="ehe_end"),
]
