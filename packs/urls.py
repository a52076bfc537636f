from django.urls import path

from . import views

app_name = "packs"

urlpatterns = [
    path("packs/<str:code>/<int:fy>/", views.exports, name="exports"),
    path("packs/<str:code>/<int:fy>/answers/", views.answers, name="answers"),
    path("packs/<str:code>/<int:fy>/answers.xlsx", views.answers_xlsx, name="answers_xlsx"),
    path("exports/<int:pk>/", views.export_row, name="row"),
    path("exports/<int:pk>/download/", views.download, name="download"),
    path("exports/<int:pk>/again/", views.export_again, name="again"),
]
