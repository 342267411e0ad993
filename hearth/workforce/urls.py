"""Workforce pages: the establishment and its sustainability (establishment_urls) and the CSWW measures and
census export (measures_urls), one namespace."""

from . import establishment_urls, measures_urls

app_name = "workforce"

urlpatterns = establishment_urls.urlpatterns + measures_urls.urlpatterns
