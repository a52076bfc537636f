from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("units/", views.directory, name="directory"),
    path("units/import/", views.import_page, name="import"),
    path(
        "units/import/template/<str:kind>.<str:fmt>", views.import_template, name="import_template"
    ),
    path("units/<str:code>/", views.unit_detail, name="detail"),
    path("units/<str:code>/handover/", views.handover, name="handover"),
    path("me/", views.my_profile, name="me"),
]
