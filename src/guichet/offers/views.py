"""Pages of calls for offers: the agency's, the authorities' and the investor's dossier.

Calls, proposals, receipts and attachments are reached by opaque ids (UUIDs): what an authority can see
in an address tells it nothing about how many records others have.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.decorators import agency_required
from guichet.accounts.selectors import user_authority_id, user_is_agency
from guichet.accounts.types import SignedInRequest
from guichet.audit.selectors import latest_signed_head
from guichet.audit.services import audit_read
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.files import download_response, file_response, image_response
from guichet.notifications.models import to_send_again
from guichet.notifications.selectors import call_notifications_visible_to
from guichet.notifications.services import notifications_resend_failed
from guichet.offers import compare, evaluation, receipts, selectors, services
from guichet.offers.chain import receipt_chain
from guichet.offers.dossier import dossier_html, dossier_photo, dossier_xlsx
from guichet.offers.forms import (
    AnswerForm,
    CallForm,
    CancelForm,
    ChoiceForm,
    CloseForm,
    DeadlineForm,
    ExcludeForm,
    OpenForm,
    ProposalForm,
    QuestionForm,
    WeightsForm,
)
from guichet.offers.models import (
    CallForOffers,
    CallStatus,
    Clarification,
    DossierAccessKind,
    DossierLink,
    ProposalVersion,
)
from guichet.offers.receipt_pdf import receipt_pdf
from guichet.offers.side_by_side import call_side_by_side
from guichet.phrasing import need as need_phrasing
from guichet.projects.models import Project
from guichet.projects.selectors import project_identity_visible


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's errors on the form: on the field they name when the form has it, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.error_dict.items():
        messages_ = [message for item in field_errors for message in item.messages]
        form.add_error(field if field in form.fields else None, messages_)


def _visible_call(request: HttpRequest, public_id: uuid.UUID) -> CallForOffers:
    return get_object_or_404(selectors.calls_visible_to(user=request.user), public_id=public_id)


@login_required
def call_list(request: SignedInRequest) -> HttpResponse:
    calls = selectors.calls_visible_to(user=request.user).order_by("-created_at")
    return render(request, "offers/call_list.html", {"calls": calls})


@agency_required
def call_create(request: SignedInRequest, project_pk: int) -> HttpResponse:
    project = get_object_or_404(Project, pk=project_pk)
    form = CallForm(request.POST or None, initial={"title": project.code_name, "brief": project.description})
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            return redirect("offers:call_detail", call.public_id)
    return render(request, "offers/call_form.html", {"form": form, "project": project})


@login_required
def call_detail(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = _visible_call(request, public_id)
    is_agency = user_is_agency(request.user)
    own_proposal = selectors.proposal_of(user=request.user, call=call)
    context: dict[str, Any] = {
        "call": call,
        "is_agency": is_agency,
        "identity_visible": project_identity_visible(user=request.user, project=call.project),
        "answers": selectors.call_answer_status(user=request.user, call=call),
        "own_proposal": own_proposal,
        "own_receipts": selectors.receipts_of(user=request.user, call=call, own=own_proposal),
        "own_attachments": list(own_proposal.attachments.filter(withdrawn_at__isnull=True))
        if own_proposal
        else [],
        "published": selectors.published_evaluation_for(user=request.user, call=call, own=own_proposal),
        "clarifications": selectors.clarifications_visible_to(user=request.user, call=call),
        "deadline_changes": call.deadline_changes.all(),
        "question_form": QuestionForm() if call.accepts_proposals and not is_agency else None,
        "chain_head": latest_signed_head(),
        **compare.basis_context(call=call),
    }
    if is_agency:
        context["exclude_form"] = ExcludeForm()
        context["exclude_form"].fields["authority"].queryset = Authority.objects.filter(
            pk__in=call.addressees.filter(included=True).values("authority_id")
        )
        context["include_choices"] = Authority.objects.exclude(
            pk__in=call.addressees.filter(included=True).values("authority_id")
        )
        context["unreachable"] = (
            selectors.addressees_without_address(call=call) if call.status == CallStatus.DRAFT else []
        )
        context["open_form"] = OpenForm()
        context["deadline_form"] = DeadlineForm()
        context["cancel_form"] = CancelForm()
        context["close_form"] = CloseForm()
        context["unanswered"] = (
            [authority.name for authority in selectors.unanswered_addressees(call=call)]
            if call.accepts_proposals
            else []
        )
        context["answer_form"] = AnswerForm()
        context["dossier_links"] = selectors.dossier_links_of(call=call)
        context["readable_proposals"] = selectors.proposals_readable_by(user=request.user, call=call)
        context["notifications"] = call_notifications_visible_to(user=request.user, call=call)
        context["has_failed_notifications"] = context["notifications"].filter(to_send_again()).exists()
        context["choice_form"] = _choice_form(request, call)
        context["chosen_area"] = (
            selectors.area_offered(call.chosen_proposal, call.chosen_premises_id)
            if call.chosen_proposal and call.chosen_premises_id
            else None
        )
    return render(request, "offers/call_detail.html", context)


def _choice_form(request: HttpRequest, call: CallForOffers, data: Any = None) -> ChoiceForm | None:
    """The offers received, in the published ranking's order, none selected until the agency records the
    investor's choice (a list that opened on one offer would let a careless click choose it)."""
    if call.status != CallStatus.DECIDED:
        return None
    ranks = {row.get("key"): row.get("rank") for row in (call.evaluation or {}).get("candidates", [])}
    options = []
    for proposal, sealed in selectors.submitted_proposals(call=call):
        for offer in sealed.offers:
            rank = ranks.get(
                evaluation.candidate_key(
                    receipt_sha256=proposal.receipt_sha256, premises_id=offer.premises_id
                )
            )
            label = f"{sealed.authority_name} — {offer.name} ({offer.commune_name})"
            if rank is not None:
                label = _("%(offer)s, rank %(rank)s") % {"rank": rank, "offer": label}
            options.append((rank or len(ranks) + 1, f"{proposal.public_id}:{offer.premises_id}", label))
    choices = [("", _("Pick the offer the investor chose"))]
    choices += [(value, label) for _rank, value, label in sorted(options, key=lambda option: option[0])]
    initial = (
        {"choice": f"{call.chosen_proposal.public_id}:{call.chosen_premises_id}"}
        if call.chosen_proposal
        else None
    )
    return ChoiceForm(data, options=choices, initial=initial)


@agency_required
def call_offers(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    """The offers received, side by side, as sealed: readable by the agency once the deadline has passed."""
    call = get_object_or_404(CallForOffers, public_id=public_id)
    try:
        offers = call_side_by_side(user=request.user, call=call)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("offers:call_detail", public_id)
    return render(
        request,
        "offers/offers.html",
        {
            "call": call,
            "columns": offers.columns,
            "jobs": offers.jobs,
            "hires_text": need_phrasing.hires_counted_text(offers.basis.need, call.years),
            "sized": offers.sized,
            "operation_shown": any(column.operation is not None for column in offers.columns),
            **compare.basis_context(call=call, basis=offers.basis),
        },
    )


@agency_required
@require_POST
def call_exclude(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
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
    return redirect("offers:call_detail", public_id)


@agency_required
@require_POST
def call_include(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    authority_pk = request.POST.get("authority", "")
    authority = get_object_or_404(Authority, pk=authority_pk if authority_pk.isdigit() else 0)
    try:
        services.call_include_authority(actor=request.user, call=call, authority=authority)
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("offers:call_detail", public_id)


@agency_required
@require_POST
def call_open(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    form = OpenForm(request.POST)
    confirmed = form.is_valid() and form.cleaned_data["unreachable_confirmed"]
    try:
        services.call_open(actor=request.user, call=call, unreachable_confirmed=confirmed)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The brief was sent to the consulted authorities."))
    return redirect("offers:call_detail", public_id)


@login_required
def call_answer(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    """An officer writes (or rewrites, until the deadline) its authority's proposal."""
    call = _visible_call(request, public_id)
    authority_id = user_authority_id(request.user)
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
    basis = compare.basis_context(call=call)
    need = basis["need"]
    if request.method == "POST" and form.is_valid():
        draft = form.draft()
        try:
            proposal = services.proposal_submit(actor=request.user, call=call, draft=draft)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Proposal received. Receipt (SHA-256): %(digest)s") % {"digest": proposal.receipt_sha256},
            )
            # The need's shortfalls are said, never refused: the comparison marks them.
            by_id = {item.pk: item for item in premises}
            for offer in draft.offers:
                item = by_id[offer.premises_id]
                for warning in need_phrasing.shortfall_warnings(
                    need, name=item.name, area_m2=offer.area_m2, available_from=item.available_from
                ):
                    messages.warning(request, warning)
            return redirect("offers:call_detail", public_id)
    warnings = {
        item.pk: need_phrasing.shortfall_warnings(
            need,
            name=item.name,
            area_m2=item.available_area_m2,
            available_from=item.available_from,
            most=True,
        )
        for item in premises
    }
    return render(
        request,
        "offers/proposal_form.html",
        {
            "call": call,
            "form": form,
            "existing": existing,
            "closed": not call.accepts_proposals,
            "premises_rows": form.premises_rows(warnings),
            **basis,
        },
    )


def _own_receipt(request: HttpRequest, public_id: uuid.UUID, receipt_id: uuid.UUID) -> ProposalVersion:
    call = _visible_call(request, public_id)
    return get_object_or_404(selectors.receipts_of(user=request.user, call=call), public_id=receipt_id)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = download_response(content, content_type=content_type, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def receipt_canonical(request: SignedInRequest, public_id: uuid.UUID, receipt_id: uuid.UUID) -> HttpResponse:
    """The sealed content, byte for byte: its SHA-256 is the receipt."""
    version = _own_receipt(request, public_id, receipt_id)
    return _download(version.canonical.encode("utf-8"), "application/json", f"sealed-v{version.number}.json")


@login_required
def receipt_json(request: SignedInRequest, public_id: uuid.UUID, receipt_id: uuid.UUID) -> HttpResponse:
    """The receipt: the digest beside the sealed content, checked by `guichet receipt verify`."""
    import json

    version = _own_receipt(request, public_id, receipt_id)
    document = receipts.receipt_document(canonical=version.canonical.encode("utf-8"), issuer="Guichet")
    document["chain"] = receipt_chain(version)  # the signed chain head that covers it (docs/audit.md)
    body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    return _download(body, "application/json", f"receipt-v{version.number}.json")


@login_required
def receipt_pdf_view(request: SignedInRequest, public_id: uuid.UUID, receipt_id: uuid.UUID) -> HttpResponse:
    version = _own_receipt(request, public_id, receipt_id)
    return _download(receipt_pdf(version=version), "application/pdf", f"receipt-v{version.number}.pdf")


def attachment(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A proposal's attachment, to whom the sealing rules allow; anybody else gets 404, as for a file
    that does not exist."""
    item = selectors.attachment_readable_by(user=request.user, public_id=public_id)
    if item is None:
        raise Http404
    # By digest, never by name: an officer reads its own attachments before the deadline, and the trail
    # is readable by the agency, which must not learn what a sealed proposal holds until then.
    audit_read(
        actor=request.user,
        action="attachment_read",
        target=item,
        summary=f"sha256 {item.sha256[:16]}",
        sha256=item.sha256,
    )
    return file_response(item.file, download_name=item.name, content_type=item.content_type)


@agency_required
def call_compare(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    """The agency's neutral comparison, once the deadline has passed."""
    call = get_object_or_404(CallForOffers, public_id=public_id)
    if not call.deadline_passed:
        messages.error(request, _("Proposals stay sealed until the deadline."))
        return redirect("offers:call_detail", public_id)
    return render(request, "offers/compare.html", compare.compare_context(request=request, call=call))


@agency_required
@require_POST
def call_decide(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    form = WeightsForm(
        request.POST, criteria=evaluation.criteria_with_weights(evaluation.call_weights(call=call))
    )
    if not form.is_valid():
        messages.error(request, _("Check the weights."))
        return redirect("offers:call_compare", public_id)
    try:
        services.call_decide(actor=request.user, call=call, weights=form.weights())
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("offers:call_compare", public_id)
    messages.success(request, _("The comparison is published to the participating authorities."))
    return redirect("offers:call_detail", public_id)


@agency_required
@require_POST
def dossier_create(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    try:
        chosen = [uuid.UUID(value) for value in request.POST.getlist("proposal")]
        days = int(request.POST.get("valid_days", "30"))
    except ValueError:
        messages.error(request, _("Tick the offers to include and give a number of days."))
        return redirect("offers:call_detail", public_id)
    shortlist = selectors.proposals_readable_by(user=request.user, call=call).filter(public_id__in=chosen)
    try:
        _link, token = services.dossier_link_create(
            actor=request.user, call=call, shortlist=shortlist, valid_days=days
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("offers:call_detail", public_id)
    url = request.build_absolute_uri(reverse("offers:dossier", args=[token]))
    messages.success(request, _("Private link for the investor (shown once): %(url)s") % {"url": url})
    return redirect("offers:call_detail", public_id)


@agency_required
@require_POST
def dossier_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(DossierLink, pk=pk)
    services.dossier_link_revoke(actor=request.user, link=link)
    messages.success(request, _("Link revoked."))
    return redirect("offers:call_detail", link.call.public_id)


def _live_link(token: str) -> DossierLink:
    link = selectors.dossier_link_by_token(token=token)
    if link is None:
        raise Http404
    return link


def dossier(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    services.dossier_access_record(link=link, what=DossierAccessKind.PAGE)
    content = dossier_html(link=link, token=token)
    response = render(
        request,
        "offers/dossier.html",
        {"content": mark_safe(content), "token": token, "project": link.project},
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def dossier_photo_view(request: HttpRequest, token: str, photo_id: uuid.UUID) -> HttpResponse:
    photo = dossier_photo(link=_live_link(token), public_id=str(photo_id))
    if photo is None:
        raise Http404
    return image_response(photo.image, download_name=photo.download_name)


def dossier_pdf_view(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    pdf = services.dossier_pdf(link=link)
    if pdf is None:
        # Being rendered in the background: a page that comes back by itself in a few seconds.
        response = render(request, "offers/dossier_preparing.html", {"project": link.project}, status=202)
        response["Retry-After"] = "3"
        response["Cache-Control"] = "private, no-store"
        return response
    services.dossier_access_record(link=link, what=DossierAccessKind.PDF)
    return _download(pdf, "application/pdf", _dossier_name(link, "pdf"))


def dossier_xlsx_view(request: HttpRequest, token: str) -> HttpResponse:
    link = _live_link(token)
    services.dossier_access_record(link=link, what=DossierAccessKind.XLSX)
    return _download(
        dossier_xlsx(link=link),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _dossier_name(link, "xlsx"),
    )


def _dossier_name(link: DossierLink, extension: str) -> str:
    return f"dossier-{link.project.code_name}.{extension}"


def _post_form(
    request: HttpRequest, form: forms.Form, call: CallForOffers, action: Any, success: str
) -> HttpResponse:
    """Run an action with a valid form; errors come back as messages on the call's page."""
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, str(message))
        return redirect("offers:call_detail", call.public_id)
    try:
        action(form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, success)
    return redirect("offers:call_detail", call.public_id)


@agency_required
@require_POST
def call_deadline(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    return _post_form(
        request,
        DeadlineForm(request.POST),
        call,
        lambda data: services.call_change_deadline(
            actor=request.user, call=call, new_deadline=data["new_deadline"], reason=data["reason"]
        ),
        _("New deadline set; every consulted authority is told."),
    )


@agency_required
@require_POST
def call_close(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    return _post_form(
        request,
        CloseForm(request.POST),
        call,
        lambda data: services.call_close_early(actor=request.user, call=call, reason=data["reason"]),
        _("The call is closed; every consulted authority is told. You can read the offers."),
    )


@agency_required
@require_POST
def call_cancel(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    return _post_form(
        request,
        CancelForm(request.POST),
        call,
        lambda data: services.call_cancel(actor=request.user, call=call, reason=data["reason"]),
        _("The call is cancelled."),
    )


@login_required
@require_POST
def clarification_ask(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = _visible_call(request, public_id)
    if user_authority_id(request.user) is None:
        raise PermissionDenied
    return _post_form(
        request,
        QuestionForm(request.POST),
        call,
        lambda data: services.clarification_ask(
            actor=request.user,
            call=call,
            question=data["question"],
        ),
        _("Your question was sent to the agency. Its answer will go to every consulted authority."),
    )


@agency_required
@require_POST
def clarification_answer(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    item = get_object_or_404(Clarification.objects.select_related("call"), public_id=public_id)
    return _post_form(
        request,
        AnswerForm(request.POST),
        item.call,
        lambda data: services.clarification_answer(
            actor=request.user,
            clarification=item,
            answer=data["answer"],
            published_question=data["published_question"],
        ),
        _("The answer was published to every consulted authority."),
    )


@agency_required
@require_POST
def call_choose(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    form = _choice_form(request, call, request.POST)
    if form is None:
        messages.error(request, _("Record the investor's choice once the call is decided."))
        return redirect("offers:call_detail", public_id)

    def choose(data: dict[str, Any]) -> None:
        proposal_id, premises_id = data["choice"].split(":")
        proposal = get_object_or_404(call.proposals.all(), public_id=proposal_id)
        services.call_choose_offer(
            actor=request.user, call=call, proposal=proposal, premises_id=int(premises_id)
        )

    return _post_form(
        request,
        form,
        call,
        choose,
        _(
            "The investor's choice is recorded: the premises is reserved on this call; the public offer "
            "changes at the signature."
        ),
    )


@agency_required
@require_POST
def call_sign(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    try:
        services.call_confirm_signature(actor=request.user, call=call)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Signature confirmed: the floor area taken up leaves the public offer."))
    return redirect("offers:call_detail", public_id)


@agency_required
@require_POST
def call_resend(request: SignedInRequest, public_id: uuid.UUID) -> HttpResponse:
    call = get_object_or_404(CallForOffers, public_id=public_id)
    count = notifications_resend_failed(actor=request.user, call=call)
    messages.success(request, _("%(count)s e-mails queued again.") % {"count": count})
    return redirect("offers:call_detail", public_id)
