"""Shared fixtures: the real bundled territory data is loaded once into the test database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from guichet.accounts.models import Role, User
from guichet.catalogue.models import Authority, AuthorityKind, Incentive, Premises
from guichet.offers import services as offer_services
from guichet.offers.models import CallForOffers
from guichet.projects import services as project_services
from guichet.projects.models import Project
from guichet.territory.models import Commune

from .scene import make_premises


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from guichet.territory.services import territory_load_dataset

    with django_db_blocker.unblock():
        territory_load_dataset()


@pytest.fixture(autouse=True)
def _empty_cache(settings):  # type: ignore[no-untyped-def]
    """Each test starts with empty caches: a rolled-back database must not meet pages cached before. The
    rendered documents live in memory here (in files, shared with the worker, in production). The "shared"
    cache (rate limits, the catalogue's version; the database without Redis) is the default cache's own
    memory here, so that a test's `cache.clear()` gives back the rate limits' allowance; the real backends
    are tested across processes in tests/accounts/test_throttle.py."""
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "shared": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
        "renders": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renders"},
    }
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _default_language_afterwards():  # type: ignore[no-untyped-def]
    """A request in English leaves English active in the thread (LocaleMiddleware does not reset it):
    each test starts in the default language whatever ran before it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings):  # type: ignore[no-untyped-def]
    """Background jobs run inside the request that submits them, so a test sees their result at once;
    tests/jobs/ drives the database queue and its worker explicitly."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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
        contact_email="eco@besancon.example",
    )


@pytest.fixture
def grand_belfort(db) -> Authority:  # type: ignore[no-untyped-def]
    commune = Commune.objects.get(insee="90010")
    return Authority.objects.create(
        name="Grand Belfort",
        kind=AuthorityKind.EPCI,
        epci=commune.epci,
        siren=commune.epci_id or "",
        contact_email="eco@belfort.example",
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


# The call-for-offers scene (tests/scene.py has the helpers).


@pytest.fixture
def temis(grand_besancon: Authority) -> Premises:
    return make_premises(grand_besancon, "Temis Center", "25056", 3000, "95", power_backup=True)


@pytest.fixture
def technhom(grand_belfort: Authority) -> Premises:
    return make_premises(grand_belfort, "Techn'hom 7", "90010", 3500, "85")


@pytest.fixture
def tiny_belfort(grand_belfort: Authority) -> Premises:
    """Too small for the project: never eligible."""
    return make_premises(grand_belfort, "Petit bureau", "90010", 300, "70")


@pytest.fixture
def besancon_grant(grand_besancon: Authority) -> Incentive:
    return Incentive.objects.create(
        owner=grand_besancon,
        name="Aide à l'emploi",
        kind="grant_per_job",
        amount=Decimal(2000),
        unit="eur_per_job",
    )


@pytest.fixture
def project(agnes: User) -> Project:
    project = project_services.project_create(
        actor=agnes,
        code_name="Projet Aurore",
        company_name="Acme Relation Client SAS",
        contact_email="dg@acme.example",
        description="Centre de relation client entrant, 250 postes.",
        opening_date=dt.date(2027, 9, 1),
        max_rent_eur_m2_year=Decimal(120),
        needs_fibre=True,
    )
    return project_services.project_size(
        actor=agnes, project=project, calls=900, aht_seconds=240, interval_minutes=30, shrinkage=0.3
    )


@pytest.fixture
def call(
    agnes: User, project: Project, temis: Premises, technhom: Premises, tiny_belfort: Premises
) -> CallForOffers:
    return offer_services.call_create(
        actor=agnes,
        project=project,
        title="Aurore — appel à offres",
        brief="Centre de relation client, environ 250 postes, ouverture en septembre 2027.",
        deadline=timezone.now() + dt.timedelta(days=14),
    )
