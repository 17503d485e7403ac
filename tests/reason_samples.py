"""Real engine outputs for every reason key: what the presentation layer must phrase.

Rankings of hand-made and seeded random candidates are run through the scoring engine until each key of
``scoring.REASON_KEYS`` has been returned at least once, with the variants a sentence depends on (a negative
net cost, an offer available early, late or on the day, an offer too small for the need, a parking need
stated or not, a move of weight spread over several criteria...). Nothing here is phrased: keys and params,
as the engine gives them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from guichet.engine import scoring
from guichet.engine.costs import LumpSum, OccupancyTerms
from guichet.engine.scales import Scale

OPENING = date(2026, 9, 1)
PROJECT = scoring.ProjectNeeds(
    seats=280,
    area_wanted_m2=3_000,
    jobs_per_year=(150, 225, 300),
    hires_per_year=(190, 165, 140),
    opening=OPENING,
)
NO_DATE = scoring.ProjectNeeds(seats=280, area_wanted_m2=3_000, jobs_per_year=(300,), parking_spaces=80)
# Scales putting the hand-made figures at the ends, so that one criterion can outweigh another exactly.
STEPS = scoring.Scales(
    cost=Scale(((760.0, 1.0), (850.0, 0.0))),
    labour_depth=Scale(((5_000.0, 0.0), (9_000.0, 1.0)), log=True),
    saturation=Scale(((0.01, 1.0), (0.03, 0.0))),
    feasibility=Scale(((0.1, 1.0), (0.5, 0.0))),
    fit=Scale(((0.5, 0.0), (1.0, 1.0))),
)


@dataclass(frozen=True)
class Sample:
    reason_key: str
    params: dict[str, Any]
    names: dict[str, str]
    why: str


def candidate(key: str, **given: Any) -> scoring.Candidate:
    values: dict[str, Any] = {
        "area": 3_000.0,
        "rent": 80.0,
        "rent_free": 0.0,
        "lump": 0.0,
        "available": OPENING,
        "job_seekers": 5_000.0,
        "saturation": 0.02,
        "share": 0.2,
        "transport": True,
        "parking": 140.0,
        "fibre": True,
        "backup": True,
    }
    values.update(given)
    return scoring.Candidate(
        key=key,
        terms=OccupancyTerms(
            area_m2=values["area"],
            rent_eur_m2_year=values["rent"],
            rent_free_months=values["rent_free"],
            lump_sums=(LumpSum(values["lump"], 0),) if values["lump"] else (),
        ),
        available_from=values["available"],
        job_seekers=values["job_seekers"],
        saturation=values["saturation"],
        pool_share_needed=values["share"],
        public_transport=values["transport"],
        parking_spaces=values["parking"],
        fibre=values["fibre"],
        power_backup=values["backup"],
    )


def _names(ranking: scoring.Ranking) -> dict[str, str]:
    return {key: f"Offre {key}" for key in ranking.keys}


def samples_of(ranking: scoring.Ranking, why: str) -> list[Sample]:
    names = _names(ranking)
    found = []
    for explanation in scoring.explain_top(ranking, len(ranking)):
        found.append(Sample(explanation.reason_key, dict(explanation.params), names, why))
        found += [Sample(c.reason_key, dict(c.params), names, why) for c in explanation.criteria]
    found += [Sample(s.reason_key, dict(s.params), names, why) for s in scoring.neighbour_swaps(ranking)]
    found += [Sample(r.reason_key, dict(r.params), names, why) for r in scoring.sensitivity(ranking)]
    return found


def _random_candidate(rng: random.Random, key: str) -> scoring.Candidate:
    def maybe(value: float) -> float | None:
        return None if rng.random() < 0.15 else value

    return candidate(
        key,
        area=rng.choice([2_400, 2_800, 3_000, 3_300]),
        rent=rng.choice([70, 80, 90, 100]),
        available=OPENING.toordinal() + rng.choice([-30, 0, 73, 400]),
        job_seekers=maybe(rng.choice([1_000, 3_000, 9_000])),
        saturation=maybe(rng.choice([0.01, 0.025, 0.04])),
        share=maybe(rng.choice([0.05, 0.2, 1.4])),
        transport=rng.random() < 0.5,
        parking=rng.choice([0, 70, 140]),
        fibre=rng.random() < 0.7,
        backup=rng.random() < 0.5,
    )


def all_samples() -> list[Sample]:
    """Samples covering every reason key and the variants of their sentences."""
    found: list[Sample] = []
    # The article case: the smaller, cheaper lease wins on cost; the 3,000 m² one on fit (single transfer).
    article = scoring.rank(
        [candidate("big", rent=95, rent_free=12), candidate("small", area=2_800, rent=82)],
        PROJECT,
        scoring.CONTACT_CENTRE_WEIGHTS,
    )
    found += samples_of(article, "article case")
    # Best, worst and between on every criterion; early, on the day and late; all three saturation bands.
    spread = scoring.rank(
        [
            candidate(
                "a",
                rent=70,
                job_seekers=9_000,
                saturation=0.01,
                share=0.05,
                available=OPENING.toordinal() - 30,
            ),
            candidate("b", area=2_800, saturation=0.025, transport=False, parking=70, backup=False),
            candidate(
                "c",
                area=2_500,
                rent=90,
                job_seekers=1_000,
                saturation=0.04,
                share=1.4,
                parking=0,
                fibre=False,
                backup=False,
                available=OPENING.toordinal() + 73,
            ),
        ],
        PROJECT,
    )
    found += samples_of(spread, "three distinct offers")
    # Twins: every criterion equal, the tie rule decides; no opening date.
    found += samples_of(scoring.rank([candidate("t2"), candidate("t1")], NO_DATE), "twins")
    # Unknown labour figures for one offer, then for every offer.
    found += samples_of(
        scoring.rank(
            [
                candidate("k1"),
                candidate("k2", job_seekers=9_000, saturation=0.01, share=0.05),
                candidate("u", job_seekers=None, saturation=None, share=None),
            ],
            PROJECT,
        ),
        "one offer's labour figures unknown",
    )
    found += samples_of(
        scoring.rank(
            [
                candidate(k, job_seekers=None, saturation=None, share=None, rent=r)
                for k, r in (("n1", 70), ("n2", 90))
            ],
            PROJECT,
        ),
        "nobody's labour figures known",
    )
    # A negative net cost (incentives above the costs), and an offer too small for the need.
    found += samples_of(
        scoring.rank(
            [candidate("g", lump=5e6), candidate("h", rent=80.01), candidate("i", area=1_600)], PROJECT
        ),
        "negative cost, undersized",
    )
    # Several transfers needed; a spread move smaller than the best single transfer.
    late = OPENING.toordinal() + 365
    found += samples_of(
        scoring.rank(
            [candidate("up", rent=70, job_seekers=9_000, share=0.1, available=late), candidate("low")],
            PROJECT,
            scoring.Weights(cost=0.35, labour_depth=0.35, feasibility=0.2, fit=0.1),
            scales=STEPS,
        ),
        "several transfers",
    )
    found += samples_of(
        scoring.rank(
            [
                candidate("up", rent=70, share=0.1, available=late),
                candidate("low", share=0.3),
                candidate("far", share=0.5),
            ],
            PROJECT,
            scoring.Weights(cost=0.1, feasibility=0.8, fit=0.1),
            scales=STEPS,
        ),
        "spread move",
    )
    # Seeded random fields for what is left (sensitivity ranges between two rivals, say).
    rng = random.Random(12)
    missing = set(scoring.REASON_KEYS) - {s.reason_key for s in found}
    attempts = 0
    while missing and attempts < 500:
        attempts += 1
        ranking = scoring.rank([_random_candidate(rng, f"r{i}") for i in range(rng.randint(2, 5))], PROJECT)
        for sample in samples_of(ranking, f"random field {attempts}"):
            if sample.reason_key in missing:
                found.append(sample)
        missing -= {s.reason_key for s in found}
    return found
