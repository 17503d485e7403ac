from __future__ import annotations

import pytest
from django.db import IntegrityError

from guichet.accounts.models import Role, User
from guichet.accounts.services import AGENCY_GROUP, user_set_role
from guichet.catalogue.models import Authority

pytestmark = pytest.mark.django_db


def test_an_officer_without_authority_cannot_be_saved() -> None:
    with pytest.raises(IntegrityError):
        User.objects.create_user("orphan", role=Role.OFFICER)


def test_agency_staff_reach_the_admin_through_the_agency_group(agnes: User) -> None:
    user_set_role(user=agnes, role=Role.AGENCY)
    agnes.refresh_from_db()
    assert agnes.is_staff and agnes.is_agency
    assert agnes.groups.get().name == AGENCY_GROUP
    assert agnes.has_perm("catalogue.change_premises")
    assert agnes.has_perm("territory.view_commune")
    assert not agnes.has_perm("territory.change_commune")
    assert not agnes.has_perm("accounts.change_user")


def test_an_officer_is_never_agency_staff(alice: User, grand_besancon: Authority) -> None:
    user_set_role(user=alice, role=Role.OFFICER, authority_id=grand_besancon.pk)
    alice.refresh_from_db()
    assert not alice.is_staff and not alice.is_agency
    assert not alice.has_perm("catalogue.change_premises")
