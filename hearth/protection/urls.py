from django.urls import path

from . import views

app_name = "protection"
urlpatterns = [
    path("strategy/new/", views.strategy_new, name="strategy_new"),
    path("s47/<int:pk>/", views.s47, name="s47"),
    path("s47/<int:pk>/complete/", views.s47_complete, name="s47_complete"),
    path("s47/<int:pk>/oversight/", views.s47_oversight, name="s47_oversight"),
    path("conferences/new/<str:kind>/", views.conference_new, name="conference_new"),
    path("conferences/<int:pk>/", views.conference, name="conference"),
    path("conferences/<int:pk>/pdf/", views.conference_pdf, name="conference_pdf"),
    path("transfer-in/", views.transfer_in, name="transfer_in"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/change/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/end/", views.plan_end, name="plan_end"),
    path("plans/<int:pk>/oversight/", views.plan_oversight, name="plan_oversight"),
    path("plans/<int:pk>/visits/new/", views.visit_new, name="visit_new"),
    path("plans/<int:pk>/core-groups/new/", views.core_group_new, name="core_group_new"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/family-pdf/", views.plan_family_pdf, name="plan_family_pdf"),
]
