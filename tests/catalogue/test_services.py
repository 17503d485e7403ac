"""Catalogue writes: validation that names the field, and who may write what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from guichet.accounts.models import User
from guichet.catalogue import services
from guichet.catalogue.models import Authority, AuthorityKind, Incentive, Premises
from guichet.territory.models import Commune

pytestmark = pytest.mark.django_db


def premises_values(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Plateau Temis",
        "commune": Commune.objects.get(insee="25056"),
        "total_area_m2": 3000,
        "available_area_m2": 2500,
        "available_from": dt.date(2027, 6, 1),
        "tenure": "rent",
        "rent_eur_m2_year": Decimal("95.00"),
    }
    values.update(overrides)
    return values


def test_an_officer_creates_premises_for_its_own_authority(alice: User, grand_besancon: Authority) -> None:
    premises = services.premises_create(actor=alice, owner=grand_besancon, **premises_values())
    assert premises.owner == grand_besancon
    assert premises.point == (premises.commune.latitude, premises.commune.longitude)
    assert premises.located_by_commune


def test_bob_cannot_create_or_edit_for_grand_besancon(
    alice: User, bob: User, grand_besancon: Authority
) -> None:
    with pytest.raises(PermissionDenied):
        services.premises_create(actor=bob, owner=grand_besancon, **premises_values())
    premises = services.premises_create(actor=alice, owner=grand_besancon, **premises_values())
    with pytest.raises(PermissionDenied):
        services.premises_update(actor=bob, premises=premises, name="Hijacked")
    with pytest.raises(PermissionDenied):
        services.premises_archive(actor=bob, premises=premises)
    premises.refresh_from_db()
    assert (premises.name, premises.archived_at) == ("Plateau Temis", None)


def test_alice_cannot_hand_her_premises_to_another_authority(
    alice: User, grand_besancon: Authority, grand_belfort: Authority
) -> None:
    premises = services.premises_create(actor=alice, owner=grand_besancon, **premises_values())
    with pytest.raises(PermissionDenied):
        services.premises_update(actor=alice, premises=premises, owner=grand_belfort)
    assert Premises.objects.get(pk=premises.pk).owner == grand_besancon


def test_agency_staff_edit_any_authority_records(agnes: User, alice: User, grand_besancon: Authority) -> None:
    premises = services.premises_create(actor=alice, owner=grand_besancon, **premises_values())
    services.premises_update(actor=agnes, premises=premises, available_area_m2=2000)
    services.premises_archive(actor=agnes, premises=premises)
    premises.refresh_from_db()
    assert premises.available_area_m2 == 2000 and premises.archived_at is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"available_area_m2": 3200}, "available_area_m2"),
        ({"smallest_lot_m2": 2600}, "smallest_lot_m2"),
        ({"tenure": "lease-ish"}, "tenure"),
        ({"fit_out": "palace"}, "fit_out"),
        ({"rent_eur_m2_year": None}, "rent_eur_m2_year"),
        ({"tenure": "sale", "rent_eur_m2_year": None}, "sale_price_eur"),
        ({"latitude": 47.2}, "longitude"),
        ({"latitude": 95.0, "longitude": 6.0}, "latitude"),
        ({"rent_eur_m2_year": Decimal("-1")}, "rent_eur_m2_year"),
    ],
)
def test_inconsistent_premises_are_refused_naming_the_field(
    alice: User, grand_besancon: Authority, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.premises_create(actor=alice, owner=grand_besancon, **premises_values(**overrides))
    assert field in caught.value.message_dict
    assert not Premises.objects.exists()


def test_negative_area_is_refused(alice: User, grand_besancon: Authority) -> None:
    with pytest.raises(ValidationError) as caught:
        services.premises_create(
            actor=alice, owner=grand_besancon, **premises_values(total_area_m2=-5, available_area_m2=0)
        )
    assert "total_area_m2" in caught.value.message_dict


def test_incentive_dates_in_the_wrong_order_are_refused(alice: User, grand_besancon: Authority) -> None:
    with pytest.raises(ValidationError) as caught:
        services.incentive_create(
            actor=alice,
            owner=grand_besancon,
            name="Aide",
            kind="grant_per_job",
            amount=Decimal(2000),
            unit="eur_per_job",
            valid_from=dt.date(2027, 1, 1),
            valid_until=dt.date(2026, 1, 1),
        )
    assert list(caught.value.message_dict) == ["valid_until"]
    assert not Incentive.objects.exists()


def test_an_authority_siren_must_pass_its_check_digit() -> None:
    with pytest.raises(ValidationError) as caught:
        services.authority_create(name="CA Fictive", kind=AuthorityKind.EPCI, siren="242500362")
    assert list(caught.value.message_dict) == ["siren"]
    authority = services.authority_create(
        name="CU Grand Besançon", kind=AuthorityKind.EPCI, siren="242500361"
    )
    assert authority.pk is not None


def test_every_change_is_in_the_audit_trail_with_who_and_what(alice: User, grand_besancon: Authority) -> None:
    from guichet.audit.models import AuditEvent

    premises = services.premises_create(actor=alice, owner=grand_besancon, **premises_values())
    services.premises_update(actor=alice, premises=premises, available_area_m2=2000)
    services.premises_archive(actor=alice, premises=premises)
    events = list(AuditEvent.objects.filter(object_type="catalogue.premises").order_by("id"))
    assert [(e.actor_label, e.action) for e in events] == [
        ("alice", "create"),
        ("alice", "update"),
        ("alice", "archive"),
    ]
    assert events[1].details == {"available_area_m2": ["2500", "2000"]}
    with pytest.raises(PermissionError):
        events[0].save()
    with pytest.raises(PermissionError):
        events[0].delete()
