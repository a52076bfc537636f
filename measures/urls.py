from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("measures/results/import/", views.results_import, name="results_import"),
    path("measures/<str:code>/results/", views.results, name="results"),
]
