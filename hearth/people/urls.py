from django.urls import path

from . import views, views_family, views_new

app_name = "people"
urlpatterns = [
    path("", views.children_search, name="search"),
    # Adding a person: who, likely matches, more about them, address, check and create.
    path("new/", views_new.person_new, name="person_new"),
    path("new/matches/", views_new.person_new_matches, name="person_new_matches"),
    path("new/more/", views_new.person_new_more, name="person_new_more"),
    path("new/address/", views_new.person_new_address, name="person_new_address"),
    path("new/check/", views_new.person_new_check, name="person_new_check"),
    path("<int:pk>/", views.child_record, name="child_record"),
    path("<int:pk>/print/", views.child_print, name="child_print"),
    path("<int:pk>/details/", views.child_edit, name="child_edit"),
    path("<int:pk>/background/", views.background_edit, name="background_edit"),
    path("<int:pk>/identifiers/", views.identifiers_edit, name="identifiers_edit"),
    path("<int:pk>/immigration/", views.immigration_edit, name="immigration_edit"),
    path("<int:pk>/names/add/", views.other_name_add, name="name_add"),
    path("<int:pk>/addresses/move/", views.address_move_view, name="address_move"),
    path("<int:pk>/addresses/<int:address_pk>/correct/", views.address_correct_view, name="address_correct"),
    path("<int:pk>/contact-details/add/", views.contact_add, name="contact_add"),
    path("<int:pk>/contact-details/<int:detail_pk>/end/", views.contact_end, name="contact_end"),
    path("<int:pk>/professionals/", views.professionals, name="professionals"),
    path("<int:pk>/professionals/add/", views.professional_add_view, name="professional_add"),
    path("<int:pk>/professionals/<int:involvement_pk>/end/", views.professional_end_view, name="professional_end"),
    path("<int:pk>/family/", views_family.family, name="family"),
    path("<int:pk>/family/add/", views_family.relative_kind, name="relative_kind"),
    path("<int:pk>/family/add/<str:kind>/", views_family.relative_find, name="relative_find"),
    path("<int:pk>/family/add/<str:kind>/new/", views_family.relative_new, name="relative_new"),
    path("<int:pk>/family/add/<str:kind>/<int:relative_pk>/", views_family.relative_existing,
         name="relative_existing"),
    path("<int:pk>/family/<int:relationship_pk>/end/", views_family.relationship_end_view, name="relationship_end"),
    path("<int:pk>/break-glass/", views.break_glass, name="break_glass"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/access/", views.access_settings, name="access_settings"),
]
