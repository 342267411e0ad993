from django.urls import path, re_path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("new/", views.referral_new, name="new"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    re_path(r"^(?P<reference>[A-Za-z2-9]{4}-?[A-Za-z2-9]{4})/$", views.referral_detail, name="detail"),
    re_path(r"^(?P<reference>[A-Za-z2-9]{4}-?[A-Za-z2-9]{4})/sent/$", views.referral_sent, name="sent"),
]
