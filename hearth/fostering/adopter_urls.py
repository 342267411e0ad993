from django.urls import path

from . import adopter_views as views

app_name = "adopters"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("annex-a-list-11/", views.list_11, name="list_11"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/change/", views.edit, name="edit"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/<slug:slug>/", views.step, name="step"),
]
