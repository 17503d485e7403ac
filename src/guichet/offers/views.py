"""Pages of calls for offers: the agency's, the authorities' and the investor's dossier."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.selectors import user_is_agency
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.offers import evaluation, selectors, services
from guichet.offers.dossier import dossier_context, dossier_pdf, dossier_xlsx
from guichet.offers.forms import CallForm, ExcludeForm, ProposalForm, WeightsForm
from guichet.offers.models import CallForOffers, DossierLink
from guichet.projects.models import Project
from guichet.projects.selectors import project_identity_visible


def _agency(request: HttpRequest) -> None:
    if not user_is_agency(request.user):
        raise PermissionDenied


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def call_list(request: HttpRequest) -> HttpResponse:
    calls = selectors.calls_visible_to(user=request.user).order_by("-created_at")
    return render(request, "offers/call_list.html", {"calls": calls})


@login_required
def call_create(request: HttpRequest, project_pk: int) -> HttpResponse:
    _agency(request)
    project = get_object_or_404(Project, pk=project_pk)
    form = CallForm(request.POST or None, initial={"title": project.code_name, "brief": project.description})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            return redirect("offers:call_detail", call.pk)
    return render(request, "offers/call_form.html", {"form": form, "project": project})


@login_required
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(selectors.calls_visible_to(user=request.user), pk=pk)
    is_agency = user_is_agency(request.user)
    context: dict[str, Any] = {
        "call": call,
        "is_agency": is_agency,
        "identity_visible": project_identity_visible(user=request.user, project=call.project),
        "answers": selectors.call_answer_status(user=request.user, call=call),
        "own_proposal": selectors.proposal_of(user=request.user, call=call),
        "published": selectors.published_evaluation_for(user=request.user, call=call),
    }
    if is_agency:
        context["exclude_form"] = ExcludeForm()
        context["exclude_form"].fields["authority"].queryset = Authority.objects.filter(
            pk__in=call.addressees.filter(included=True).values("authority_id")
        )
        context["include_choices"] = Authority.objects.exclude(
            pk__in=call.addressees.filter(included=True).values("authority_id")
        )
        context["dossier_links"] = call.dossier_links.all()
    return render(request, "offers/call_detail.html", context)


@login_required
@require_POST
def call_exclude(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    call = get_object_or_404(CallForOffers, pk=pk)
    form = ExcludeForm(request.POST)
    if form.is_valid():
        try:
            services.call_exclude_authority(
                actor=request.user,
                call=call,
                authority=form.cleaned_data["authority"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
    else:
        messages.error(request, _("Leaving an authority out needs a reason."))
    return redirect("offers:call_detail", pk)


@login_required
@require_POST
def call_include(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    call = get_object_or_404(CallForOffers, pk=pk)
    authority = get_object_or_404(Authority, pk=request.POST.get("authority"))
    try:
        services.call_include_authority(actor=request.user, call=call, authority=authority)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("offers:call_detail", pk)


@login_required
@require_POST
def call_open(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    call = get_object_or_404(CallForOffers, pk=pk)
    try:
        services.call_open(actor=request.user, call=call)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The brief was sent to the consulted authorities."))
    return redirect("offers:call_detail", pk)


@login_required
def call_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """An officer writes (or rewrites, until the deadline) its authority's proposal."""
    call = get_object_or_404(selectors.calls_visible_to(user=request.user), pk=pk)
    authority_id = getattr(request.user, "authority_id", None)
    if authority_id is None:
        raise PermissionDenied
    existing = selectors.proposal_of(user=request.user, call=call)
    premises = list(Premises.objects.filter(owner_id=authority_id, archived_at__isnull=True).order_by("name"))
    incentives = Incentive.objects.filter(owner_id=authority_id, archived_at__isnull=True)
    form = ProposalForm(
        request.POST or None,
        request.FILES or None,
        premises=premises,
        incentives=incentives,
        existing=existing,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_submit(
                actor=request.user,
                call=call,
                offers=data["offers"],
                incentive_ids=[i.pk for i in data["incentives"]],
                training_places=data["training_places"],
                job_centre_partnership=data["job_centre_partnership"],
                recruitment_support=data["recruitment_support"],
                free_text=data["free_text"],
                attachments=[data["attachment"]] if data.get("attachment") else [],
                expected_version=int(request.POST["version"])
                if request.POST.get("version", "").isdigit()
                else None,
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(
                request,
                _("Proposal received. Receipt (SHA-256): %(digest)s") % {"digest": proposal.receipt_sha256},
            )
            return redirect("offers:call_detail", pk)
    return render(
        request,
        "offers/proposal_form.html",
        {"call": call, "form": form, "existing": existing, "closed": not call.accepts_proposals},
    )


@login_required
def call_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's neutral comparison, once the deadline has passed."""
    _agency(request)
    call = get_object_or_404(CallForOffers, pk=pk)
    if not call.deadline_passed:
        messages.error(request, _("Proposals stay sealed until the deadline."))
        return redirect("offers:call_detail", pk)
    weights = evaluation.call_weights(call=call)
    form = WeightsForm(request.GET or None, criteria=evaluation.criteria_with_weights(weights))
    if request.GET and form.is_valid():
        weights = form.weights()
    try:
        result = evaluation.evaluate_call(call=call, weights=weights)
    except ValidationError as error:
        messages.error(request, _errors(error))
        result = None
    return render(request, "offers/compare.html", {"call": call, "form": form, "result": result})


@login_required
@require_POST
def call_decide(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    call = get_object_or_404(CallForOffers, pk=pk)
    form = WeightsForm(
        request.POST, criteria=evaluation.criteria_with_weights(evaluation.call_weights(call=call))
    )
    if not form.is_valid():
        messages.error(request, _("Check the weights."))
        return redirect("offers:call_compare", pk)
    try:
        evaluation.call_decide(actor=request.user, call=call, weights=form.weights())
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("offers:call_compare", pk)
    messages.success(request, _("The comparison is published to the participating authorities."))
    return redirect("offers:call_detail", pk)


@login_required
@require_POST
def dossier_create(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    call = get_object_or_404(CallForOffers, pk=pk)
    shortlist = call.proposals.filter(pk__in=request.POST.getlist("proposal"))
    try:
        days = int(request.POST.get("valid_days", "30"))
        _link, token = services.dossier_link_create(
            actor=request.user, call=call, shortlist=shortlist, valid_days=days
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, _errors(error) if isinstance(error, ValidationError) else str(error))
        return redirect("offers:call_detail", pk)
    url = request.build_absolute_uri(reverse("offers:dossier", args=[token]))
    messages.success(request, _("Private link for the investor (shown once): %(url)s") % {"url": url})
    return redirect("offers:call_detail", pk)


@login_required
@require_POST
def dossier_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _agency(request)
    link = get_object_or_404(DossierLink, pk=pk)
    services.dossier_link_revoke(actor=request.user, link=link)
    messages.success(request, _("Link revoked."))
    return redirect("offers:call_detail", link.call_id)


def _live_link(token: str) -> DossierLink:
    link = selectors.dossier_link_by_token(token=token)
    if link is None:
        raise Http404
    return link


def dossier(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    response = render(request, "offers/dossier.html", {**dossier_context(link=link), "token": token})
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def dossier_pdf_view(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    response = HttpResponse(dossier_pdf(link=link, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="dossier-{link.project.code_name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def dossier_xlsx_view(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    response = HttpResponse(
        dossier_xlsx(link=link),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dossier-{link.project.code_name}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response
