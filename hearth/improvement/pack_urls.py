"""The improvement board (meetings and their board packs) and the self-evaluation."""

from django.urls import URLPattern, path

from . import views_board as views

urlpatterns: list[URLPattern] = [
    path("board/", views.board, name="board"),
    path("board/new/", views.meeting_new, name="board_meeting_new"),
    path("board/<int:pk>/", views.meeting, name="board_meeting"),
    path("board/<int:pk>/edit/", views.meeting_edit, name="board_meeting_edit"),
    path("board/<int:pk>/pack/", views.pack_generate, name="board_pack_generate"),
    path("board/packs/<int:pk>/progress/", views.pack_progress, name="board_pack_progress"),
    path("board/packs/<int:pk>/pdf/", views.pack_pdf, name="board_pack_pdf"),
    path("self-evaluation/", views.self_evaluations, name="self_evaluations"),
    path("self-evaluation/new/", views.self_evaluation_new, name="self_evaluation_new"),
    path("self-evaluation/<int:pk>/", views.self_evaluation, name="self_evaluation"),
    path("self-evaluation/<int:pk>/edit/", views.self_evaluation_edit, name="self_evaluation_edit"),
    path("self-evaluation/<int:pk>/agree/", views.self_evaluation_agree_view, name="self_evaluation_agree"),
    path("self-evaluation/<int:pk>/assemble/", views.self_evaluation_reassemble_view,
         name="self_evaluation_reassemble"),
    path("self-evaluation/<int:pk>/pdf/", views.self_evaluation_pdf, name="self_evaluation_pdf"),
]
