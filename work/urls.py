from django.urls import path

from . import views

app_name = "work"

urlpatterns = [
    path("work/captures/<int:pk>/", views.capture_download, name="capture_download"),
    path("work/", views.my_work, name="mine"),
    path("work/approvals/", views.approvals, name="approvals"),
    path("work/open/", views.open_year, name="open"),
    path("work/s/<int:pk>/", views.detail, name="detail"),
    path("work/s/<int:pk>/move/", views.move, name="move"),
    path("work/s/<int:pk>/due/", views.due_date, name="due"),
    path("work/s/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("work/s/<int:pk>/links/", views.link_add, name="link_add"),
    path("work/s/<int:pk>/checks/", views.checks, name="checks"),
    path("work/s/<int:pk>/comments/", views.comment, name="comment"),
    path("work/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("work/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("work/links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("work/<str:code>/<int:fy>/", views.board, name="board"),
    path("work/<str:code>/<int:fy>/assignments/", views.assignment_grid, name="assignments"),
    path(
        "work/<str:code>/<int:fy>/assignments/copy/", views.assignment_copy, name="assignments_copy"
    ),
    path("work/<str:code>/<int:fy>/events/", views.event_new, name="event_new"),
    path("work/<str:code>/<int:fy>/oversight/", views.oversight, name="oversight"),
]
