from django.urls import path

from guichet.offers import views

app_name = "offers"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/<int:project_pk>/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/exclude/", views.call_exclude, name="call_exclude"),
    path("calls/<int:pk>/include/", views.call_include, name="call_include"),
    path("calls/<int:pk>/open/", views.call_open, name="call_open"),
    path("calls/<int:pk>/answer/", views.call_answer, name="call_answer"),
    path("calls/<int:pk>/compare/", views.call_compare, name="call_compare"),
    path("calls/<int:pk>/decide/", views.call_decide, name="call_decide"),
    path("calls/<int:pk>/dossier-links/", views.dossier_create, name="dossier_create"),
    path("dossier-links/<int:pk>/revoke/", views.dossier_revoke, name="dossier_revoke"),
    path("dossier/<str:token>/", views.dossier, name="dossier"),
    path("dossier/<str:token>/dossier.pdf", views.dossier_pdf_view, name="dossier_pdf"),
    path("dossier/<str:token>/dossier.xlsx", views.dossier_xlsx_view, name="dossier_xlsx"),
]
