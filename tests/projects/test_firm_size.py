"""The firm's size on the project form: unknown by default, one of the EU SME definition's three sizes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import User
from guichet.projects.models import FirmSize, Project


@pytest.mark.django_db
def test_the_project_form_sets_the_firm_size(agnes: User) -> None:
    client = Client()
    client.force_login(agnes)
    page = client.get(reverse("projects:create")).content.decode()
    assert 'name="firm_size"' in page
    response = client.post(
        reverse("projects:create"),
        {
            "code_name": "Petite",
            "sector": "contact_centre",
            "source": "agency",
            "firm_size": "small",
            "needs_parking_spaces": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Project.objects.get(code_name="Petite").firm_size == FirmSize.SMALL
    assert Project.objects.create(code_name="Autre", reference="GU-X-1").firm_size == FirmSize.UNKNOWN


@pytest.mark.django_db
def test_the_project_page_says_the_firm_size_or_what_the_aid_check_takes(agnes: User) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(agnes)
    project = Project.objects.create(code_name="Sans taille", reference="GU-X-2")
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Firm size (EU SME definition): Not known" in page
    assert "the aid check takes a large firm, the strictest ceiling" in page
    Project.objects.filter(pk=project.pk).update(firm_size=FirmSize.MEDIUM)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Firm size (EU SME definition): Medium (fewer than 250 staff" in page
    assert "the aid check takes a large firm" not in page
