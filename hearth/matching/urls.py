from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("run/", views.run_now, name="run_now"),
    path("<int:pk>/", views.pair, name="pair"),
    path("<int:pk>/not-the-same-person/", views.not_duplicate, name="not_duplicate"),
    path("<int:pk>/merge/", views.merge, name="merge"),
    path("merges/", views.history, name="history"),
    path("merges/<int:pk>/", views.merge_detail, name="merge_detail"),
    path("merges/<int:pk>/undo/", views.undo, name="undo"),
]
