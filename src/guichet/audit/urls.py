from django.urls import path

from guichet.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.transparency, name="transparency"),
    path("heads.jsonl", views.head_log, name="head_log"),
]
