from django.urls import include, path

from . import views

app_name = "indicators"

urlpatterns = [
    path("indicators/", views.indicator_list, name="list"),
    path("indicators.csv", views.indicator_csv, name="csv"),
    path("indicators/<str:code>/", views.indicator_detail, name="detail"),
    path("indicators/<str:code>/trend.csv", views.trend_csv, name="trend_csv"),
    path("indicators/<str:code>/children/", views.indicator_children, name="children"),
    path("indicators/<str:code>/children.csv", views.children_csv, name="children_csv"),
    path("indicators/<str:code>/target/", views.target_edit, name="target"),
    path("indicators/<str:code>/as-reported/<str:month>/", views.snapshot_detail, name="snapshot"),
    # The dashboards (``indicators:index``, ``director``, ``service``, ``team``).
    path("", include("hearth.indicators.dashboard_urls")),
]
