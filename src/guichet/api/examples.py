"""One example per request and response schema of the API, shown with each operation in /api/openapi.json
and Swagger UI (``GuichetAPI.get_openapi_schema`` puts them in place).

The examples are plausible values of the demo's kind (Grand Besançon, Grand Belfort, project Aurore), not
records of a database; tests/api/test_examples.py checks that every operation has its examples and that
each one is valid against its schema. The staffing and cost answers are the engine's own, computed from
their request examples when the schema is built, so they never drift from what the API answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

CALL_ID = "7d9a3a52-51b1-4c0e-9a51-6d2c1f0c5a10"
PROPOSAL_ID = "5b0f7a0e-3c1d-4c55-9a43-2f0d7c1e8b11"
VERSION_ID = "0c9e4f3b-8a1f-4b7d-9c2e-5f6a7b8c9d01"
ATTACHMENT_ID = "3f2e1d0c-9b8a-4765-8432-10fedcba9876"
QUESTION_ID = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
RECEIPT = "42c1994a6d01830244f3075f85e8127bce61a3bc79a74953ce8523428cde9e58"
NOW = "2027-03-31T18:00:00+02:00"


def page(item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"count": 1, "limit": 20, "offset": 0, "items": [item], **extra}


BESANCON = {"id": 3, "name": "Grand Besançon Métropole"}
COMMUNE = {"insee": "25056", "name": "Besançon", "departement": "25", "epci": "242500361"}

PREMISES = {
    "id": 12,
    "name": "Temis Center",
    "owner": BESANCON,
    "address": "18 rue Alain Savary",
    "commune": COMMUNE,
    "latitude": 47.2496,
    "longitude": 5.9929,
    "located_by_commune": False,
    "total_area_m2": 3000,
    "available_area_m2": 3000,
    "smallest_lot_m2": 500,
    "floors": 3,
    "available_from": "2027-01-01",
    "tenure": "rent",
    "rent_eur_m2_year": "95.00",
    "charges_eur_m2_year": "18.00",
    "sale_price_eur": None,
    "fit_out": "offices",
    "fibre": True,
    "fibre_operators": "Orange, SFR",
    "power_backup": True,
    "parking_spaces": 150,
    "public_transport": True,
    "public_transport_details": "Tram T1, stop Temis",
    "access_24_7": True,
    "accessible": True,
    "description_fr": "Plateaux de bureaux câblés au cœur du technopôle.",
    "description_en": "Cabled office floors in the heart of the science park.",
    "status": "available",
    "is_public": True,
    "is_demo": False,
    "archived_at": None,
    "version": 4,
    "updated_at": "2027-01-15T10:12:00+01:00",
}
INCENTIVE = {
    "id": 7,
    "owner": BESANCON,
    "name": "Aide à l'emploi",
    "kind": "grant_per_job",
    "amount": "2000.00",
    "unit": "eur_per_job",
    "cap_eur": "400000",
    "rule": "",
    "conditions": "Jobs kept three years.",
    "valid_from": "2026-01-01",
    "valid_until": None,
    "is_demo": False,
    "archived_at": None,
    "version": 1,
}
AUTHORITY = {
    "id": 3,
    "name": "Grand Besançon Métropole",
    "kind": "epci",
    "siren": "242500361",
    "territory": "Grand Besançon Métropole (25)",
    "website": "https://www.grandbesancon.fr",
    "contact_email": "economie@grandbesancon.example",
    "description_fr": "",
    "description_en": "",
    "is_demo": False,
}
PROJECT = {
    "id": 41,
    "code_name": "Aurore",
    "reference": "GU-2027-0012",
    "sector": "contact_centre",
    "stage": "call_for_offers",
    "identity_disclosed": False,
    "identity": {
        "company_name": "Acme Relation Client SAS",
        "company_siren": "",
        "contact_name": "Dominique Martin",
        "contact_email": "dg@acme.example",
        "contact_phone": "",
    },
    "company_kind": "outsourcer",
    "activity": "inbound",
    "firm_size": "large",
    "channels": "phone, e-mail",
    "languages": "fr",
    "description": "Inbound customer-service centre, about 250 seats.",
    "seats": 250,
    "jobs_target": 300,
    "sizing": None,
    "adopted_sizing": None,
    "latest_sizing": None,
    "opening_hours": "mon-fri 08:00-20:00; sat 09:00-17:00",
    "opening_hours_per_week": 68,
    "opening_date": "2027-09-01",
    "ramp_up": "0.5, 0.8, 1",
    "floor_area_wanted_m2": 2500,
    "max_rent_eur_m2_year": "120.00",
    "needs_fibre": True,
    "needs_public_transport": True,
    "needs_parking_spaces": 80,
    "needs_24_7": False,
    "preferred_departements": ["25", "90"],
    "jobs_announced": None,
    "source": "agency",
    "is_demo": False,
    "version": 6,
    "created_at": "2027-01-10T09:00:00+01:00",
    "updated_at": "2027-02-02T14:30:00+01:00",
    "decision": {
        "jobs_announced_basis": "",
        "investment_eur": None,
        "floor_area_taken_m2": None,
        "chosen_premises": None,
        "site_commune": None,
        "public_from": None,
        "loss_reason": "",
        "loss_details": "",
        "lost_to": "",
    },
    "moves": [
        {"from_stage": "", "stage": "lead", "at": "2027-01-10", "note": "", "recorded_at": NOW},
        {
            "from_stage": "lead",
            "stage": "call_for_offers",
            "at": "2027-02-02",
            "note": "Call for offers sent",
            "recorded_at": NOW,
        },
    ],
    "jobs_created": [],
}
DEADLINE_CHANGE = {
    "previous_deadline": "2027-04-15T18:00:00+02:00",
    "new_deadline": NOW,
    "reason": "Every consulted authority has answered.",
    "reopened": False,
    "closed_early": True,
    "changed_at": NOW,
}
_SIZING_REF = {"number": 2, "sized_on": "2027-01-18", "seats": 250, "jobs": 300, "floor_area_m2": 2500}
NEED = {
    "published": True,
    "fixed_at": "2027-02-02T14:30:00+01:00",
    "figures": {
        "format": "guichet.need/1",
        "seats": {"value": 250, "origin": "agency", "method": ""},
        "floor_area_m2": {"value": 2500, "origin": "agency", "method": ""},
        "jobs_at_cruise": {"value": 300, "origin": "sizing", "method": ""},
        "jobs_by_year": {"value": [150, 225, 300], "origin": "sizing", "method": ""},
        "hires_by_year": {"value": [165, 120, 135], "origin": "sizing", "method": ""},
        "opening_date": {"value": "2027-09-01", "origin": "project", "method": ""},
        "opening_hours": {"value": "mon-fri 08:00-20:00", "origin": "project", "method": ""},
        "around_the_clock": {"value": False, "origin": "project", "method": ""},
        "parking_spaces": {"value": 80, "origin": "project", "method": ""},
        "fibre": {"value": True, "origin": "project", "method": ""},
        "public_transport": {"value": True, "origin": "project", "method": ""},
        "max_rent_eur_m2_year": {"value": 120.0, "origin": "project", "method": ""},
        "hours_per_week": 60,
        "announced_jobs": 300,
        "announced_at_decision": False,
        "adopted_sizing": _SIZING_REF,
        "latest_sizing": _SIZING_REF,
    },
    "rows": [
        {"key": "seats", "label": "Seats", "text": "250", "origin_text": "fixed by the agency"},
        {
            "key": "floor_area_m2",
            "label": "Floor area",
            "text": "2,500 m² (10.0 m² per seat)",
            "origin_text": "fixed by the agency",
        },
        {
            "key": "jobs_at_cruise",
            "label": "Jobs at cruise",
            "text": "300",
            "origin_text": "from sizing no. 2 of 18 January 2027, adopted",
        },
    ],
    "scales": {
        "format": "guichet.scales/1",
        "criteria": {
            "cost": {"anchors": [[1200.0, 1.0], [2400.0, 0.0]], "log": False},
            "labour_depth": {"anchors": [[600.0, 0.0], [60000.0, 1.0]], "log": True},
            "saturation": {"anchors": [[0.01, 1.0], [0.04, 0.0]], "log": False},
            "feasibility": {"anchors": [[0.0, 1.0], [0.1, 0.5], [0.25, 0.0]], "log": False},
            "fit": {"anchors": [[0.0, 0.0], [1.0, 1.0]], "log": False},
            "access": {"anchors": [[0.0, 0.0], [1.0, 1.0]], "log": False},
            "telecoms": {"anchors": [[0.0, 0.0], [1.0, 1.0]], "log": False},
        },
        "unknown": 0.5,
    },
    "cost_ceiling": {
        "origin": "max_rent",
        "eur_m2_year": 120.0,
        "max_rent_eur_m2_year": 120.0,
        "charges_eur_m2_year": 0.0,
        "band_count": None,
        "band_low": None,
        "band_median": None,
        "band_high": None,
        "band_on": None,
    },
}
CALL = {
    "id": CALL_ID,
    "project": {
        "id": 41,
        "code_name": "Aurore",
        "reference": "GU-2027-0012",
        "sector": "contact_centre",
        "identity": None,
    },
    "title": "Aurore — call for offers",
    "brief": "Inbound customer-service centre, about 250 seats, opening in September 2027.",
    "deadline": NOW,
    "status": "closed",
    "status_label": "Closed: proposals under review",
    "accepts_proposals": False,
    "deadline_passed": True,
    "opened_at": "2027-02-02T14:30:00+01:00",
    "decided_at": None,
    "cancelled_at": None,
    "cancel_reason": "",
    "deadline_changes": [DEADLINE_CHANGE],
    "years": 9,
    "discount_rate": "0.0400",
    "need": NEED,
}
CALL_DETAIL = {
    **CALL,
    "addressees": [
        {
            "authority": "Grand Besançon Métropole",
            "included": True,
            "exclusion_reason": "",
            "answered": True,
            "submitted_at": "2027-03-20T11:05:00+01:00",
        }
    ],
    "unanswered": [],
    "weights": {"cost": 0.4, "labour": 0.3, "fit": 0.2, "access": 0.1},
    "evaluation": None,
    "choice": None,
}
SEALED_VERSION = {
    "id": VERSION_ID,
    "version": 1,
    "sealed_at": "2027-03-20T11:05:00+01:00",
    "sha256": RECEIPT,
    "receipt_url": f"/calls/{CALL_ID}/receipts/{VERSION_ID}/receipt.json",
    "sealed_content_url": f"/calls/{CALL_ID}/receipts/{VERSION_ID}/sealed.json",
    "pdf_url": f"/calls/{CALL_ID}/receipts/{VERSION_ID}/receipt.pdf",
}
MY_CALL = {
    **CALL,
    "project": {**CALL["project"], "id": None, "reference": None},  # type: ignore[dict-item]
    "own_proposal": {
        "version": 1,
        "status": "submitted",
        "submitted_at": "2027-03-20T11:05:00+01:00",
        "receipt_sha256": RECEIPT,
        "receipts": [SEALED_VERSION],
    },
    "evaluation": None,
}
OFFER = {
    "premises": {"id": 12, "name": "Temis Center"},
    "commune": "Besançon",
    "area_m2": 2500,
    "building_area_m2": 3000,
    "rent_eur_m2_year": "88.50",
    "charges_eur_m2_year": "18.00",
    "rent_free_months": 3,
    "fit_out_contribution_eur": "150000",
    "available_from": "2027-01-01",
    "fibre": True,
    "power_backup": True,
    "parking_spaces": 150,
    "public_transport": True,
}
SEALED_INCENTIVE = {
    "id": 7,
    "name": "Aide à l'emploi",
    "kind": "grant_per_job",
    "unit": "eur_per_job",
    "amount": "2000.00",
    "cap_eur": "400000",
    "conditions": "Jobs kept three years.",
}
ATTACHMENT = {
    "id": ATTACHMENT_ID,
    "name": "plaquette.pdf",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "size_bytes": 482113,
    "content_type": "application/pdf",
    "url": f"/attachments/{ATTACHMENT_ID}/",
}
PROPOSAL = {
    "id": PROPOSAL_ID,
    "call_id": CALL_ID,
    "authority": BESANCON,
    "status": "submitted",
    "version": 1,
    "submitted_at": "2027-03-20T11:05:00+01:00",
    "receipt_sha256": RECEIPT,
    "offers": [OFFER],
    "incentives": [SEALED_INCENTIVE],
    "training_places": 40,
    "job_centre_partnership": True,
    "recruitment_support": "Joint recruitment sessions with France Travail.",
    "free_text": "A science park with a tram stop at the door.",
    "attachments": [ATTACHMENT],
}


def _reason(key: str, text: str, **params: Any) -> dict[str, Any]:
    return {"reason_key": key, "params": params, "text": text}


OPERATION_COST = {
    "total_year_eur": 9_512_340,
    "per_seat_year_eur": 38_049,
    "people_year_eur": 8_980_112,
    "people_share_percent": 88,
    "total_pv_eur": 70_726_050,
    "people_pv_eur": 66_769_544,
    "occupancy_pv_eur": 2_453_876,
    "fit_out_pv_eur": 375_000,
    "aid_eur": 400_000,
    "lawful_aid_eur": 400_000,
    "aid_excess_eur": 0,
    "aid_status": "within",
    "zone": "c_predefined",
    "firm_size_used": "large",
    "aid_checks": [
        {
            "scheme": "regional_or_sme",
            "aid_eur": 400_000,
            "ceiling_eur": 2_862_420,
            "intensity_pct": 15.0,
            "eligible_costs_eur": 19_082_800,
            "headroom_eur": 2_462_420,
            "excess_eur": 0,
            "status": "within",
            "basis": "gber_art_14_afr_map",
        },
        {
            "scheme": "de_minimis",
            "aid_eur": 0,
            "ceiling_eur": 300_000,
            "intensity_pct": None,
            "eligible_costs_eur": None,
            "headroom_eur": 300_000,
            "excess_eur": 0,
            "status": "none",
            "basis": "de_minimis_2023_2831",
        },
    ],
    "notes": [],
    "mobility_authority": "Grand Besançon Métropole",
    "mobility_vintage": "2023-09-28",
    "method": "Estimate: the people, the occupancy at the full rent, the fit-out works less the aid within "
    "its ceiling, over 9 years at 4% a year.",
    "aid_text": "400,000 EUR of aid, within its ceiling of 2,862,420 EUR.",
    "notes_text": [],
}
COMPARISON = {
    "weights": {"cost": 0.4, "labour": 0.3, "fit": 0.2, "access": 0.1},
    "weights_percent": {"cost": 40.0, "labour": 30.0, "fit": 20.0, "access": 10.0},
    "need": NEED,
    "method": _reason(
        "method", "Each criterion is scaled from 0 to 1 and weighted; the weights sum to 100 %."
    ),
    "tie_break_rule": _reason("tie_break", "Equal scores: the earlier receipt first."),
    "years": 9,
    "discount_rate": 0.04,
    "candidates": [
        {
            "rank": 1,
            "key": "b7e1c2d3",
            "proposal_id": PROPOSAL_ID,
            "authority": "Grand Besançon Métropole",
            "premises": "Temis Center",
            "commune": "Besançon",
            "score": 0.812,
            "net_pv_eur": 2_104_560.0,
            "per_seat_eur": 8418.24,
            "per_seat_year_eur": 1132.20,
            "undersized": False,
            "seats_held": 250,
            "seats_needed": 250,
            "capacity_text": "",
            "summary": _reason("summary", "First: the lowest cost per seat."),
            "explanations": [
                {
                    **_reason("cost_per_seat", "8,418 EUR per seat over 9 years.", eur=8418.24),
                    "criterion": "cost",
                    "label": "Cost",
                    "raw": 8418.24,
                    "normalised": 1.0,
                    "weight": 0.4,
                    "points": 0.4,
                }
            ],
            "contributions": [["Cost", 0.4]],
            "not_valued": [],
            "operation": OPERATION_COST,
        }
    ],
    "pairs": [],
    "sensitivity": [_reason("stays_first", "Temis Center stays first while cost weighs 22 % to 100 %.")],
}
COLUMN = {
    "proposal_id": PROPOSAL_ID,
    "authority": "Grand Besançon Métropole",
    "version": 1,
    "sealed_at": "2027-03-20T11:05:00+01:00",
    "receipt_sha256": RECEIPT,
    "offer": OFFER,
    "catalogue": {"available_area_m2": 3000, "rent_eur_m2_year": "95.00", "charges_eur_m2_year": "18.00"},
    "yearly_rent_eur": "266250.00",
    "access_24_7": True,
    "incentives": [
        {"incentive": SEALED_INCENTIVE, "value_eur": "400000", "basis": "per_job", "capped": True}
    ],
    "incentives_total_eur": "400000",
    "training_places": 40,
    "job_centre_partnership": True,
    "recruitment_support": "Joint recruitment sessions with France Travail.",
    "free_text": "A science park with a tram stop at the door.",
    "attachments": [ATTACHMENT],
    "operation": OPERATION_COST,
}
DOSSIER_LINK = {
    "id": 5,
    "created_at": NOW,
    "expires_at": "2027-04-30T18:00:00+02:00",
    "revoked_at": None,
    "live": True,
    "shortlist": [{"proposal_id": PROPOSAL_ID, "authority": "Grand Besançon Métropole"}],
    "accesses": [{"what": "page", "at": "2027-04-01T09:12:00+02:00"}],
    "url": "https://guichet.example.org/dossier/Zq3…/",
}
QUESTION = {
    "id": QUESTION_ID,
    "question": "Grand Besançon: is the car park included?",
    "published_question": "Is the car park included in the rent?",
    "answer": "Yes, if the proposal says so; otherwise give its price.",
    "asked_at": "2027-03-01T10:00:00+01:00",
    "answered_at": "2027-03-02T09:30:00+01:00",
    "asked_by_authority": "Grand Besançon Métropole",
    "asked_by_own_authority": False,
}
NOTIFICATION = {
    "kind": "call_closed_early",
    "kind_label": "Call closed early",
    "authority": BESANCON,
    "recipient": "economie@grandbesancon.example",
    "status": "sent",
    "status_label": "Sent",
    "error": "",
    "created_at": NOW,
    "sent_at": NOW,
}
CENTRE = {
    "id": 9,
    "name": "Centre clients Mutuelle de l'Est",
    "kind": "in_house",
    "siret": "",
    "commune": "25056",
    "jobs_low": 120.0,
    "jobs_high": 150.0,
    "notes": "Headcount from the company's 2025 report.",
    "updated_at": NOW,
}
DASHBOARD = {
    "year_from": 2023,
    "year_to": 2027,
    "departement": "",
    "epci": "",
    "sector": "",
    "source": "",
    "target_per_year": 600,
    "totals": {"leads": 31, "won": 9, "jobs_announced": 1240},
    "tables": [
        {
            "key": "years",
            "title": "By year",
            "columns": [
                {"key": "year", "label": "Year", "kind": "year"},
                {"key": "won", "label": "Projects won", "kind": "int"},
                {"key": "floor_area_m2", "label": "Floor area taken up (m²)", "kind": "area"},
            ],
            "rows": [[2027, 2, 4200]],
            "note": "A project counts in the year of its decision.",
        }
    ],
}
RESULTS = {
    "authority_id": 3,
    "own": [
        {
            "code_name": "Aurore",
            "stage": "won",
            "won_on": "2027-05-12",
            "public_from": "2027-06-01",
            "site_commune": "25056",
            "premises_id": 12,
            "jobs_announced": 300,
            "floor_area_taken_m2": 2500,
            "jobs_created": [{"year": 2027, "jobs": 120, "source": "Annual statement 2027"}],
        }
    ],
    "public": [],
}
ELIGIBLE = page(
    {
        "rank": 1,
        "score": 0.78,
        "per_seat_eur": 8418.24,
        "per_seat_year_eur": 1132.20,
        "job_seekers": 9120,
        "summary": "Cheapest per seat; a deep labour pool within 45 minutes.",
        "premises": PREMISES,
    },
    ranked=True,
    labour_method="Job seekers within 45 minutes (INSEE, France Travail 2025).",
    tie_break_rule="Equal scores: by name.",
)

STAFFING_REQUEST = {"calls": 100, "aht_seconds": 180, "interval_minutes": 30}


@cache
def _staffing_answer() -> dict[str, Any]:
    from guichet.api.schemas import SizingOut, StaffingIn
    from guichet.api.staffing import staffing_compute

    answer = staffing_compute(StaffingIn.model_validate(STAFFING_REQUEST))
    return SizingOut.model_validate(answer).model_dump(mode="json")


@cache
def _costs_answer() -> dict[str, Any]:
    from guichet.api.costs import EXAMPLE, CostIn, CostOut, costs_compute

    answer = costs_compute(CostIn.model_validate(EXAMPLE), today=date(2026, 3, 1))
    return CostOut.model_validate(answer).model_dump(mode="json")


def _costs_request() -> dict[str, Any]:
    from guichet.api.costs import EXAMPLE

    return dict(EXAMPLE)


# Component name -> its example (a value, or a function computing it).
EXAMPLES: dict[str, Any | Callable[[], Any]] = {
    # Requests.
    "TokenRequest": {"username": "alice", "password": "…", "name": "SIG export"},
    "StaffingIn": STAFFING_REQUEST,
    "SizingIn": {"calls_per_day": 4200, "aht_seconds": 240, "shrinkage": 0.3},
    "CostIn": _costs_request,
    "PremisesIn": {
        "name": "Plateau neuf",
        "commune": "25056",
        "total_area_m2": 1500,
        "available_area_m2": 1500,
        "available_from": "2027-01-01",
        "rent_eur_m2_year": "99.50",
        "fibre": True,
    },
    "PremisesPatch": {"expected_version": 4, "rent_eur_m2_year": "92.00", "parking_spaces": 160},
    "IncentiveIn": {
        "name": "Aide à l'emploi",
        "kind": "grant_per_job",
        "amount": "2000",
        "unit": "eur_per_job",
        "cap_eur": "400000",
        "conditions": "Jobs kept three years.",
    },
    "IncentivePatch": {"expected_version": 1, "cap_eur": "500000"},
    "ProjectIn": {
        "code_name": "Zéphyr",
        "company_name": "Zéphyr SAS",
        "seats": 120,
        "opening_date": "2028-01-15",
        "needs_fibre": True,
        "preferred_departements": ["25"],
    },
    "ProjectPatch": {"expected_version": 6, "seats": 260, "identity_disclosed": True},
    "MoveIn": {
        "stage": "lost",
        "note": "The investor chose Porto.",
        "loss_reason": "abroad",
        "lost_to": "Porto",
    },
    "OutcomeIn": {"investment_eur": "4500000", "public_from": "2027-06-01"},
    "JobsIn": {"year": 2027, "jobs": 180, "source": "Annual statement 2027"},
    "CallIn": {
        "project_id": 41,
        "title": "Aurore — call for offers",
        "brief": "Inbound customer-service centre, about 250 seats, opening in September 2027.",
        "deadline": "2027-04-15T18:00:00+02:00",
    },
    "OpenIn": {"unreachable_confirmed": True},
    "ExcludeIn": {"authority_id": 3, "reason": "No premises within 45 minutes of the investor's site."},
    "IncludeIn": {"authority_id": 3},
    "DeadlineIn": {"new_deadline": "2027-04-22T18:00:00+02:00", "reason": "Site visits moved a week."},
    "ReasonIn": {"reason": "Every consulted authority has answered."},
    "ComparisonIn": {"weights": {"cost": 0.4, "labour": 0.3, "fit": 0.2, "access": 0.1}},
    "ChoiceIn": {"proposal_id": PROPOSAL_ID, "premises_id": 12},
    "DossierLinkIn": {"proposal_ids": [PROPOSAL_ID], "valid_days": 30},
    "QuestionIn": {"question": "Is the car park included in the rent offered?"},
    "AnswerIn": {
        "published_question": "Is the car park included in the rent?",
        "answer": "Yes, if the proposal says so; otherwise give its price.",
    },
    "ProposalIn": {
        "offers": [{"premises_id": 12, "area_m2": 2500, "rent_eur_m2_year": "88.50", "rent_free_months": 3}],
        "incentive_ids": [7],
        "training_places": 40,
        "job_centre_partnership": True,
        "free_text": "A science park with a tram stop at the door.",
        "expected_version": 0,
    },
    "CentreIn": {
        "name": "Centre clients Mutuelle de l'Est",
        "commune": "25056",
        "kind": "in_house",
        "jobs_low": 120,
        "jobs_high": 150,
    },
    "CentrePatch": {"jobs_low": 140, "jobs_high": 140},
    # Answers.
    "TokenResponse": {
        "token": "gch_Zq3…",
        "token_type": "Bearer",
        "expires_at": "2027-06-29T18:00:00+02:00",
        "username": "alice",
        "role": "officer",
        "authority_id": 3,
    },
    "PremisesOut": PREMISES,
    "Page_PremisesOut_": page(PREMISES),
    "IncentiveOut": INCENTIVE,
    "Page_IncentiveOut_": page(INCENTIVE),
    "Page_AuthorityOut_": page(AUTHORITY),
    "AuthorityDetail": {**AUTHORITY, "premises": [PREMISES], "incentives": [INCENTIVE]},
    "SizingOut": _staffing_answer,
    "CostOut": _costs_answer,
    "ProjectOut": PROJECT,
    "Page_ProjectOut_": page(PROJECT),
    "EligiblePage": ELIGIBLE,
    "DashboardOut": DASHBOARD,
    "ResultsOut": RESULTS,
    "CallDetail": CALL_DETAIL,
    "Page_CallOut_": page(CALL),
    "MyCallOut": MY_CALL,
    "Page_MyCallOut_": page(MY_CALL),
    "ProposalOut": PROPOSAL,
    "ProposalPage": page(PROPOSAL, sealed=False),
    "ComparisonOut": COMPARISON,
    "OffersOut": {"sized": True, "jobs": 300, "hires": 520, "columns": [COLUMN]},
    "NotificationPage": page(NOTIFICATION),
    "ResendOut": {"queued": 2},
    "DossierLinkOut": DOSSIER_LINK,
    "DossierLinkPage": page({**DOSSIER_LINK, "url": None}),
    "QuestionOut": QUESTION,
    "RecordedCentreOut": CENTRE,
    "CentrePage": page(CENTRE),
    "ZoningListOut": {
        "kind": "afr",
        "source": "décret n° 2022-968, annexe 2",
        "vintage": "2022-2027",
        "departements": ["25", "39", "70", "90"],
        "rows": 214,
    },
}
# Request bodies that are not a component (a file upload): by operation id.
OPERATION_EXAMPLES: dict[str, dict[str, Any]] = {
    "guichet_api_offers_my_proposal_attach": {"file": "(plaquette.pdf)", "expected_version": 1},
    "guichet_api_labour_zoning_lists_load": {
        "file": "(afr-2022-2027.csv)",
        "source": "décret n° 2022-968, annexe 2",
        "vintage": "2022-2027",
        "departements": "25, 39, 70, 90",
    },
}


def example(name: str) -> Any:
    value = EXAMPLES[name]
    return value() if callable(value) else value
