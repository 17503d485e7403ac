"""Schemas of a call's life through the API: what the agency does on a call (addressees, deadline, early
close, cancelling, decision, choice, signature, the investor's dossier links, the e-mails) and the
questions asked and answered, as the pages do them. Shared shapes (pages, problems, money) are in
``schemas``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from ninja import Schema
from pydantic import AwareDatetime, Field

from guichet.api.schemas import (
    AttachmentOut,
    Id,
    Money,
    OfferOut,
    OperationOut,
    Page,
    Ref,
    SealedIncentiveOut,
)
from guichet.inputs import StrictSchema

Reason = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")]


# --- what the agency sends ------------------------------------------------------------------------------


class OpenIn(StrictSchema):
    """Sending the brief. If no e-mail address reaches some consulted authority, the call opens only with
    ``unreachable_confirmed`` (the agency tells them itself), as the page's tick box asks."""

    unreachable_confirmed: bool = Field(
        False, description="I will tell the consulted authorities that no e-mail reaches myself."
    )


class ExcludeIn(StrictSchema):
    authority_id: Id = Field(description="A consulted authority of the draft call.")
    reason: Reason = Field(description="Why it is left out (recorded).")


class IncludeIn(StrictSchema):
    authority_id: Id = Field(description="Any authority: added to the draft call's addressees.")


class DeadlineIn(StrictSchema):
    """Extend an open call's deadline, or reopen a closed, undecided one."""

    new_deadline: AwareDatetime = Field(description="With its offset; after the current one and after now.")
    reason: Reason = Field(description="Sent to every consulted authority.")


class ReasonIn(StrictSchema):
    reason: Reason = Field(description="Sent to every consulted authority.")


class ChoiceIn(StrictSchema):
    """The investor's choice after the decision: one premises of one proposal."""

    proposal_id: uuid.UUID = Field(description="A proposal of this call (its id in GET …/proposals).")
    premises_id: Id = Field(description="A premises that proposal offered.")


class DossierLinkIn(StrictSchema):
    proposal_ids: list[uuid.UUID] = Field(
        min_length=1, max_length=50, description="The proposals the investor's dossier shows."
    )
    valid_days: int = Field(30, ge=1, le=365)


# --- questions ------------------------------------------------------------------------------------------


class QuestionIn(StrictSchema):
    question: str = Field(min_length=1, max_length=5000, pattern=r"\S")


class AnswerIn(StrictSchema):
    answer: str = Field(min_length=1, max_length=10_000, pattern=r"\S")
    published_question: str = Field(
        "",
        max_length=5000,
        description="The question as every consulted authority will read it (reworded so that it names "
        "nobody); empty: as asked.",
    )


class QuestionOut(Schema):
    id: uuid.UUID
    question: str = Field(
        description="For the agency and the asking authority before the answer: as asked; for the "
        "consulted authorities after the answer: as published."
    )
    published_question: str = Field(
        description="The wording every consulted authority read (agency only; empty before the answer)."
    )
    answer: str
    asked_at: dt.datetime
    answered_at: dt.datetime | None
    asked_by_authority: str | None = Field(description="Who asked: agency staff only (null for authorities).")
    asked_by_own_authority: bool = Field(description="For an officer: asked by their own authority.")


# --- what the agency reads ------------------------------------------------------------------------------


class ValuedIncentiveOut(Schema):
    incentive: SealedIncentiveOut
    value_eur: Money | None = Field(description="Nominal, within its cap; null: its terms give no amount.")
    basis: str = Field(description="per_job, per_hire, lump_sum, per_m2, rent_months or not_valued")
    capped: bool


class CatalogueTermsOut(Schema):
    """The catalogue's published terms when the proposal was sealed, beside what was offered."""

    available_area_m2: int
    rent_eur_m2_year: Money | None
    charges_eur_m2_year: Money | None


class OfferColumnOut(Schema):
    proposal_id: uuid.UUID
    authority: str
    version: int
    sealed_at: dt.datetime
    receipt_sha256: str
    offer: OfferOut
    catalogue: CatalogueTermsOut
    yearly_rent_eur: Money = Field(description="Rent and charges a year for the area offered.")
    access_24_7: bool
    incentives: list[ValuedIncentiveOut]
    incentives_total_eur: Money
    training_places: int
    job_centre_partnership: bool
    recruitment_support: str
    free_text: str
    attachments: list[AttachmentOut]
    operation: OperationOut | None = Field(
        None, description="The total cost of operation and the aid check: the agency's only, else null."
    )


class OffersOut(Schema):
    """The offers received, side by side, as sealed (docs/calls.md): one column per premises offered."""

    sized: bool = Field(description="False: the project is not sized; incentives per job are not valued.")
    jobs: int = Field(description="The jobs at full ramp-up the incentives are valued for.")
    hires: int = Field(description="The hires over the years compared the incentives are valued for.")
    columns: list[OfferColumnOut]


class ShortlistedOut(Schema):
    proposal_id: uuid.UUID
    authority: str


class AccessOut(Schema):
    what: str = Field(description="page, pdf or xlsx")
    at: dt.datetime


class DossierLinkOut(Schema):
    id: int
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    live: bool
    shortlist: list[ShortlistedOut]
    accesses: list[AccessOut] = Field(description="When the investor opened the page or downloaded a file.")
    url: str | None = Field(
        description="The private link to send the investor: given once, when the link is created (only "
        "its digest is kept); null afterwards."
    )


class DossierLinkPage(Page[DossierLinkOut]):
    pass


class NotificationOut(Schema):
    kind: str
    kind_label: str = Field(description="In the request's language.")
    authority: Ref | None
    recipient: str = Field(description="Empty: no e-mail address reached the addressee (status no_address).")
    status: str = Field(description="queued, sending, sent, failed or no_address")
    status_label: str
    error: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class NotificationPage(Page[NotificationOut]):
    pass


class ResendOut(Schema):
    queued: int = Field(description="How many failed (or abandoned) e-mails were queued again.")
