"""Agency pages for projects: list, create, edit, size, eligibility, pipeline, jobs, dashboard."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import agency_required
from guichet.accounts.types import SignedInRequest
from guichet.engine import profiles
from guichet.engine.sizing import read_sizing
from guichet.form_errors import add_service_errors, form_problems, service_error_text
from guichet.phrasing import need as need_phrasing
from guichet.phrasing import sizing as sizing_display
from guichet.projects import selectors, services
from guichet.projects.forms import DecisionFields, JobsForm, MoveForm, OutcomeForm, ProjectForm, SizingForm
from guichet.projects.models import STAGE_TRANSITIONS, Activity, Project, Sector, Stage
from guichet.projects.ranking import rank_eligible_premises


@agency_required
def project_list(request: SignedInRequest) -> HttpResponse:
    projects = selectors.projects_visible_to(user=request.user).prefetch_related("calls")
    return render(request, "projects/project_list.html", {"projects": projects})


@agency_required
def project_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    project = get_object_or_404(Project, pk=pk) if pk else None
    form = ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        departements = values.pop("preferred_departements")
        version = values.pop("version")
        try:
            if project is None:
                project = services.project_create(
                    actor=request.user, preferred_departements=departements, **values
                )
            else:
                project = services.project_update(
                    actor=request.user,
                    project=project,
                    preferred_departements=departements,
                    expected_version=version,
                    **values,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


def _sizing_form(project: Project) -> SizingForm:
    """The sizing form, starting from the latest sizing's inputs, or from the project's activity."""
    inputs = read_sizing(project.sizing).inputs or None
    profile = "back_office" if project.sector != Sector.CONTACT_CENTRE else "inbound"
    if project.activity == Activity.OUTBOUND:
        profile = "outbound"
    return SizingForm(inputs=inputs, initial={"profile": profile})


def _sizing_context(project: Project) -> dict[str, Any]:
    history = list(selectors.project_sizing_history(project=project))
    hours, hours_source = selectors.project_opening_hours(project=project)
    stored = read_sizing(project.sizing)
    peak = stored.peak_label
    position = profiles.parse_interval_label(peak) if peak is not None else None
    if position is not None:
        peak = f"{sizing_display.day_names()[position[0]]} {position[1] // 60:02d}:{position[1] % 60:02d}"
    return {
        "peak_label": peak,
        "sizing_history": history,
        "latest_sizing": history[0] if history else None,
        "sizing_has_chart": bool(history) and read_sizing(history[0].summary).volume_kind is not None,
        "sizing_inputs": sizing_display.input_rows(stored),
        "sizing_warnings": sizing_display.warning_texts(stored),
        "sizing_queue": sizing_display.queue_rows(stored),
        "sizing_model": sizing_display.MODEL_LABELS.get(stored.model, stored.model),
        "sizing_volume": sizing_display.VOLUME_LABELS.get(stored.volume_kind or "", ""),
        "sizing_channels": [
            {**dataclasses.asdict(c), "label": sizing_display.CHANNEL_LABELS.get(c.channel, c.channel)}
            for c in stored.channels
        ],
        "history_rows": [
            {
                "record": record,
                "volume": sizing_display.volume_text(read_sizing(record.summary).inputs),
                "opening_hours": sizing_display.opening_hours_text(read_sizing(record.summary).opening_hours),
            }
            for record in history
        ],
        "opening_hours_text": hours.text(sizing_display.day_names()),
        "opening_hours_source": sizing_display.OPENING_HOURS_SOURCES[hours_source],
        "adopted_number": project.adopted_sizing.number if project.adopted_sizing is not None else None,
    }


def _need_context(project: Project) -> dict[str, Any]:
    """The project's one need, figure by figure with its origin, and what the latest sizing says
    otherwise (the reconciliation)."""
    need = selectors.project_need(project=project)
    return {
        "need": need,
        "need_rows": need_phrasing.need_rows(need),
        "need_differences": [need_phrasing.difference_text(item, need) for item in need.differences()],
        "area_wanted": need.floor_area_m2.value,
    }


def _detail(request: HttpRequest, project: Project, sizing_form: SizingForm | None = None) -> HttpResponse:
    eligible = selectors.eligible_premises(project=project).order_by("owner__name", "name")
    pre_ranking = rank_eligible_premises(project=project)
    next_stages = STAGE_TRANSITIONS.get(project.stage, set())
    need = _need_context(project)
    move_form = MoveForm(
        project=project,
        initial={"floor_area_taken_m2": project.floor_area_taken_m2 or need["area_wanted"]},
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
            "sizing_form": sizing_form or _sizing_form(project),
            "sizing_form_errors": sizing_form is not None,
            "move_form": move_form,
            "next_stages": next_stages,
            "jobs_form": JobsForm(),
            "decision": selectors.project_decision(project=project),
            "outcome_form": OutcomeForm(project=project),
            **need,
            "pre_ranking": pre_ranking,
            "eligible_count": pre_ranking.total if pre_ranking else eligible.count(),
            **_sizing_context(project),
        },
    )


@agency_required
def project_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(Project, pk=pk))


def project_action(
    request: HttpRequest, pk: int, form_class: type[forms.Form], action: Any, success: str
) -> HttpResponse:
    """A POST on the project page: the form, then the service; what went wrong comes back as a message.
    A decision's form is bound to the project, so that only the premises offered to it can be chosen."""
    project = get_object_or_404(Project, pk=pk)
    form = (
        form_class(request.POST, project=project)
        if issubclass(form_class, DecisionFields)
        else form_class(request.POST)
    )
    if form.is_valid():
        try:
            action(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, success)
    else:
        messages.error(request, form_problems(form))
    return redirect("projects:detail", pk)


@agency_required
@require_POST
def project_size(request: SignedInRequest, pk: int) -> HttpResponse:
    """Size the project; a value refused (by the form or the engine) is an error on its field."""
    project = get_object_or_404(Project, pk=pk)
    form = SizingForm(request.POST)
    if form.is_valid():
        try:
            services.project_size(actor=request.user, project=project, **form.request_fields())
        except ValidationError as error:
            add_service_errors(form, error, field_for=form.field_for)
        else:
            messages.success(request, _("Project sized."))
            return redirect("projects:detail", pk)
    return _detail(request, project, sizing_form=form)


@agency_required
@require_POST
def project_adopt_sizing(request: SignedInRequest, pk: int, number: int) -> HttpResponse:
    """The agency adopts a sizing as the project's need (its seats, jobs and floor area)."""
    project = get_object_or_404(Project, pk=pk)
    try:
        services.project_adopt_sizing(actor=request.user, project=project, number=number)
    except ValidationError as error:
        messages.error(request, service_error_text(error))
    else:
        messages.success(
            request,
            _("Sizing no. %(number)s adopted: the need's seats, jobs and floor area are now its figures.")
            % {"number": number},
        )
    return redirect("projects:detail", pk)


@agency_required
def project_sizing_chart(request: SignedInRequest, pk: int, number: int) -> HttpResponse:
    """The chart of a sizing's agents per interval over a typical week (SVG, drawn on the server)."""
    from guichet.charts import sizing_chart

    project = get_object_or_404(Project, pk=pk)
    record = get_object_or_404(project.sizings, number=number)
    if not record.intervals:
        raise Http404
    minutes = read_sizing(record.summary).interval_minutes
    svg = sizing_chart(
        record.intervals,
        interval_minutes=minutes,
        title=_("Agents needed per %(minutes)s-minute interval over a typical week")
        % {"minutes": f"{minutes:g}"},
        agents_label=_("agents on the phones"),
        scheduled_label=_("scheduled agents (after shrinkage)"),
        y_label=_("agents"),
        day_names=sizing_display.day_names(),
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@agency_required
@require_POST
def project_move(request: SignedInRequest, pk: int) -> HttpResponse:
    return project_action(request, pk, MoveForm, services.project_move, _("Stage recorded."))


@agency_required
@require_POST
def project_jobs(request: SignedInRequest, pk: int) -> HttpResponse:
    return project_action(request, pk, JobsForm, services.project_record_jobs, _("Jobs recorded."))


@agency_required
@require_POST
def project_disclose(request: SignedInRequest, pk: int) -> HttpResponse:
    services.project_disclose_identity(actor=request.user, project=get_object_or_404(Project, pk=pk))
    messages.success(request, _("The company's identity is now visible to the consulted authorities."))
    return redirect("projects:detail", pk)
