"""Catalogue pages of the signed-in users (their space, edits, CNIG files): thin views over the selectors
(reads) and services (writes). The public pages (home, search, premises, authorities) are the portal's."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guichet.accounts.types import SignedInRequest
from guichet.catalogue import jobs as catalogue_jobs
from guichet.catalogue import selectors, services
from guichet.catalogue.forms import CnigImportForm, IncentiveForm, PremisesForm
from guichet.files import download_response, image_response
from guichet.form_errors import add_service_errors
from guichet.jobs.services import job_submit
from guichet.sources import cnig


def photo(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A premises photo, to whoever may see the premises (anybody, for the public offer)."""
    item = get_object_or_404(selectors.photos_visible_to(user=request.user), public_id=public_id)
    return image_response(item.image, download_name=item.download_name)


@login_required
def space(request: SignedInRequest) -> HttpResponse:
    """The user's workspace: the records they may edit, each premises with the call that reserves it (an
    investor's choice not yet signed, which the public portal does not show)."""
    reservations = selectors.reservations_visible_to(user=request.user)
    premises_list = list(selectors.premises_editable_by(user=request.user).order_by("archived_at", "name"))
    for premises in premises_list:
        premises.reserved_by = reservations.get(premises.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "catalogue/space.html",
        {
            "premises_list": premises_list,
            "incentives": selectors.incentives_editable_by(user=request.user).order_by("archived_at", "name"),
            "sites": selectors.sites_editable_by(user=request.user).prefetch_related("plots"),
            "authorities": selectors.authorities_manageable_by(user=request.user),
        },
    )


def _save_form(request: HttpRequest, form: Any, save: Any, success: str) -> bool:
    if not form.is_valid():
        return False
    values = dict(form.cleaned_data)
    try:
        save(values)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success)
    return True


@login_required
def premises_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    authorities = selectors.authorities_manageable_by(user=request.user)
    if not authorities.exists():
        raise PermissionDenied
    instance = get_object_or_404(selectors.premises_editable_by(user=request.user), pk=pk) if pk else None
    form = PremisesForm(request.POST or None, instance=instance, authorities=authorities)
    if request.method == "POST":

        def save(values: dict[str, Any]) -> None:
            owner = values.pop("owner")
            version = values.pop("version")
            if instance is None:
                services.premises_create(actor=request.user, owner=owner, **values)
            else:
                services.premises_update(
                    actor=request.user, premises=instance, owner=owner, expected_version=version, **values
                )

        if _save_form(request, form, save, _("Premises saved.")):
            return redirect("catalogue:space")
    return render(request, "catalogue/edit.html", {"form": form, "instance": instance, "what": _("premises")})


@login_required
@require_POST
def premises_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    premises = get_object_or_404(selectors.premises_editable_by(user=request.user), pk=pk)
    services.premises_archive(actor=request.user, premises=premises)
    messages.success(request, _("Premises archived."))
    return redirect("catalogue:space")


@login_required
def incentive_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    authorities = selectors.authorities_manageable_by(user=request.user)
    if not authorities.exists():
        raise PermissionDenied
    instance = get_object_or_404(selectors.incentives_editable_by(user=request.user), pk=pk) if pk else None
    form = IncentiveForm(request.POST or None, instance=instance, authorities=authorities)
    if request.method == "POST":

        def save(values: dict[str, Any]) -> None:
            owner = values.pop("owner")
            version = values.pop("version")
            if instance is None:
                services.incentive_create(actor=request.user, owner=owner, **values)
            else:
                services.incentive_update(
                    actor=request.user, incentive=instance, owner=owner, expected_version=version, **values
                )

        if _save_form(request, form, save, _("Incentive saved.")):
            return redirect("catalogue:space")
    return render(
        request, "catalogue/edit.html", {"form": form, "instance": instance, "what": _("incentive")}
    )


@login_required
@require_POST
def incentive_archive(request: SignedInRequest, pk: int) -> HttpResponse:
    incentive = get_object_or_404(selectors.incentives_editable_by(user=request.user), pk=pk)
    services.incentive_archive(actor=request.user, incentive=incentive)
    messages.success(request, _("Incentive archived."))
    return redirect("catalogue:space")


@login_required
def cnig_import(request: SignedInRequest) -> HttpResponse:
    """The file is checked and imported by a background job; its page shows the progress, then the
    result (rows read, kept) or every refused cell with its row and column."""
    authorities = selectors.authorities_manageable_by(user=request.user)
    if not authorities.exists():
        raise PermissionDenied
    form = CnigImportForm(request.POST or None, request.FILES or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kind = form.cleaned_data["kind"]
        job = job_submit(
            owner=request.user,
            kind=catalogue_jobs.KIND,
            label=_("CNIG import (%(kind)s): %(file)s") % {"kind": kind, "file": upload.name},
            params={"kind": kind, "owner_id": form.cleaned_data["owner"].pk, "file_name": upload.name[:200]},
            chunks=upload.chunks(),
            suffix=".csv",
            return_url=reverse("catalogue:space"),
        )
        return redirect("jobs:detail", public_id=job.public_id)
    return render(request, "catalogue/cnig_import.html", {"form": form})


@login_required
def cnig_export(request: SignedInRequest, kind: str) -> HttpResponse:
    sites = selectors.sites_editable_by(user=request.user)
    owner = request.GET.get("owner", "")
    if owner.isdigit():
        sites = sites.filter(Q(owner_id=int(owner)))
    if kind == cnig.SITE:
        content = selectors.sites_cnig_export(sites=sites)
    elif kind == cnig.PLOT:
        content = selectors.plots_cnig_export(sites=sites)
    else:
        raise PermissionDenied
    return download_response(content, content_type="text/csv; charset=utf-8", filename=f"{kind}.csv")
