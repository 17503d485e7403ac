"""Reads of projects. Who sees which project, and whether its identity shows, is decided here only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from guichet.accounts.selectors import user_is_agency
from guichet.catalogue.models import Authority, Premises, PremisesStatus
from guichet.projects.models import Project

# Used when a project gives seats but no floor area: the staffing engine's default area per seat.
DEFAULT_AREA_PER_SEAT_M2 = 10.7


def projects_visible_to(*, user: Any) -> QuerySet[Project]:
    """Agency staff see every project; an officer sees the projects of calls sent to its authority."""
    if user_is_agency(user):
        return Project.objects.all()
    authority_id = getattr(user, "authority_id", None) if getattr(user, "is_authenticated", False) else None
    if not authority_id:
        return Project.objects.none()
    return (
        Project.objects.filter(calls__addressees__authority_id=authority_id, calls__addressees__included=True)
        .exclude(calls__status="draft")
        .distinct()
    )


def project_identity_visible(*, user: Any, project: Project) -> bool:
    """The company behind a code name shows to agency staff always, to authorities only once disclosed."""
    return user_is_agency(user) or project.identity_disclosed


def project_floor_area_wanted(*, project: Project) -> int | None:
    if project.floor_area_wanted_m2:
        return project.floor_area_wanted_m2
    if project.sizing and project.sizing.get("floor_area_m2"):
        return int(project.sizing["floor_area_m2"] + 0.999999)
    if project.seats:
        return int(project.seats * DEFAULT_AREA_PER_SEAT_M2 + 0.999999)
    return None


def eligible_premises(*, project: Project) -> QuerySet[Premises]:
    """The live premises that meet the project's hard constraints: area, date, rent and must-haves."""
    premises = Premises.objects.filter(
        archived_at__isnull=True, status__in=(PremisesStatus.AVAILABLE, PremisesStatus.UNDER_OPTION)
    ).select_related("owner", "commune", "commune__departement")
    area = project_floor_area_wanted(project=project)
    if area:
        # The premises holds the area, and either lets it whole or in lots small enough.
        premises = premises.filter(available_area_m2__gte=area).filter(
            Q(smallest_lot_m2__isnull=True) | Q(smallest_lot_m2__lte=area)
        )
    if project.opening_date:
        premises = premises.filter(available_from__lte=project.opening_date)
    if project.max_rent_eur_m2_year is not None:
        premises = premises.filter(
            Q(rent_eur_m2_year__lte=project.max_rent_eur_m2_year)
            | Q(rent_eur_m2_year__isnull=True, tenure="sale")
        )
    if project.needs_fibre:
        premises = premises.filter(fibre=True)
    if project.needs_public_transport:
        premises = premises.filter(public_transport=True)
    if project.needs_parking_spaces:
        premises = premises.filter(parking_spaces__gte=project.needs_parking_spaces)
    if project.needs_24_7:
        premises = premises.filter(access_24_7=True)
    departements = list(project.preferred_departements.values_list("code", flat=True))
    if departements:
        premises = premises.filter(commune__departement__in=departements)
    return premises


def eligible_authorities(*, project: Project) -> QuerySet[Authority]:
    return Authority.objects.filter(premises__in=eligible_premises(project=project)).distinct()
