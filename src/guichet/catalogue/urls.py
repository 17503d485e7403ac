from django.urls import path

from guichet.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("space/", views.space, name="space"),
    path("space/premises/new/", views.premises_edit, name="premises_create"),
    path("space/premises/<int:pk>/edit/", views.premises_edit, name="premises_edit"),
    path("space/premises/<int:pk>/archive/", views.premises_archive, name="premises_archive"),
    path("space/incentives/new/", views.incentive_edit, name="incentive_create"),
    path("space/incentives/<int:pk>/edit/", views.incentive_edit, name="incentive_edit"),
    path("space/incentives/<int:pk>/archive/", views.incentive_archive, name="incentive_archive"),
    path("space/cnig/import/", views.cnig_import, name="cnig_import"),
    path("space/cnig/export/<str:kind>.csv", views.cnig_export, name="cnig_export"),
    path("photos/<uuid:public_id>/", views.photo, name="photo"),
]
