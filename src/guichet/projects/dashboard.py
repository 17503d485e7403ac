"""Figures of the agency's dashboard: pipeline, jobs against the target, floor space on offer."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum

from guichet.catalogue.selectors import premises_public
from guichet.projects.models import AgencySettings, JobsCreated, Project, Stage


def dashboard_figures() -> dict[str, Any]:
    by_stage = dict(Project.objects.values_list("stage").annotate(n=Count("pk")).order_by())
    pipeline = [
        {"stage": stage, "label": stage.label, "count": by_stage.get(stage.value, 0)} for stage in Stage
    ]
    settings_row = AgencySettings.objects.first()
    target = settings_row.jobs_target_per_year if settings_row else 400
    created = dict(JobsCreated.objects.values_list("year").annotate(total=Sum("jobs")).order_by())
    announced: dict[int, int] = {}
    for project in Project.objects.filter(stage__in=[Stage.WON, Stage.INSTALLED, Stage.AFTERCARE]):
        won = project.stage_changes.filter(stage=Stage.WON).order_by("at").first()
        if won and project.jobs_announced:
            announced[won.at.year] = announced.get(won.at.year, 0) + project.jobs_announced
    years = sorted(set(created) | set(announced))
    jobs = [
        {
            "year": year,
            "announced": announced.get(year, 0),
            "created": created.get(year, 0),
            "target": target,
            "share_of_target": created.get(year, 0) / target if target else None,
        }
        for year in years
    ]
    public = premises_public()
    by_authority = list(
        public.values("owner__name")
        .annotate(area=Sum("available_area_m2"), count=Count("pk"))
        .order_by("-area")
    )
    by_departement = list(
        public.values("commune__departement__code", "commune__departement__name")
        .annotate(area=Sum("available_area_m2"), count=Count("pk"))
        .order_by("commune__departement__code")
    )
    return {
        "pipeline": pipeline,
        "jobs": jobs,
        "jobs_target": target,
        "by_authority": by_authority,
        "by_departement": by_departement,
    }
