"""Schemas of the labour data the agency keeps through the API: the contact centres recorded by hand."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from guichet.api.schemas import MAX_INT, Page, Text
from guichet.inputs import StrictSchema
from guichet.labour.models import CentreKind


class RecordedCentreOut(Schema):
    id: int
    name: str
    kind: CentreKind
    siret: str
    commune: str = Field(description="INSEE code")
    jobs_low: float | None = Field(description="Jobs, or the low estimate")
    jobs_high: float | None = Field(description="The high estimate; equal to jobs_low when known exactly")
    notes: str
    updated_at: dt.datetime


class CentrePage(Page[RecordedCentreOut]):
    pass


class CentreIn(StrictSchema):
    name: str = Field(min_length=1, max_length=200)
    commune: str = Field(min_length=5, max_length=5, description="INSEE code of the commune")
    kind: CentreKind = CentreKind.IN_HOUSE
    siret: str = Field("", max_length=14, pattern=r"^[0-9]{0,14}$")
    jobs_low: float = Field(ge=0, le=MAX_INT, allow_inf_nan=False, description="Jobs (or the low estimate)")
    jobs_high: float | None = Field(
        None, ge=0, le=MAX_INT, allow_inf_nan=False, description="Empty when the headcount is known exactly"
    )
    notes: Text = ""


class CentrePatch(StrictSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    commune: str | None = Field(None, min_length=5, max_length=5)
    kind: CentreKind | None = None
    siret: str | None = Field(None, max_length=14, pattern=r"^[0-9]{0,14}$")
    jobs_low: float | None = Field(None, ge=0, le=MAX_INT, allow_inf_nan=False)
    jobs_high: float | None = Field(None, ge=0, le=MAX_INT, allow_inf_nan=False)
    notes: Text | None = None


class ZoningListOut(Schema):
    """An AFR or FRR list by commune, as loaded (docs/aid.md)."""

    kind: str = Field(description="afr or frr")
    source: str
    vintage: str
    departements: list[str] = Field(description="The départements the list covers (elsewhere: not known).")
    rows: int = Field(description="Communes the list classifies.")
