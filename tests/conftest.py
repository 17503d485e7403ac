"""Shared fixtures: the real bundled territory data is loaded once into the test database."""

from __future__ import annotations

import pytest

from guichet.accounts.models import Role, User
from guichet.catalogue.models import Authority, AuthorityKind
from guichet.territory.models import Commune


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from guichet.territory.services import territory_load_dataset

    with django_db_blocker.unblock():
        territory_load_dataset()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: a rolled-back database must not meet pages cached before."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 (the production hasher) costs ~0.3 s a password: too slow for users made in every test.
    tests/web/test_security.py checks that production hashes with Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def grand_besancon(db) -> Authority:  # type: ignore[no-untyped-def]
    commune = Commune.objects.get(insee="25056")
    return Authority.objects.create(
        name="Grand Besançon Métropole",
        kind=AuthorityKind.EPCI,
        epci=commune.epci,
        siren=commune.epci_id or "",
    )


@pytest.fixture
def grand_belfort(db) -> Authority:  # type: ignore[no-untyped-def]
    commune = Commune.objects.get(insee="90010")
    return Authority.objects.create(
        name="Grand Belfort", kind=AuthorityKind.EPCI, epci=commune.epci, siren=commune.epci_id or ""
    )


@pytest.fixture
def alice(grand_besancon: Authority) -> User:
    """Alice is an officer of Grand Besançon."""
    return User.objects.create_user(
        "alice", password="pw-alice-123", role=Role.OFFICER, authority=grand_besancon
    )


@pytest.fixture
def bob(grand_belfort: Authority) -> User:
    """Bob is an officer of Grand Belfort, Grand Besançon's competitor."""
    return User.objects.create_user("bob", password="pw-bob-123", role=Role.OFFICER, authority=grand_belfort)


@pytest.fixture
def agnes(db) -> User:  # type: ignore[no-untyped-def]
    """Agnès works at the agency (the one-stop shop)."""
    return User.objects.create_user("agnes", password="pw-agnes-123", role=Role.AGENCY)
