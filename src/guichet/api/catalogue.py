"""Catalogue endpoints: the public offer (premises, authorities, incentives) and an officer's own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from guichet.accounts.selectors import user_authority_id
from guichet.accounts.types import Reader
from guichet.api.auth import AuthedRequest, officer_only, optional_user
from guichet.api.errors import invalid
from guichet.api.schemas import (
    AuthorityDetail,
    AuthorityOut,
    Id,
    IncentiveIn,
    IncentiveOut,
    IncentivePatch,
    Page,
    PageParams,
    PremisesFilters,
    PremisesIn,
    PremisesOut,
    PremisesPatch,
    money,
    paginate,
    problems,
)
from guichet.catalogue import selectors, services
from guichet.catalogue.models import Authority, Incentive, Premises
from guichet.territory.selectors import commune_resolve

public = Router(tags=["catalogue (public)"])
mine = Router(tags=["authority: my catalogue"], auth=officer_only)


# --- rendering ----------------------------------------------------------------------------------------


def premises_out(premises: Premises) -> dict[str, Any]:
    point = premises.point
    commune = premises.commune
    return {
        "id": premises.pk,
        "name": premises.name,
        "owner": {"id": premises.owner_id, "name": premises.owner.name},
        "address": premises.address,
        "commune": {
            "insee": commune.insee,
            "name": commune.name,
            "departement": commune.departement_id,
            "epci": commune.epci_id,
        },
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "located_by_commune": premises.located_by_commune,
        "total_area_m2": premises.total_area_m2,
        "available_area_m2": premises.available_area_m2,
        "smallest_lot_m2": premises.smallest_lot_m2,
        "floors": premises.floors,
        "available_from": premises.available_from,
        "tenure": premises.tenure,
        "rent_eur_m2_year": money(premises.rent_eur_m2_year),
        "charges_eur_m2_year": money(premises.charges_eur_m2_year),
        "sale_price_eur": money(premises.sale_price_eur),
        "fit_out": premises.fit_out,
        "fibre": premises.fibre,
        "fibre_operators": premises.fibre_operators,
        "power_backup": premises.power_backup,
        "parking_spaces": premises.parking_spaces,
        "public_transport": premises.public_transport,
        "public_transport_details": premises.public_transport_details,
        "access_24_7": premises.access_24_7,
        "accessible": premises.accessible,
        "description_fr": premises.description_fr,
        "description_en": premises.description_en,
        "status": premises.status,
        "is_public": premises.is_public,
        "is_demo": premises.is_demo,
        "archived_at": premises.archived_at,
        "version": getattr(premises, "version", None),
        "updated_at": premises.updated_at,
    }


def incentive_out(incentive: Incentive) -> dict[str, Any]:
    return {
        "id": incentive.pk,
        "owner": {"id": incentive.owner_id, "name": incentive.owner.name},
        "name": incentive.name,
        "kind": incentive.kind,
        "amount": money(incentive.amount),
        "unit": incentive.unit,
        "cap_eur": money(incentive.cap_eur),
        "rule": incentive.rule,
        "conditions": incentive.conditions,
        "valid_from": incentive.valid_from,
        "valid_until": incentive.valid_until,
        "is_demo": incentive.is_demo,
        "archived_at": incentive.archived_at,
        "version": getattr(incentive, "version", None),
    }


def authority_out(authority: Authority) -> dict[str, Any]:
    return {
        "id": authority.pk,
        "name": authority.name,
        "kind": authority.kind,
        "siren": authority.siren,
        "territory": authority.territory_label,
        "website": authority.website,
        "contact_email": authority.contact_email,
        "description_fr": authority.description_fr,
        "description_en": authority.description_en,
        "is_demo": authority.is_demo,
    }


def premises_filter(premises: QuerySet[Premises], filters: PremisesFilters) -> QuerySet[Premises]:
    """The API's query parameters onto the search filters the portal uses too."""
    return selectors.premises_filtered(
        premises,
        departement=filters.departement or "",
        epci=filters.epci or "",
        min_area=filters.min_area,
        available_by=filters.available_before,
        max_rent=filters.max_rent,
        fibre=filters.fibre,
        public_transport=filters.public_transport,
        fit_out=filters.fit_out or "",
    )


# --- public -------------------------------------------------------------------------------------------


@public.get(
    "/premises",
    response={200: Page[PremisesOut], **problems(401, 422)},
    summary="Search the premises on offer",
    description="Anonymous: the public offer. With a token, the same search over what the user may see.",
)
def premises_list(
    request: HttpRequest, filters: Query[PremisesFilters], page: Query[PageParams]
) -> dict[str, Any]:
    user = optional_user(request)
    premises = premises_filter(selectors.premises_visible_to(user=user), filters)
    return paginate(premises.order_by("commune__departement", "name", "pk"), page, premises_out)


@public.get("/premises/{id}", response={200: PremisesOut, **problems(401, 404, 422)}, summary="One premises")
def premises_detail(request: HttpRequest, id: Id) -> dict[str, Any]:
    user = optional_user(request)
    return premises_out(get_object_or_404(selectors.premises_visible_to(user=user), pk=id))


@public.get("/authorities", response={200: Page[AuthorityOut], **problems(422)}, summary="The authorities")
def authorities_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(Authority.objects.order_by("name", "pk"), page, authority_out)


@public.get(
    "/authorities/{id}",
    response={200: AuthorityDetail, **problems(401, 404, 422)},
    summary="One authority, with its premises and incentives",
)
def authority_detail(request: HttpRequest, id: Id) -> dict[str, Any]:
    user = optional_user(request)
    authority = get_object_or_404(Authority, pk=id)
    premises = selectors.premises_visible_to(user=user).filter(owner=authority).order_by("name", "pk")
    incentives = selectors.incentives_public().filter(owner=authority).order_by("name", "pk")
    return {
        **authority_out(authority),
        "premises": [premises_out(p) for p in premises],
        "incentives": [incentive_out(i) for i in incentives],
    }


@public.get("/incentives", response={200: Page[IncentiveOut], **problems(422)}, summary="Live incentives")
def incentives_list(request: HttpRequest, page: Query[PageParams], owner: Id | None = None) -> dict[str, Any]:
    incentives = selectors.incentives_public()
    if owner is not None:
        incentives = incentives.filter(owner_id=owner)
    return paginate(incentives.order_by("owner__name", "name", "pk"), page, incentive_out)


# --- an officer's own catalogue ------------------------------------------------------------------------


def _my_premises(user: Reader) -> QuerySet[Premises]:
    """The premises of the officer's own authority, among those the catalogue lets the user edit."""
    return selectors.premises_editable_by(user=user).filter(owner_id=user_authority_id(user))


def _values(payload: PremisesIn | PremisesPatch, *, partial: bool) -> dict[str, Any]:
    values = payload.dict(exclude_unset=partial)
    values.pop("expected_version", None)
    if "commune" in values:
        commune = commune_resolve(insee=values["commune"] or "")
        if commune is None:
            raise invalid("commune", "Unknown INSEE code.")
        values["commune"] = commune
    return values


@mine.get(
    "/premises",
    response={200: Page[PremisesOut], **problems(401, 403, 422)},
    summary="My authority's premises, archived ones included",
)
def my_premises_list(request: AuthedRequest, page: Query[PageParams]) -> dict[str, Any]:
    return paginate(_my_premises(request.auth).order_by("archived_at", "name", "pk"), page, premises_out)


@mine.post(
    "/premises",
    response={201: PremisesOut, **problems(401, 403, 422)},
    summary="Add a premises to my authority's catalogue",
)
def my_premises_create(request: AuthedRequest, payload: PremisesIn) -> Status[dict[str, Any]]:
    user = request.auth
    owner = user.authority
    if owner is None:  # officer_only lets no such user through
        raise PermissionDenied
    premises = services.premises_create(actor=user, owner=owner, **_values(payload, partial=False))
    return Status(201, premises_out(Premises.objects.select_related("owner", "commune").get(pk=premises.pk)))


@mine.get(
    "/premises/{id}", response={200: PremisesOut, **problems(401, 403, 404, 422)}, summary="One of mine"
)
def my_premises_detail(request: AuthedRequest, id: Id) -> dict[str, Any]:
    return premises_out(get_object_or_404(_my_premises(request.auth), pk=id))


@mine.patch(
    "/premises/{id}",
    response={200: PremisesOut, **problems(401, 403, 404, 409, 422)},
    summary="Change some fields of one of my premises",
)
def my_premises_update(request: AuthedRequest, id: Id, payload: PremisesPatch) -> dict[str, Any]:
    premises = get_object_or_404(_my_premises(request.auth), pk=id)
    services.premises_update(
        actor=request.auth,
        premises=premises,
        expected_version=payload.expected_version,
        **_values(payload, partial=True),
    )
    return premises_out(Premises.objects.select_related("owner", "commune").get(pk=premises.pk))


@mine.get(
    "/incentives",
    response={200: Page[IncentiveOut], **problems(401, 403, 422)},
    summary="My authority's incentives, archived ones included",
)
def my_incentives_list(request: AuthedRequest, page: Query[PageParams]) -> dict[str, Any]:
    incentives = selectors.incentives_editable_by(user=request.auth).filter(
        owner_id=request.auth.authority_id
    )
    return paginate(incentives.order_by("archived_at", "name", "pk"), page, incentive_out)


@mine.post(
    "/premises/{id}/archive",
    response={200: PremisesOut, **problems(401, 403, 404, 422)},
    summary="Archive one of my premises: it leaves the public offer and new proposals",
)
def my_premises_archive(request: AuthedRequest, id: Id) -> dict[str, Any]:
    premises = get_object_or_404(_my_premises(request.auth), pk=id)
    services.premises_archive(actor=request.auth, premises=premises)
    return premises_out(Premises.objects.select_related("owner", "commune").get(pk=premises.pk))


def _my_incentives(user: Reader) -> QuerySet[Incentive]:
    return selectors.incentives_editable_by(user=user).filter(owner_id=user_authority_id(user))


def _incentive_values(payload: IncentiveIn | IncentivePatch, *, partial: bool) -> dict[str, Any]:
    values = payload.dict(exclude_unset=partial)
    values.pop("expected_version", None)
    for name in ("rule", "conditions"):
        if name in values and values[name] is None:
            values[name] = ""
    return values


@mine.post(
    "/incentives",
    response={201: IncentiveOut, **problems(401, 403, 422)},
    summary="Add an incentive to my authority's catalogue",
)
def my_incentives_create(request: AuthedRequest, payload: IncentiveIn) -> Status[dict[str, Any]]:
    owner = request.auth.authority
    if owner is None:  # officer_only lets no such user through
        raise PermissionDenied
    incentive = services.incentive_create(
        actor=request.auth, owner=owner, **_incentive_values(payload, partial=False)
    )
    return Status(201, incentive_out(Incentive.objects.select_related("owner").get(pk=incentive.pk)))


@mine.patch(
    "/incentives/{id}",
    response={200: IncentiveOut, **problems(401, 403, 404, 409, 422)},
    summary="Change some fields of one of my incentives",
)
def my_incentives_update(request: AuthedRequest, id: Id, payload: IncentivePatch) -> dict[str, Any]:
    incentive = get_object_or_404(_my_incentives(request.auth), pk=id)
    services.incentive_update(
        actor=request.auth,
        incentive=incentive,
        expected_version=payload.expected_version,
        **_incentive_values(payload, partial=True),
    )
    return incentive_out(Incentive.objects.select_related("owner").get(pk=incentive.pk))


@mine.post(
    "/incentives/{id}/archive",
    response={200: IncentiveOut, **problems(401, 403, 404, 422)},
    summary="Archive one of my incentives: it leaves the public offer and new proposals",
)
def my_incentives_archive(request: AuthedRequest, id: Id) -> dict[str, Any]:
    incentive = get_object_or_404(_my_incentives(request.auth), pk=id)
    services.incentive_archive(actor=request.auth, incentive=incentive)
    return incentive_out(Incentive.objects.select_related("owner").get(pk=incentive.pk))
