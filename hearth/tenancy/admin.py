from django.contrib import admin

from .models import LocalAuthority


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "ons_code", "dfe_la_number", "population_0_17")
