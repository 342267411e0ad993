"""The site's URLs with the care plans service pages, for tests, until hearth/urls.py includes them."""

from django.urls import URLPattern, URLResolver, include, path

from hearth.urls import urlpatterns as site

_wired = any(getattr(p, "namespace", None) == "care_plans_service" for p in site)
urlpatterns: list[URLPattern | URLResolver] = list(site)
if not _wired:
    urlpatterns.insert(0, path("children-in-care/outcomes/", include("hearth.care_plans.service_urls")))
