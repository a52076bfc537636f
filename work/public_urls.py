from django.urls import path

from . import public_views as views

app_name = "public"
urlpatterns = [
    path("oit/<str:code>/<int:fy>/", views.page, name="page"),
    path("oit/<str:code>/<int:fy>/embed/", views.embed, name="embed"),
    path("oit/<str:code>/<int:fy>/oit.json", views.data_json, name="json"),
    path("oit/<str:code>/<int:fy>/oit.csv", views.data_csv, name="csv"),
    path("oit/<str:code>/<int:fy>/files/<int:pk>/<str:name>", views.file, name="file"),
    path("oit/<str:code>/<int:fy>/<str:item_code>/", views.item, name="item"),
]
