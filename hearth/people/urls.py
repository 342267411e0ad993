from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.children_search, name="search"),
    path("export.csv", views.children_export, name="export"),
    path("<int:pk>/", views.child_record, name="child_record"),
    path("<int:pk>/print/", views.child_print, name="child_print"),
    path("<int:pk>/details/", views.child_edit, name="child_edit"),
    path("<int:pk>/break-glass/", views.break_glass, name="break_glass"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/access/", views.access_settings, name="access_settings"),
]
