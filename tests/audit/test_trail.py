"""The audit trail: append-only in the database itself, and fed by sign-ins, failures and admin changes."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client

from guichet.accounts.models import User
from guichet.audit.models import AuditEvent
from guichet.audit.services import audit_record


@pytest.fixture
def event(db: None) -> AuditEvent:
    return audit_record(actor=None, action="test", object_type="x.y", object_id="1", summary="kept")


def test_a_queryset_update_is_refused_by_the_database(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).summary == "kept"


def test_a_queryset_delete_is_refused_by_the_database(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_cannot_rewrite_the_trail_either(event: AuditEvent) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_a_failed_sign_in_records_the_username_and_never_the_password(client: Client) -> None:
    User.objects.create_user("zoe", password="a long passphrase", role="agency")
    client.post("/accounts/login/", {"username": "zoe", "password": "secret-guess-42"})
    client.post(
        "/api/tokens", {"username": "nobody", "password": "other-guess-43"}, content_type="application/json"
    )
    failures = AuditEvent.objects.filter(action="sign_in_failed").order_by("id")
    assert [(e.details["username"], e.details["via"], e.actor_id) for e in failures] == [
        ("zoe", "web", None),
        ("nobody", "api", None),
    ]
    dumped = str(list(AuditEvent.objects.values()))
    assert "secret-guess-42" not in dumped and "other-guess-43" not in dumped


@pytest.mark.django_db
def test_a_sign_in_is_recorded_with_its_user(client: Client) -> None:
    zoe = User.objects.create_user("zoe", password="a long passphrase", role="agency")
    response = client.post("/accounts/login/", {"username": "zoe", "password": "a long passphrase"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="sign_in")
    assert (event.actor_id, event.object_id, event.details["via"]) == (zoe.pk, str(zoe.pk), "web")
    api = client.post(
        "/api/tokens", {"username": "zoe", "password": "a long passphrase"}, content_type="application/json"
    )
    assert api.status_code == 201
    assert AuditEvent.objects.filter(action="sign_in", actor=zoe, details__via="api").count() == 1


@pytest.mark.django_db
def test_an_admin_change_is_recorded(client: Client, grand_besancon: object) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "a long passphrase")
    client.force_login(admin)
    response = client.post(
        f"/admin/catalogue/authority/{grand_besancon.pk}/change/",  # type: ignore[attr-defined]
        {
            "name": "Grand Besançon Métropole (GBM)",
            "kind": "epci",
            "siren": "",
            "website": "",
            "contact_email": "",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="admin_change")
    assert (event.actor_id, event.object_type, event.object_id) == (
        admin.pk,
        "catalogue.authority",
        str(grand_besancon.pk),  # type: ignore[attr-defined]
    )
    assert "Grand Besançon Métropole (GBM)" in event.summary


@pytest.mark.django_db(transaction=True)
def test_a_flush_still_empties_the_whole_database() -> None:
    """The suite's flush between transactional tests empties its test database, trail and chain included,
    and the protection is back afterwards (tests/audit/test_chain.py: refused on any other database)."""
    from django.core.management import call_command

    audit_record(actor=None, action="test", object_type="x.y", object_id="1")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    audit_record(actor=None, action="test", object_type="x.y", object_id="2")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.all().delete()  # the triggers are back
