from django.urls import path

from guichet.projects import pipeline_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_edit, name="create"),
    path("dashboard/", pipeline_views.dashboard, name="dashboard"),
    path("dashboard/chart/<slug:name>.svg", pipeline_views.dashboard_chart, name="dashboard_chart"),
    path(
        "dashboard/export/<slug:table>.<slug:extension>",
        pipeline_views.dashboard_export,
        name="dashboard_export",
    ),
    path("follow-up/", pipeline_views.follow_up, name="follow_up"),
    path("results/", pipeline_views.results, name="results"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/size/", views.project_size, name="size"),
    path("<int:pk>/sizings/<int:number>/chart.svg", views.project_sizing_chart, name="sizing_chart"),
    path("<int:pk>/sizings/<int:number>/adopt/", views.project_adopt_sizing, name="adopt_sizing"),
    path("<int:pk>/move/", views.project_move, name="move"),
    path("<int:pk>/jobs/", views.project_jobs, name="jobs"),
    path("<int:pk>/outcome/", pipeline_views.project_outcome, name="outcome"),
    path("<int:pk>/disclose/", views.project_disclose, name="disclose"),
]
