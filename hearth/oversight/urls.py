from django.urls import path

from . import views

app_name = "oversight"
urlpatterns = [
    path("record/<str:decision_point>/<int:content_type_id>/<int:object_id>/", views.record, name="record"),
    path("gates/", views.gates, name="gates"),
    path("children/<int:person_pk>/", views.history, name="history"),
]
