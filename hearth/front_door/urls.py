from django.urls import path

from . import views

app_name = "front_door"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("contacts/new/", views.contact_new, name="contact_new"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("contacts/<int:pk>/child/", views.contact_child, name="contact_child"),
    path("contacts/<int:pk>/screen/", views.contact_screen, name="contact_screen"),
    path("contacts/<int:pk>/decide/", views.contact_decide, name="contact_decide"),
    path("early-help/", views.early_help_list, name="early_help_list"),
    path("early-help/<int:pk>/", views.early_help_detail, name="early_help"),
    path("early-help/<int:pk>/change/", views.early_help_edit, name="early_help_edit"),
    path("early-help/<int:pk>/end/", views.early_help_end, name="early_help_end"),
    path("early-help/<int:pk>/step-up/", views.early_help_step_up, name="early_help_step_up"),
    path("mystery-shopper/", views.mystery_shop, name="mystery_shop"),
    path("mystery-shopper/new/", views.mystery_shop_new, name="mystery_shop_new"),
]
