from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("teams/<int:pk>/", views.team, name="team"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("drafts/save/", views.draft_save_view, name="draft_save"),
]
