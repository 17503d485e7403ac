"""Writes of the public portal: a project submitted by a visitor becomes a lead the agency is told of."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from guichet.accounts.selectors import agency_recipients
from guichet.notifications.letters import letter, site_url
from guichet.notifications.models import NotificationKind
from guichet.notifications.services import notification_queue
from guichet.projects.models import Project
from guichet.projects.services import project_create


def _code_name() -> str:
    """A neutral code name for a portal lead: authorities know projects only by their code name."""
    return f"Portail {secrets.token_hex(3).upper()}"


def lead_submit(*, values: dict[str, Any], base_url: str = "") -> Project:
    """Record a visitor's project as a lead (a fresh code name if one is taken) and tell the agency by
    e-mail once it is saved (its link on ``base_url``, or else the configured site address)."""
    for _attempt in range(3):
        try:
            return _lead_create(values=values, base_url=base_url)
        except ValidationError as error:
            if "code_name" not in getattr(error, "error_dict", {}):
                raise
    raise ValidationError(_("Please send the form again."))


@transaction.atomic
def _lead_create(*, values: dict[str, Any], base_url: str) -> Project:
    project = project_create(actor=None, code_name=_code_name(), source="portal", **values)
    path = reverse("projects:detail", args=[project.pk])
    with translation.override(settings.LANGUAGE_CODE):
        notification_queue(
            kind=NotificationKind.LEAD,
            recipients=agency_recipients(),
            subject=_("New project from the portal: %(reference)s") % {"reference": project.reference},
            body=letter(
                happened=_("A visitor submitted a project on the portal (%(reference)s, code name %(code)s).")
                % {"reference": project.reference, "code": project.code_name},
                to_do=_("Read it and qualify it on the project's page:"),
                link=(base_url + path) if base_url else site_url(path),
                contact=False,
            ),
            project=project,
        )
    return project
