from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("staff/<int:user_pk>/", views.worker, name="worker"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/change/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/book/", views.session_book, name="session_book"),
    path("sessions/<int:pk>/book-partner/", views.session_book_partner, name="session_book_partner"),
    path("sessions/<int:pk>/cancel/", views.session_cancel_view, name="session_cancel"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("apprenticeships/new/", views.cohort_new, name="cohort_new"),
    path("apprenticeships/<int:pk>/", views.cohort, name="cohort"),
    path("apprenticeships/<int:pk>/apprentices/new/", views.apprentice_new, name="apprentice_new"),
    path("apprentices/<int:pk>/change/", views.apprentice_edit, name="apprentice_edit"),
]
