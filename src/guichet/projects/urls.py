from django.urls import path

from guichet.projects import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_edit, name="create"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/size/", views.project_size, name="size"),
    path("<int:pk>/sizings/<int:number>/chart.svg", views.project_sizing_chart, name="sizing_chart"),
    path("<int:pk>/move/", views.project_move, name="move"),
    path("<int:pk>/jobs/", views.project_jobs, name="jobs"),
    path("<int:pk>/disclose/", views.project_disclose, name="disclose"),
]
