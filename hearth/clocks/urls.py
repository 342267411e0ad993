from django.urls import path

from . import views

app_name = "clocks"

urlpatterns = [
    path("holidays/", views.holiday_list, name="holidays"),
    path("holidays/add/", views.holiday_add, name="holiday_add"),
    path("holidays/<int:pk>/", views.holiday_change, name="holiday_change"),
    path("holidays/<int:pk>/remove/", views.holiday_remove, name="holiday_remove"),
]
