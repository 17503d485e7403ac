from django.urls import path

from guichet.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("premises/", views.premises_search, name="premises_search"),
    path("premises/export.csv", views.premises_export_csv, name="premises_export_csv"),
    path("premises/<int:pk>/", views.premises_detail, name="premises_detail"),
    path("map/communes/<str:code>.geojson", views.communes_geojson, name="communes_geojson"),
    path("authorities/", views.authority_list, name="authority_list"),
    path("authorities/<int:pk>/", views.authority_detail, name="authority_detail"),
    path("submit-your-project/", views.project_submit, name="project_submit"),
    path("submit-your-project/received/", views.project_submitted, name="project_submitted"),
]
