"""Agency pages for projects: list, create, edit, size, eligibility, pipeline, jobs, dashboard."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.selectors import user_is_agency
from guichet.projects import selectors, services
from guichet.projects.forms import JobsForm, MoveForm, OutcomeForm, ProjectForm, SizingForm
from guichet.projects.models import STAGE_TRANSITIONS, Project, Stage
from guichet.projects.ranking import rank_eligible_premises


def _agency(request: HttpRequest) -> None:
    if not user_is_agency(request.user):
        raise PermissionDenied


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    _agency(request)
    projects = selectors.projects_visible_to(user=request.user).prefetch_related("calls")
    return render(request, "projects/project_list.html", {"projects": projects})


@login_required
def project_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _agency(request)
    project = get_object_or_404(Project, pk=pk) if pk else None
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        departements = values.pop("preferred_departements")
        try:
            if project is None:
                project = services.project_create(
                    actor=request.user, preferred_departements=departements, **values
                )
            else:
                project = services.project_update(
                    actor=request.user,
                    project=Project.objects.get(pk=project.pk),
                    preferred_departements=departements,
                    **values,
                )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    project = get_object_or_404(Project, pk=pk)
    eligible = selectors.eligible_premises(project=project).order_by("owner__name", "name")
    pre_ranking = rank_eligible_premises(project=project)
    next_stages = STAGE_TRANSITIONS.get(project.stage, set())
    area_wanted = selectors.project_floor_area_wanted(project=project)
    sized_jobs = selectors.project_sized_jobs(project=project)
    move_form = MoveForm(
        project=project, initial={"floor_area_taken_m2": project.floor_area_taken_m2 or area_wanted}
    )
    move_form.fields["stage"].choices = [  # type: ignore[attr-defined]
        (value, label) for value, label in Stage.choices if value in next_stages
    ]
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "eligible": eligible,
            "eligible_authorities": selectors.eligible_authorities(project=project),
            "area_wanted": area_wanted,
            "sizing_form": SizingForm(),
            "move_form": move_form,
            "next_stages": next_stages,
            "jobs_form": JobsForm(),
            "sized_jobs": sized_jobs,
            "decision": selectors.project_decision(project=project),
            "outcome_form": OutcomeForm(project=project),
            "hires": services.project_hires_per_year(project=project),
            "pre_ranking": pre_ranking,
            "eligible_count": pre_ranking.total if pre_ranking else eligible.count(),
        },
    )


def _project_action(
    request: HttpRequest, pk: int, form_class: Any, action: Any, success: str
) -> HttpResponse:
    """A POST on the project page: the form, then the service; what went wrong comes back as a message."""
    _agency(request)
    project = get_object_or_404(Project, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success)
    else:
        problems = (f"{field}: {' '.join(str(e) for e in errors)}" for field, errors in form.errors.items())
        messages.error(request, " ".join(problems))
    return redirect("projects:detail", pk)


@login_required
@require_POST
def project_size(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, SizingForm, services.project_size, _("Project sized."))


@login_required
@require_POST
def project_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, MoveForm, services.project_move, _("Stage recorded."))


@login_required
@require_POST
def project_jobs(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_action(request, pk, JobsForm, services.project_record_jobs, _("Jobs recorded."))


@login_required
@require_POST
def project_disclose(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    services.project_disclose_identity(actor=request.user, project=get_object_or_404(Project, pk=pk))
    messages.success(request, _("The company's identity is now visible to the consulted authorities."))
    return redirect("projects:detail", pk)
