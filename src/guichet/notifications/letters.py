"""E-mails written to people: a greeting, what happened, what to do and on which page (its absolute
address), whom to contact, a signature. Phrased in the active language (the callers choose French, the
interface's first language, for the authorities and the agency).

The site's own address comes from the GUICHET_SITE_URL setting: a message is written inside a service,
often with no request at hand (the API, a background job), so it cannot be read from a request's host.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from guichet.agency import agency_contact_from_settings

DEFAULT_SITE_URL = "http://127.0.0.1:8000"  # where `make demo` serves


def site_url(path: str) -> str:
    """The absolute address of one of the site's pages (``path`` as ``reverse`` gives it)."""
    return (settings.GUICHET_SITE_URL or DEFAULT_SITE_URL).rstrip("/") + path


def _contact_paragraph() -> str:
    agency = agency_contact_from_settings()
    means = [means for means in (agency.email, agency.phone) if means] or (
        [agency.address] if agency.address else []
    )
    if means:
        return _("If you have a question, contact %(name)s: %(means)s.") % {
            "name": agency.name,
            "means": _(" or ").join(means),
        }
    return _(
        "If you have a question, contact %(name)s, which runs this one-stop shop, through your usual "
        "correspondent."
    ) % {"name": agency.name}


def letter(*, happened: str, to_do: str = "", link: str = "", more: str = "", contact: bool = True) -> str:
    """The body of an e-mail: ``happened`` (what happened), ``to_do`` (what the reader should do, on the page
    at ``link``), ``more`` (anything else worth knowing), then whom to contact (``contact``: the agency;
    left out when the agency is the reader) and the agency's signature."""
    paragraphs = [_("Hello,"), happened.strip()]
    if to_do or link:
        paragraphs.append("\n".join(part for part in (to_do.strip(), link) if part))
    if more:
        paragraphs.append(more.strip())
    if contact:
        paragraphs.append(_contact_paragraph())
    paragraphs.append(_("Kind regards,") + "\n" + capfirst(str(agency_contact_from_settings().name)))
    return "\n\n".join(paragraphs) + "\n"
