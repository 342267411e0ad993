from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.index, name="index"),
    path("budget.csv", views.index_csv, name="index_csv"),
    path("service-areas/new/", views.area_new, name="area_new"),
    path("lines/<int:pk>/", views.line_detail, name="line"),
    path("lines/<int:pk>/budget/", views.line_budget, name="line_budget"),
    path("reserves/", views.reserves, name="reserves"),
    path("reserves/new/", views.reserve_new, name="reserve_new"),
    path("reserves/<int:pk>/", views.reserve_detail, name="reserve"),
    path("grants/", views.grants, name="grants"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/<int:pk>/", views.grant_detail, name="grant"),
    path("grants/<int:pk>/allocations/<int:allocation_pk>/spend/", views.allocation_spend, name="allocation_spend"),
    path("unit-costs/", views.unit_costs, name="unit_costs"),
    path("unit-costs/<int:year>/<str:band>/", views.unit_cost_edit, name="unit_cost"),
    path("projection/", views.projection, name="projection"),
]
