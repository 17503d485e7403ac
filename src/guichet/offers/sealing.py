"""The sealed content of a proposal: everything the comparison and the dossier read, frozen at submission.

At each submission the offered premises' attributes (as offered, and the catalogue's published terms beside
them), the incentives' terms and the attachments' digests are written into one canonical JSON text
(`receipts.canonical_json`) whose SHA-256 is the receipt. Later edits of the catalogue change the catalogue
only: every reader of a proposal parses this text, never the live records.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from guichet.offers.receipts import SEALED_FORMAT, canonical_json

if TYPE_CHECKING:
    from guichet.catalogue.models import Authority, Incentive, Premises
    from guichet.offers.drafts import ProposalDraft
    from guichet.offers.models import CallForOffers, ProposalAttachment


def _money(value: Decimal | None, places: int = 2) -> str | None:
    return None if value is None else f"{Decimal(value):.{places}f}"


def _coordinate(value: float | None) -> str | None:
    return None if value is None else f"{value:.6f}"


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _float(value: str | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class CatalogueTerms:
    """The premises' published terms at submission, to show what the offer changes."""

    available_area_m2: int
    rent_eur_m2_year: Decimal | None
    charges_eur_m2_year: Decimal | None


@dataclass(frozen=True)
class SealedOffer:
    premises_id: int
    name: str
    address: str
    commune_insee: str
    commune_name: str
    departement: str
    latitude: float | None
    longitude: float | None
    located_by_commune: bool
    building_area_m2: int
    area_m2: int
    rent_eur_m2_year: Decimal
    charges_eur_m2_year: Decimal
    rent_free_months: int
    fit_out_contribution_eur: Decimal
    fit_out_state: str
    available_from: dt.date
    fibre: bool
    power_backup: bool
    parking_spaces: int
    public_transport: bool
    access_24_7: bool
    catalogue: CatalogueTerms
    photos: tuple[str, ...]
    is_demo: bool
    # The premises' own presentation as the catalogue published it (absent from earlier sealed versions).
    description_fr: str = ""
    description_en: str = ""

    def description(self, language: str) -> str:
        """The premises' presentation in the reader's language, else in the other one."""
        first, second = (
            (self.description_en, self.description_fr)
            if language.startswith("en")
            else (self.description_fr, self.description_en)
        )
        return first or second

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class SealedIncentive:
    incentive_id: int
    name: str
    kind: str
    unit: str
    amount: Decimal | None
    cap_eur: Decimal | None
    conditions: str
    rule: str
    valid_until: dt.date | None


@dataclass(frozen=True)
class SealedAttachment:
    id: str
    name: str
    sha256: str
    size_bytes: int
    content_type: str


@dataclass(frozen=True)
class SealedProposal:
    call: str
    call_title: str
    authority_id: int
    authority_name: str
    version: int
    sealed_at: dt.datetime
    offers: tuple[SealedOffer, ...]
    incentives: tuple[SealedIncentive, ...]
    training_places: int
    job_centre_partnership: bool
    recruitment_support: str
    free_text: str
    attachments: tuple[SealedAttachment, ...]


def sealed_content(
    *,
    call: CallForOffers,
    authority: Authority,
    version: int,
    sealed_at: dt.datetime,
    draft: ProposalDraft,
    premises: Mapping[int, Premises],
    incentives: Sequence[Incentive],
    attachments: Sequence[ProposalAttachment],
) -> dict[str, Any]:
    """The content a receipt vouches for, as plain JSON values (see docs/receipts.md): the draft's terms,
    each offered premises (`premises`, by id) and incentive as they stand now, the attachments kept."""
    offers = [(premises[terms.premises_id], terms) for terms in draft.offers]
    return {
        "format": SEALED_FORMAT,
        "call": {"id": str(call.public_id), "title": call.title},
        "authority": {"id": authority.pk, "name": authority.name, "siren": authority.siren},
        "version": version,
        "sealed_at": sealed_at.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z"),
        "premises": [
            {
                "premises_id": premises.pk,
                "name": premises.name,
                "address": premises.address,
                "commune": {
                    "insee": premises.commune.insee,
                    "name": premises.commune.name,
                    "departement": premises.commune.departement_id,
                },
                "latitude": _coordinate(premises.point[0] if premises.point else None),
                "longitude": _coordinate(premises.point[1] if premises.point else None),
                "located_by_commune": premises.located_by_commune,
                "building_area_m2": premises.total_area_m2,
                "area_offered_m2": terms.area_m2,
                "rent_eur_m2_year": _money(terms.rent_eur_m2_year),
                "charges_eur_m2_year": _money(terms.charges_eur_m2_year),
                "rent_free_months": terms.rent_free_months,
                "fit_out_contribution_eur": _money(terms.fit_out_contribution_eur, 0),
                "fit_out_state": premises.fit_out,
                "available_from": premises.available_from.isoformat(),
                "fibre": premises.fibre,
                "power_backup": premises.power_backup,
                "parking_spaces": premises.parking_spaces,
                "public_transport": premises.public_transport,
                "access_24_7": premises.access_24_7,
                "catalogue": {
                    "available_area_m2": premises.available_area_m2,
                    "rent_eur_m2_year": _money(premises.rent_eur_m2_year),
                    "charges_eur_m2_year": _money(premises.charges_eur_m2_year),
                },
                "photos": [str(photo.public_id) for photo in premises.photos.all()],
                "is_demo": premises.is_demo,
                "description": {"fr": premises.description_fr, "en": premises.description_en},
            }
            for premises, terms in sorted(offers, key=lambda pair: pair[0].pk)
        ],
        "incentives": [
            {
                "incentive_id": incentive.pk,
                "name": incentive.name,
                "kind": incentive.kind,
                "unit": incentive.unit,
                "amount": _money(incentive.amount),
                "cap_eur": _money(incentive.cap_eur, 0),
                "conditions": incentive.conditions,
                "rule": incentive.rule,
                "valid_until": incentive.valid_until.isoformat() if incentive.valid_until else None,
            }
            for incentive in sorted(incentives, key=lambda item: item.pk)
        ],
        "training_places": draft.training_places,
        "job_centre_partnership": draft.job_centre_partnership,
        "recruitment_support": draft.recruitment_support,
        "free_text": draft.free_text,
        "attachments": [
            {
                "id": str(attachment.public_id),
                "name": attachment.name,
                "sha256": attachment.sha256,
                "size_bytes": attachment.size_bytes,
                "content_type": attachment.content_type,
            }
            for attachment in sorted(attachments, key=lambda item: item.sha256 + str(item.public_id))
        ],
    }


def seal(content: dict[str, Any]) -> str:
    """The canonical text to store: its UTF-8 bytes are what the receipt digests."""
    return canonical_json(content).decode("utf-8")


def parse_sealed(text: str) -> SealedProposal:
    data = json.loads(text)
    return SealedProposal(
        call=data["call"]["id"],
        call_title=data["call"]["title"],
        authority_id=data["authority"]["id"],
        authority_name=data["authority"]["name"],
        version=data["version"],
        sealed_at=dt.datetime.fromisoformat(data["sealed_at"]),
        offers=tuple(
            SealedOffer(
                premises_id=item["premises_id"],
                name=item["name"],
                address=item["address"],
                commune_insee=item["commune"]["insee"],
                commune_name=item["commune"]["name"],
                departement=item["commune"]["departement"],
                latitude=_float(item["latitude"]),
                longitude=_float(item["longitude"]),
                located_by_commune=item["located_by_commune"],
                building_area_m2=item["building_area_m2"],
                area_m2=item["area_offered_m2"],
                rent_eur_m2_year=Decimal(item["rent_eur_m2_year"]),
                charges_eur_m2_year=Decimal(item["charges_eur_m2_year"]),
                rent_free_months=item["rent_free_months"],
                fit_out_contribution_eur=Decimal(item["fit_out_contribution_eur"]),
                fit_out_state=item["fit_out_state"],
                available_from=dt.date.fromisoformat(item["available_from"]),
                fibre=item["fibre"],
                power_backup=item["power_backup"],
                parking_spaces=item["parking_spaces"],
                public_transport=item["public_transport"],
                access_24_7=item["access_24_7"],
                catalogue=CatalogueTerms(
                    available_area_m2=item["catalogue"]["available_area_m2"],
                    rent_eur_m2_year=_decimal(item["catalogue"]["rent_eur_m2_year"]),
                    charges_eur_m2_year=_decimal(item["catalogue"]["charges_eur_m2_year"]),
                ),
                photos=tuple(item["photos"]),
                is_demo=item["is_demo"],
                description_fr=(item.get("description") or {}).get("fr", ""),
                description_en=(item.get("description") or {}).get("en", ""),
            )
            for item in data["premises"]
        ),
        incentives=tuple(
            SealedIncentive(
                incentive_id=item["incentive_id"],
                name=item["name"],
                kind=item["kind"],
                unit=item["unit"],
                amount=_decimal(item["amount"]),
                cap_eur=_decimal(item["cap_eur"]),
                conditions=item["conditions"],
                rule=item["rule"],
                valid_until=dt.date.fromisoformat(item["valid_until"]) if item["valid_until"] else None,
            )
            for item in data["incentives"]
        ),
        training_places=data["training_places"],
        job_centre_partnership=data["job_centre_partnership"],
        recruitment_support=data["recruitment_support"],
        free_text=data["free_text"],
        attachments=tuple(SealedAttachment(**item) for item in data["attachments"]),
    )
