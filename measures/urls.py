from django.urls import path

from . import season_views, views

app_name = "measures"

urlpatterns = [
    path("measures/results/import/", views.results_import, name="results_import"),
    path("measures/m/<int:pk>/", views.measure, name="measure"),
    path("measures/m/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path("measures/files/<int:pk>/", views.progress_file, name="progress_file"),
    path("measures/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("measures/<str:code>/results/", views.results, name="results"),
    path("measures/<str:code>/governance/", views.governance, name="governance"),
    path("measures/<str:code>/orders/new/", views.order_edit, name="order_new"),
    path("measures/<str:code>/orders/<int:pk>/", views.order_edit, name="order_edit"),
    path("measures/<str:code>/committees/new/", views.committee_edit, name="committee_new"),
    path("measures/<str:code>/committees/<int:pk>/", views.committee_edit, name="committee_edit"),
    path("measures/<str:code>/meetings/new/", views.meeting_edit, name="meeting_new"),
    path("measures/<str:code>/meetings/<int:pk>/", views.meeting_edit, name="meeting_edit"),
    path(
        "measures/<str:code>/<str:kind>/<int:pk>/delete/",
        views.governance_delete,
        name="governance_delete",
    ),
    path("measures/quotas/<int:pk>/count/", season_views.quota_count, name="quota_count"),
    path("measures/collections/<int:pk>/poster.pdf", season_views.poster, name="poster"),
    path("measures/<str:code>/<int:fy>/season/", season_views.season_page, name="season"),
    path("measures/<str:code>/<int:fy>/review/", season_views.review_page, name="review"),
    path("measures/<str:code>/<int:fy>/review.xlsx", season_views.review_xlsx, name="review_xlsx"),
    path("measures/<str:code>/<int:fy>/", views.plan, name="plan"),
    path("measures/<str:code>/<int:fy>/analysis/", views.analysis, name="analysis"),
    path("measures/<str:code>/<int:fy>/move/", views.move, name="move"),
    path(
        "measures/<str:code>/<int:fy>/documents/<str:kind>.<str:fmt>",
        views.document,
        name="document",
    ),
    path(
        "measures/<str:code>/<int:fy>/documents/<str:kind>/attach/",
        views.document_attach,
        name="document_attach",
    ),
    path("measures/<str:code>/<int:fy>/report/", views.report_signoff, name="report_signoff"),
    path("measures/<str:code>/drafts/<str:kind>.<str:fmt>", views.draft, name="draft"),
    path("measures/<str:code>/<int:fy>/measures/new/", views.measure_edit, name="measure_new"),
    path(
        "measures/<str:code>/<int:fy>/measures/<int:pk>/", views.measure_edit, name="measure_edit"
    ),
]
