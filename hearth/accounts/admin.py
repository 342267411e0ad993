from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "service_area", "local_authority", "closed_on")
    list_filter = ("local_authority", "kind")
    search_fields = ("name",)


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "team", "employment_type", "fte", "is_active")
    list_filter = ("local_authority", "role", "employment_type", "is_active")
    search_fields = ("username", "first_name", "last_name", "email", "social_work_england_number")
    fieldsets = (
        *UserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Council and role",
            {
                "fields": (
                    "local_authority", "role", "team", "job_title", "social_work_england_number",
                    "employment_type", "fte", "started_on", "left_on", "is_data_protection_officer",
                    "partner_organisation",
                )
            },
        ),
    )
