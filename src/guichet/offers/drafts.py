"""What an officer sends: a proposal as drafted, before it is checked and sealed.

The proposal form and the API each build one :class:`ProposalDraft`; submission checks it against the call
and the authority's catalogue, sealing writes its terms into the sealed content, and the receipt vouches for
what was sealed. One object, read by each step, never its values passed along one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile


@dataclass(frozen=True)
class OfferTerms:
    """What an authority offers for one of its premises."""

    premises_id: int
    area_m2: int
    rent_eur_m2_year: Decimal
    charges_eur_m2_year: Decimal = Decimal(0)
    rent_free_months: int = 0
    fit_out_contribution_eur: Decimal = Decimal(0)


@dataclass(frozen=True)
class ProposalDraft:
    """A proposal as its officer drafted it. ``attachments``: files added by this submission;
    ``withdrawn_attachments``: the public ids of attachments the proposal no longer holds;
    ``expected_version``: the version the officer's copy was read at (None: whatever is stored)."""

    offers: tuple[OfferTerms, ...]
    incentive_ids: tuple[int, ...] = ()
    training_places: int = 0
    job_centre_partnership: bool = False
    recruitment_support: str = ""
    free_text: str = ""
    attachments: tuple[UploadedFile, ...] = ()
    withdrawn_attachments: tuple[str, ...] = ()
    expected_version: int | None = None

    def __post_init__(self) -> None:
        # Frozen all the way down: a caller's list becomes a tuple that nothing can change afterwards.
        for name in ("offers", "incentive_ids", "attachments", "withdrawn_attachments"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
