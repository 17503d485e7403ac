"""Reads of the catalogue. Who may see or edit what is decided here, and only here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.selectors import user_authority_id, user_is_agency
from guichet.accounts.types import Reader
from guichet.catalogue.models import Authority, Incentive, Plot, Premises, PremisesPhoto, PremisesStatus, Site
from guichet.exports import csv_cell
from guichet.hooks import Hook
from guichet.sources import cnig

PUBLIC_STATUSES = (PremisesStatus.AVAILABLE, PremisesStatus.UNDER_OPTION)


def premises_public() -> QuerySet[Premises]:
    """What anybody may see: public, live premises."""
    return Premises.objects.filter(is_public=True, archived_at__isnull=True, status__in=PUBLIC_STATUSES)


def premises_visible_to(*, user: Reader) -> QuerySet[Premises]:
    """Agency staff see everything; an officer, the public offer and all of its own authority's records."""
    base = Premises.objects.select_related("owner", "commune", "commune__departement")
    if user_is_agency(user):
        return base.all()
    authority_id = user_authority_id(user)
    public = Q(is_public=True, archived_at__isnull=True, status__in=PUBLIC_STATUSES)
    if authority_id is None:
        return base.filter(public)
    return base.filter(public | Q(owner_id=authority_id))


def premises_for_update(*, pk: int) -> Premises:
    """A premises with its row locked until the transaction ends: what is checked free stays free."""
    return Premises.objects.select_for_update().get(pk=pk)


def require_premises_on_offer(premises: Premises) -> None:
    """Refuse a premises that is no longer on offer (archived, let or withdrawn): it can be neither chosen
    nor signed for, so that a premises let by one signature is not won a second time."""
    if premises.archived_at is not None or premises.status in (PremisesStatus.LET, PremisesStatus.WITHDRAWN):
        raise ValidationError(
            {
                "premises": _("%(name)s is no longer on offer (%(status)s).")
                % {"name": premises.name, "status": premises.get_status_display()}
            }
        )


def _no_reservations(*, user: Reader) -> Mapping[int, Any]:
    """The premises reserved by an investor's choice not yet signed, as the reader may see them: the call
    that reserves each, by premises id. None without calls for offers."""
    return {}


# Answered by the app that runs calls for offers (offers/apps.py).
reservations_visible_to = Hook(_no_reservations)


def photos_visible_to(*, user: Reader) -> QuerySet[PremisesPhoto]:
    return PremisesPhoto.objects.filter(premises__in=premises_visible_to(user=user))


def premises_editable_by(*, user: Reader) -> QuerySet[Premises]:
    base = Premises.objects.select_related("owner", "commune")
    if user_is_agency(user):
        return base.all()
    authority_id = user_authority_id(user)
    return base.filter(owner_id=authority_id) if authority_id else base.none()


def incentives_public() -> QuerySet[Incentive]:
    return Incentive.objects.filter(archived_at__isnull=True).select_related("owner")


def incentives_editable_by(*, user: Reader) -> QuerySet[Incentive]:
    base = Incentive.objects.select_related("owner")
    if user_is_agency(user):
        return base.all()
    authority_id = user_authority_id(user)
    return base.filter(owner_id=authority_id) if authority_id else base.none()


def sites_editable_by(*, user: Reader) -> QuerySet[Site]:
    base = Site.objects.select_related("owner")
    if user_is_agency(user):
        return base.all()
    authority_id = user_authority_id(user)
    return base.filter(owner_id=authority_id) if authority_id else base.none()


def authorities_manageable_by(*, user: Reader) -> QuerySet[Authority]:
    """The authorities on whose behalf the user may create records."""
    if user_is_agency(user):
        return Authority.objects.all()
    authority_id = user_authority_id(user)
    return Authority.objects.filter(pk=authority_id) if authority_id else Authority.objects.none()


def officer_emails(authority: Authority) -> list[str]:
    """The authority's active officers' addresses and its contact address. Reads `authority.users.all()`,
    so a caller looping over authorities prefetches them (``authority__users``) in one query."""
    emails = [user.email for user in authority.users.all() if user.is_active and user.email]
    if authority.contact_email:
        emails.append(authority.contact_email)
    return sorted(set(emails))


def catalogue_key_figures() -> dict[str, int]:
    public = premises_public()
    return {
        "premises": public.count(),
        "available_area_m2": public.aggregate(total=Sum("available_area_m2"))["total"] or 0,
        "authorities": Authority.objects.filter(premises__in=public).distinct().count(),
        "incentives": incentives_public().count(),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _cnig_row(attributes: dict[str, str], columns: dict[str, Any]) -> dict[str, str]:
    """The stored cells, with the fields the product lets people edit written over them when they differ."""
    row = dict(attributes)
    for name, value in columns.items():
        stored = attributes.get(name, "")
        if value is None and stored == "":
            continue
        try:
            same = value is not None and stored != "" and Decimal(stored) == Decimal(str(value))
        except (InvalidOperation, ValueError):
            same = stored == _cell(value)
        if not same:
            row[name] = _cell(value)
    # Formula-safe like every export: a name such as =HYPERLINK(...) shows as written in a spreadsheet.
    return {name: csv_cell(text) for name, text in row.items()}


def sites_cnig_export(*, sites: QuerySet[Site]) -> bytes:
    rows = [
        _cnig_row(
            site.attributes,
            {
                "site_id": site.site_id,
                "site_nom": site.name,
                "site_comm_insee": site.commune_insee,
                "site_surf_brute": site.gross_area_ha,
                "site_surf_utile": site.usable_area_ha,
            },
        )
        for site in sites.order_by("site_id")
    ]
    return cnig.write_table(cnig.SITE, rows)


def plots_cnig_export(*, sites: QuerySet[Site]) -> bytes:
    rows = [
        _cnig_row(
            plot.attributes,
            {"terr_id": plot.terr_id, "site_id": plot.site.site_id, "terr_surf_brute": plot.gross_area_ha},
        )
        for plot in Plot.objects.filter(site__in=sites).select_related("site").order_by("terr_id")
    ]
    return cnig.write_table(cnig.PLOT, rows)


def premises_filtered(
    premises: QuerySet[Premises],
    *,
    departement: str = "",
    epci: str = "",
    min_area: int | None = None,
    available_by: Any = None,
    max_rent: Any = None,
    fibre: bool | None = None,
    public_transport: bool | None = None,
    fit_out: str = "",
) -> QuerySet[Premises]:
    """The search filters shared by the portal and the API; an empty or None filter is not applied.

    ``available_by``: available on that date at the latest. ``max_rent``: premises without a rent (for sale
    only) do not match a rent ceiling. ``fibre``/``public_transport``: True keeps premises that have it,
    False those that lack it.
    """
    if departement:
        premises = premises.filter(commune__departement=departement)
    if epci:
        premises = premises.filter(commune__epci=epci)
    if min_area is not None:
        premises = premises.filter(available_area_m2__gte=min_area)
    if available_by is not None:
        premises = premises.filter(available_from__lte=available_by)
    if max_rent is not None:
        premises = premises.filter(rent_eur_m2_year__lte=max_rent)
    if fibre is not None:
        premises = premises.filter(fibre=fibre)
    if public_transport is not None:
        premises = premises.filter(public_transport=public_transport)
    if fit_out:
        premises = premises.filter(fit_out=fit_out)
    return premises


# --- the region's reference band of occupancy costs ---------------------------------------------------

BAND_MINIMUM = 5  # fewer listed rents than this make no band


@dataclass(frozen=True)
class RentBand:
    """The region's listed occupancy costs (rent + charges, EUR per m² a year excluding VAT) of the live
    premises to rent in the catalogue, read on ``on``: how many, the tenth, fiftieth and ninetieth
    percentiles, and the median of the charges listed."""

    count: int
    low: float
    median: float
    high: float
    charges_median: float
    on: dt.date


def _percentile(values: list[float], share: float) -> float:
    """Linear interpolation between the closest ranks (the spreadsheet's PERCENTILE.INC)."""
    position = (len(values) - 1) * share
    below = int(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)


def listed_rent_band() -> RentBand | None:
    """The reference band of the region's listed occupancy costs, from the catalogue as it stands today
    (None with fewer than :data:`BAND_MINIMUM` premises to rent with a listed rent)."""
    rows = list(
        Premises.objects.filter(
            archived_at__isnull=True, status__in=PUBLIC_STATUSES, rent_eur_m2_year__isnull=False
        ).values_list("rent_eur_m2_year", "charges_eur_m2_year")
    )
    if len(rows) < BAND_MINIMUM:
        return None
    totals = sorted(float(rent or 0) + float(charges or 0) for rent, charges in rows)
    charges = sorted(float(charges or 0) for _rent, charges in rows)
    return RentBand(
        count=len(totals),
        low=round(_percentile(totals, 0.1), 2),
        median=round(_percentile(totals, 0.5), 2),
        high=round(_percentile(totals, 0.9), 2),
        charges_median=round(_percentile(charges, 0.5), 2),
        on=timezone.localdate(),
    )
