from django.urls import path

from guichet.offers import views

app_name = "offers"

urlpatterns = [
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/<int:project_pk>/", views.call_create, name="call_create"),
    path("calls/<uuid:public_id>/", views.call_detail, name="call_detail"),
    path("calls/<uuid:public_id>/exclude/", views.call_exclude, name="call_exclude"),
    path("calls/<uuid:public_id>/include/", views.call_include, name="call_include"),
    path("calls/<uuid:public_id>/open/", views.call_open, name="call_open"),
    path("calls/<uuid:public_id>/answer/", views.call_answer, name="call_answer"),
    path(
        "calls/<uuid:public_id>/receipts/<uuid:receipt_id>/sealed.json",
        views.receipt_canonical,
        name="receipt_canonical",
    ),
    path(
        "calls/<uuid:public_id>/receipts/<uuid:receipt_id>/receipt.json",
        views.receipt_json,
        name="receipt_json",
    ),
    path(
        "calls/<uuid:public_id>/receipts/<uuid:receipt_id>/receipt.pdf",
        views.receipt_pdf_view,
        name="receipt_pdf",
    ),
    path("calls/<uuid:public_id>/deadline/", views.call_deadline, name="call_deadline"),
    path("calls/<uuid:public_id>/close/", views.call_close, name="call_close"),
    path("calls/<uuid:public_id>/cancel/", views.call_cancel, name="call_cancel"),
    path("calls/<uuid:public_id>/questions/", views.clarification_ask, name="clarification_ask"),
    path("questions/<uuid:public_id>/answer/", views.clarification_answer, name="clarification_answer"),
    path("calls/<uuid:public_id>/offers/", views.call_offers, name="call_offers"),
    path("calls/<uuid:public_id>/choice/", views.call_choose, name="call_choose"),
    path("calls/<uuid:public_id>/signature/", views.call_sign, name="call_sign"),
    path("calls/<uuid:public_id>/resend/", views.call_resend, name="call_resend"),
    path("calls/<uuid:public_id>/compare/", views.call_compare, name="call_compare"),
    path("calls/<uuid:public_id>/decide/", views.call_decide, name="call_decide"),
    path("calls/<uuid:public_id>/dossier-links/", views.dossier_create, name="dossier_create"),
    path("attachments/<uuid:public_id>/", views.attachment, name="attachment"),
    path("dossier-links/<int:pk>/revoke/", views.dossier_revoke, name="dossier_revoke"),
    path("dossier/<str:token>/", views.dossier, name="dossier"),
    path("dossier/<str:token>/dossier.pdf", views.dossier_pdf_view, name="dossier_pdf"),
    path("dossier/<str:token>/dossier.xlsx", views.dossier_xlsx_view, name="dossier_xlsx"),
    path("dossier/<str:token>/photos/<uuid:photo_id>/", views.dossier_photo_view, name="dossier_photo"),
]
