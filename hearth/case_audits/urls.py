from django.urls import path

from . import views

app_name = "case_audits"

urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.audit_detail, name="audit"),
    path("<int:pk>/audit/", views.audit_edit, name="audit_edit"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("actions/", views.actions, name="actions"),
    path("actions/mine/", views.my_actions, name="my_actions"),
    path("actions/<int:pk>/complete/", views.action_complete, name="action_complete"),
    path("themes/", views.themes, name="themes"),
    path("templates/", views.templates, name="templates"),
    path("templates/set-up/", views.templates_install, name="templates_install"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("templates/<int:pk>/revise/", views.template_revise, name="template_revise"),
    path("practice-weeks/", views.practice_weeks, name="practice_weeks"),
    path("practice-weeks/new/", views.practice_week_new, name="practice_week_new"),
    path("practice-weeks/<int:pk>/", views.practice_week, name="practice_week"),
    path("practice-weeks/<int:pk>/summary/", views.practice_week_summary, name="practice_week_summary"),
    path("practice-weeks/<int:pk>/teams/<int:team_pk>/summary/", views.practice_week_summary,
         name="practice_week_team_summary"),
    path("practice-weeks/<int:pk>/print/", views.practice_week_print, name="practice_week_print"),
    path("practice-weeks/<int:pk>/practice-week.pdf", views.practice_week_pdf, name="practice_week_pdf"),
]
