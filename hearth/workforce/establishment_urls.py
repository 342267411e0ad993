"""The establishment, its funding and sustainability, and the people in post (joined into hearth.workforce.urls)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("posts/", views.posts, name="posts"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/<int:pk>/", views.post, name="post"),
    path("posts/<int:pk>/change/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("posts/<int:pk>/funding/new/", views.funding_add, name="funding_add"),
    path("posts/<int:pk>/funding/<int:funding_pk>/end/", views.funding_end, name="funding_end"),
    path("sustainability/", views.sustainability, name="sustainability"),
    path("sustainability.csv", views.sustainability_csv, name="sustainability_csv"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/appointments/new/", views.appointment_start, name="appointment_start"),
    path("people/<int:pk>/appointments/<int:appointment_pk>/end/", views.appointment_end, name="appointment_end"),
    path("people/<int:pk>/absences/new/", views.absence_record, name="absence_record"),
    path("people/<int:pk>/absences/<int:absence_pk>/close/", views.absence_close, name="absence_close"),
]
