from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from hearth.workspace.views import healthz

# The admin signs in through Hearth's own sign-in, so the second factor and lockout always apply.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("hearth.accounts.urls")),
    path("children/", include("hearth.people.urls")),
    path("children/<int:person_pk>/chronology/", include("hearth.chronology.urls")),
    path("search/", include("hearth.search.urls")),
    path("duplicates/", include("hearth.matching.urls")),
    path("calendar/", include("hearth.clocks.urls")),
    path("front-door/", include("hearth.front_door.urls")),
    path("refer/", include("hearth.portal.urls")),
    path("children/<int:person_pk>/cin/", include("hearth.cin.urls")),
    path("children/<int:person_pk>/protection/", include("hearth.protection.urls")),
    path("children/<int:person_pk>/care/", include("hearth.care.urls")),
    path("children/<int:person_pk>/care-plan/", include("hearth.care_plans.urls")),
    path("children/<int:person_pk>/leaving-care/", include("hearth.care_leavers.urls")),
    path("children/<int:person_pk>/missing/", include("hearth.missing.urls")),
    path("children-in-care/outcomes/", include("hearth.care_plans.service_urls")),
    path("children-in-care/", include("hearth.care.service_urls")),
    path("leaving-care/", include("hearth.care_leavers.service_urls")),
    path("missing/", include("hearth.missing.service_urls")),
    path("education/", include("hearth.education.urls")),
    path("fostering/", include("hearth.fostering.urls")),
    path("adopters/", include("hearth.fostering.adopter_urls")),
    path("returns/", include("hearth.returns.urls")),
    path("performance/", include("hearth.indicators.urls")),
    path("audits/", include("hearth.case_audits.urls")),
    path("supervision/", include("hearth.supervision.urls")),
    path("workforce/", include("hearth.workforce.urls")),
    path("training/", include("hearth.training.urls")),
    path("finance/", include("hearth.finance.urls")),
    path("improvement/", include("hearth.improvement.urls")),
    path("oversight/", include("hearth.oversight.urls")),
    path("trays/", include("hearth.worktrays.urls")),
    path("admin/", admin.site.urls),
    path("", include("hearth.workspace.urls")),
]
