from django.urls import path

from . import views

app_name = "chronology"
urlpatterns = [
    path("", views.index, name="index"),
    path("pdf/", views.pdf, name="pdf"),
    path("notes/new/", views.note_new, name="note_new"),
    path("notes/<int:pk>/", views.note_edit, name="note_edit"),
    path("events/<int:pk>/significant/", views.significant, name="significant"),
    path("events/<int:pk>/hide/", views.hide, name="hide"),
]
