from django.urls import path

from . import views

app_name = "oit_items"

urlpatterns = [
    path("checklists/", views.scheme_list, name="list"),
    path("checklists/compare/", views.scheme_compare, name="compare"),
    path("checklists/import/", views.scheme_import, name="import"),
    path("checklists/template.xlsx", views.scheme_template, name="template"),
    path("checklists/<int:pk>/", views.scheme_detail, name="detail"),
    path("checklists/<int:pk>/export.xlsx", views.scheme_export, name="export"),
    path("checklists/<int:pk>/publish/", views.scheme_publish_view, name="publish"),
    path(
        "checklists/<int:pk>/carry-forward/", views.scheme_carry_forward_view, name="carry_forward"
    ),
]
