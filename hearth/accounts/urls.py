from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/code/", views.sign_in_code, name="sign_in_code"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("sign-out/", views.sign_out, name="logout"),
    path("signed-out/", views.timed_out, name="timed_out"),
]
