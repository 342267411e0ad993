"""Improvement programme pages: inspections, the plan and its evidence, monitoring visits (plan_urls); board
meetings, board packs and the self-evaluation (pack_urls), one namespace."""

from . import pack_urls, plan_urls

app_name = "improvement"

urlpatterns = plan_urls.urlpatterns + pack_urls.urlpatterns
