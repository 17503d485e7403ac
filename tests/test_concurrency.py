"""No lost updates: the second of two saves based on the same copy of a record gets a conflict."""

from __future__ import annotations

import datetime as dt
import os
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Role, User
from guichet.catalogue import services
from guichet.catalogue.models import Authority, AuthorityKind, Premises
from guichet.concurrency import ConflictError
from guichet.territory.models import Commune

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")


def form_data(premises: Premises, **changes: str) -> dict[str, str]:
    data = {
        "owner": str(premises.owner_id),
        "version": str(premises.version),
        "name": premises.name,
        "commune": premises.commune_id,
        "total_area_m2": str(premises.total_area_m2),
        "available_area_m2": str(premises.available_area_m2),
        "floors": "1",
        "available_from": "2027-01-01",
        "tenure": "rent",
        "rent_eur_m2_year": "95",
        "fit_out": "shell",
        "parking_spaces": "0",
        "status": "available",
        "is_public": "on",
    }
    data.update(changes)
    return data


def make(owner: Authority) -> Premises:
    return Premises.objects.create(
        owner=owner,
        name="Temis",
        commune=Commune.objects.get(insee="25056"),
        total_area_m2=3000,
        available_area_m2=3000,
        available_from=dt.date(2027, 1, 1),
        rent_eur_m2_year=Decimal(95),
    )


@pytest.mark.django_db
def test_a_service_save_on_a_stale_version_is_refused(alice: User, grand_besancon: Authority) -> None:
    premises = make(grand_besancon)
    services.premises_update(actor=alice, premises=premises, expected_version=1, available_area_m2=2500)
    stale = Premises.objects.get(pk=premises.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        services.premises_update(actor=alice, premises=stale, expected_version=1, available_area_m2=1000)
    premises.refresh_from_db()
    assert (premises.available_area_m2, premises.version) == (2500, 2)


@pytest.mark.django_db
def test_the_second_of_two_form_saves_from_the_same_page_gets_a_conflict(
    alice: User, grand_besancon: Authority
) -> None:
    premises = make(grand_besancon)
    url = reverse("catalogue:premises_edit", args=[premises.pk])
    first, second = Client(), Client()
    first.force_login(alice)
    second.force_login(alice)
    assert first.post(url, form_data(premises, available_area_m2="2000")).status_code == 302
    response = second.post(url, form_data(premises, available_area_m2="1500"))
    assert response.status_code == 200
    assert [error.code for error in response.context["form"].non_field_errors().as_data()] == ["conflict"]
    premises.refresh_from_db()
    assert (premises.available_area_m2, premises.version) == (2000, 2)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks are PostgreSQL's; SQLite serialises whole writes")
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_postgresql_never_lose_an_update() -> None:
    from guichet.territory.services import territory_load_dataset

    territory_load_dataset()
    owner = Authority.objects.create(name="Grand Besançon", kind=AuthorityKind.EPCI)
    officer = User.objects.create_user("alice", password="x", role=Role.OFFICER, authority=owner)
    premises = make(owner)
    url = reverse("catalogue:premises_edit", args=[premises.pk])
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def save(area: int) -> None:
        client = Client()
        client.force_login(officer)
        barrier.wait()
        try:
            statuses.append(client.post(url, form_data(premises, available_area_m2=str(area))).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(area,)) for area in (2900, 2800, 2700, 2600)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    premises.refresh_from_db()
    assert sorted(statuses) == [200, 200, 200, 302]  # one save wins, three are told to reload
    assert premises.version == 2
    assert premises.available_area_m2 in {2900, 2800, 2700, 2600}


@pytest.mark.django_db
def test_a_save_from_a_copy_read_before_another_change_keeps_both_changes(
    alice: User, grand_besancon: Authority
) -> None:
    premises = make(grand_besancon)
    copy_read_first = Premises.objects.get(pk=premises.pk)
    services.premises_update(actor=alice, premises=premises, name="Temis Innovation")
    # No expected version (an API client that did not read first): only the field it sends is written.
    services.premises_update(actor=alice, premises=copy_read_first, parking_spaces=40)
    premises.refresh_from_db()
    assert (premises.name, premises.parking_spaces, premises.version) == ("Temis Innovation", 40, 3)


@pytest.mark.django_db
def test_a_save_that_changes_nothing_keeps_the_version(alice: User, grand_besancon: Authority) -> None:
    premises = make(grand_besancon)
    services.premises_update(actor=alice, premises=premises, expected_version=1, name="Temis")
    premises.refresh_from_db()
    assert premises.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["abc", "1.5", "-1", "0", "99999999999", "1e3"])
def test_a_malformed_version_is_refused_by_the_service_and_the_form(
    alice: User, grand_besancon: Authority, version: str
) -> None:
    from django.core.exceptions import ValidationError

    premises = make(grand_besancon)
    with pytest.raises(ValidationError) as caught:
        services.premises_update(actor=alice, premises=premises, expected_version=version, name="X")
    assert "version" in caught.value.message_dict
    client = Client()
    client.force_login(alice)
    url = reverse("catalogue:premises_edit", args=[premises.pk])
    response = client.post(url, form_data(premises, version=version, name="X"))
    assert response.status_code == 200 and "version" in response.context["form"].errors
    premises.refresh_from_db()
    assert (premises.name, premises.version) == ("Temis", 1)


@pytest.mark.django_db
def test_an_edit_form_without_its_version_is_refused(alice: User, grand_besancon: Authority) -> None:
    premises = make(grand_besancon)
    client = Client()
    client.force_login(alice)
    data = form_data(premises, name="X")
    del data["version"]
    response = client.post(reverse("catalogue:premises_edit", args=[premises.pk]), data)
    assert response.status_code == 200 and "version" in response.context["form"].errors
    assert Premises.objects.get(pk=premises.pk).name == "Temis"


@pytest.mark.django_db
def test_an_area_postgresql_would_refuse_is_refused_on_every_engine(
    alice: User, grand_besancon: Authority
) -> None:
    premises = make(grand_besancon)
    client = Client()
    client.force_login(alice)
    response = client.post(
        reverse("catalogue:premises_edit", args=[premises.pk]),
        form_data(premises, total_area_m2="2147483648", available_area_m2="2147483648"),
    )
    assert response.status_code == 200
    assert {"total_area_m2", "available_area_m2"} <= set(response.context["form"].errors)
    assert Premises.objects.get(pk=premises.pk).total_area_m2 == 3000


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks are PostgreSQL's; SQLite serialises whole writes")
@pytest.mark.django_db(transaction=True)
def test_concurrent_api_patches_of_different_fields_both_win_on_postgresql() -> None:
    from guichet.api.services import api_token_create
    from guichet.territory.services import territory_load_dataset

    territory_load_dataset()
    owner = Authority.objects.create(name="Grand Besançon", kind=AuthorityKind.EPCI)
    officer = User.objects.create_user("alice", password="x", role=Role.OFFICER, authority=owner)
    token = api_token_create(user=officer)
    for round_number in range(10):
        premises = make(owner)
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        def patch(
            body: dict[str, object],
            premises: Premises = premises,
            barrier: threading.Barrier = barrier,
            statuses: list[int] = statuses,
        ) -> None:
            client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
            barrier.wait()
            try:
                response = client.patch(
                    f"/api/my/premises/{premises.pk}", body, content_type="application/json"
                )
                statuses.append(response.status_code)
            finally:
                connection.close()

        threads = [
            threading.Thread(target=patch, args=({"name": f"Temis {round_number}"},)),
            threading.Thread(target=patch, args=({"parking_spaces": 40 + round_number},)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        premises.refresh_from_db()
        assert statuses == [200, 200]
        assert (premises.name, premises.parking_spaces, premises.version) == (
            f"Temis {round_number}",
            40 + round_number,
            3,
        )


@pytest.mark.django_db
def test_the_project_form_carries_its_version_and_refuses_a_stale_save(agnes: User, project: object) -> None:
    from guichet.projects.forms import ProjectForm
    from guichet.projects.models import Project

    stored = Project.objects.get(pk=project.pk)  # type: ignore[attr-defined]
    url = reverse("projects:edit", args=[stored.pk])
    client = Client()
    client.force_login(agnes)
    page = client.get(url).content.decode()
    assert f'name="version" value="{stored.version}"' in page
    form = ProjectForm(instance=stored)
    initial = {name: form[name].value() for name in form.fields}
    # Checkboxes left unticked are not sent; 0 is (a number field).
    data = {
        name: value
        for name, value in initial.items()
        if value is not None and value != "" and value is not False
    }
    data["preferred_departements"] = []
    first = client.post(url, {**data, "code_name": "Projet Aube"})
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    second = client.post(url, {**data, "code_name": "Projet Zénith"})
    assert second.status_code == 200
    assert [e.code for e in second.context["form"].non_field_errors().as_data()] == ["conflict"]
    for bad in ("x", ""):
        response = client.post(url, {**data, "version": bad, "code_name": "Projet Zénith"})
        assert response.status_code == 200 and "version" in response.context["form"].errors
    stored.refresh_from_db()
    assert (stored.code_name, stored.version) == ("Projet Aube", data["version"] + 1)
