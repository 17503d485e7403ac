from django.urls import path

from guichet.labour import views

app_name = "labour"

urlpatterns = [
    path("premises/<int:pk>/", views.premises_panel, name="premises_panel"),
    path("territory/", views.territory, name="territory"),
    path("imports/", views.imports, name="imports"),
    path("imports/zoning/", views.zoning_upload, name="zoning_upload"),
    path("imports/<str:kind>/", views.import_upload, name="import_upload"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("centres/<int:pk>/edit/", views.centre_edit, name="centre_edit"),
    path("centres/<int:pk>/delete/", views.centre_delete, name="centre_delete"),
]
