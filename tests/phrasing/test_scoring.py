"""Every reason the comparison states, phrased in French and in English from the engine's codes.

Each key of ``scoring.REASON_KEYS`` is rendered from real engine outputs (tests/reason_samples.py) in both
languages: nothing may be missing (a param, a translation), no English word may be left in the French text,
and the figures follow each locale (``1 845 031 EUR`` with narrow no-break spaces, ``12,5 %`` in French;
``1,845,031 EUR``, ``12.5%`` in English).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation

from guichet.engine import scoring
from guichet.phrasing import labour as labour
from guichet.phrasing import numbers
from guichet.phrasing import scoring as reasons

from ..reason_samples import OPENING, Sample, all_samples, candidate, samples_of

NNBSP, NBSP = "\u202f", "\u00a0"
SAMPLES = all_samples()

# Words that exist in English and not in French: one of them in a French sentence is an untranslated part.
ENGLISH_ONLY = frozenset(
    re.findall(
        r"\S+",
        """the and of with would if while stays between than seeker seekers seat seats wanted available day
    days
    after before out unknown first weighs weighed weight more less every none only level ahead neutral median
    incentives incentive gross cost labour pool needs need whole saturated tied rule order rank scaled
    strongest weakest offer offers criterion criteria served by per year years present which at to for in is
    are has have any it its this that there no yes not fit spaces space hires candidates candidate needed
    mark held desirable share full scale range narrower stretched overtake overtaken whatever weighs comes
    above below still equal higher lower earlier key digest ascending neither nor name answers arrived plays
    house assumption built outweigh premises largest most lost against wanted opening""",
    )
)


def words(text: str) -> set[str]:
    return {word.lower() for word in re.findall(r"[A-Za-zÀ-ÿœŒæÆ'-]+", text)}


def rendered(sample: Sample, language: str) -> str:
    with translation.override(language):
        return reasons.render(sample.reason_key, sample.params, names=sample.names)


def test_every_reason_key_is_produced_by_the_samples() -> None:
    assert {sample.reason_key for sample in SAMPLES} == set(scoring.REASON_KEYS)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.reason_key}-{s.why}")
def test_each_reason_is_phrased_in_both_languages(sample: Sample) -> None:
    english, french = rendered(sample, "en"), rendered(sample, "fr")
    for text in (english, french):
        assert text and "%(" not in text and "{" not in text and "None" not in text
    assert english != french
    left = words(french) & ENGLISH_ONLY
    assert not left, f"English in the French sentence: {sorted(left)}: {french}"
    # Figures grouped by locale: no comma-grouped thousands and no decimal point in French.
    assert not re.search(r"\d,\d{3}\u00a0EUR", french), french
    assert not re.search(r"\d\.\d", french), french


def article_case() -> scoring.Ranking:
    """3,000 m² at 95 EUR/m²/yr with 12 months free (Temis Center) against 3,000 m² at 70 EUR a year late
    (Techn'hom 7), over 9 years at 4%, on the house scale (0 at 1,607 EUR per seat a year, full at 804)."""
    late = OPENING.toordinal() + 365
    return scoring.rank(
        [candidate("big", rent=95, rent_free=12), candidate("small", rent=70, available=late)],
        reasons_project(),
        scoring.CONTACT_CENTRE_WEIGHTS,
    )


def test_the_article_case_in_figures_and_words() -> None:
    """Net 1,845,031 EUR (274,038 of incentives), 6,589 EUR per seat over the lease: 886 EUR per seat a year
    against the other's 750 (full points); the other, a year late, loses half its fit. Moving weight from fit
    to cost would bring the later, cheaper lease level."""
    ranking = article_case()
    assert ranking.keys == ("big", "small")
    names = {"big": "Temis Center", "small": "Techn'hom 7"}
    cost = scoring.explain(ranking, "big").criteria[0]
    swap = scoring.swap_analysis(ranking, 1)
    assert [(t.from_criterion, t.to_criterion) for t in swap.single.transfers] == [  # type: ignore[union-attr]
        (scoring.Criterion.FIT, scoring.Criterion.COST)
    ]
    with translation.override("fr"):
        line = reasons.render(cost.reason_key, cost.params)
        assert f"1{NNBSP}845{NNBSP}031{NBSP}EUR" in line
        assert f"aides 274{NNBSP}038{NBSP}EUR" in line
        assert f"886{NBSP}EUR par poste et par an sur 280 postes" in line
        assert f"4{NNBSP}%" in line and "9 ans" in line
        assert f"la meilleure a 750{NBSP}EUR par poste et par an" in line
        assert f"tous les points à 804{NBSP}EUR par poste et par an ou moins" in line
        assert f"aucun à 1{NNBSP}607{NBSP}EUR par poste et par an ou plus" in line
        swap_text = reasons.render(swap.reason_key, swap.params, names=names)
        assert swap_text.startswith(
            f"Techn'hom 7 passerait devant Temis Center si le critère «{NBSP}adéquation{NBSP}» "
            "pesait moins de "
        )
        assert f"le critère «{NBSP}coût{NBSP}» plus de " in swap_text
    with translation.override("en"):
        line = reasons.render(cost.reason_key, cost.params)
        assert f"Net occupancy cost 1,845,031{NBSP}EUR over 9 years, present value at 4%" in line
        assert f"886{NBSP}EUR per seat a year over 280 seats" in line
        assert reasons.render(swap.reason_key, swap.params, names=names).startswith(
            "Techn'hom 7 would overtake Temis Center if the fit criterion weighed less than "
        )
        by_criterion = {r.criterion: r for r in scoring.sensitivity(ranking)}
        cost_range = by_criterion[scoring.Criterion.COST]
        assert cost_range.reason_key == "sensitivity.at_most"
        assert reasons.render(cost_range.reason_key, cost_range.params, names=names).startswith(
            "Temis Center stays first while the cost criterion weighs at most "
        )


def reasons_project() -> scoring.ProjectNeeds:
    from ..reason_samples import PROJECT

    return PROJECT


def test_the_method_the_tie_rule_and_the_assumptions_in_both_languages() -> None:
    texts = {
        "method": lambda: reasons.render(
            reasons.METHOD_KEY, {"years": 9, "discount_rate": 0.04, "radius_km": 30.0}
        ),
        "tie rule": lambda: reasons.render_stored(reasons.tie_rule_reason()),
        "normalisation": lambda: reasons.render(reasons.NORMALISATION_KEY, {}),
        **{code: (lambda code=code: reasons.assumption(code)) for code in scoring.ASSUMPTIONS},
        **{f"step {s}": (lambda s=s: reasons.tie_step_label(s.value)) for s in scoring.TieStep},
        **{f"verdict {v}": (lambda v=v: labour.verdict_label(v)) for v in labour.VERDICT_LABELS},
    }
    for name, render in texts.items():
        with translation.override("en"):
            english = render()
        with translation.override("fr"):
            french = render()
        assert english != french, name
        assert not words(french) & ENGLISH_ONLY, (name, words(french) & ENGLISH_ONLY, french)
    with translation.override("fr"):
        rule = reasons.render_stored(reasons.tie_rule_reason())
        assert "10⁻¹²" in rule and "puis le plus grand nombre de demandeurs d'emploi" in rule
    with translation.override("en"):
        assert "9 years discounted at 4%" in texts["method"]()


@pytest.mark.parametrize(
    ("pool", "verdict", "expected_fr", "expected_en"),
    [
        (None, "unknown", "Pas d'avis", "No verdict: the number of job seekers in reach is unknown."),
        (
            4_000.0,
            "demanding",
            f"L'année 1 demande 190 recrutements × 3,5 candidats par recrutement = 665 candidats, soit "
            f"16,6{NNBSP}% des 4{NNBSP}000 demandeurs d'emploi de catégorie A",
            "Year 1 needs 190 hires × 3.5 candidates per hire = 665 candidates, 16.6% of the 4,000 category "
            "A job seekers in reach. Under 10% of the pool in a year is realistic; from 10% demanding; from "
            "25% unrealistic. Against the 8,000 job seekers in categories A, B, C (upper bound): 8.3%. 3 "
            "communes of the catchment have no data: the pool is undercounted and the share overstated.",
        ),
    ],
)
def test_the_recruitment_verdict_in_both_languages(
    pool: float | None, verdict: str, expected_fr: str, expected_en: str
) -> None:
    year = SimpleNamespace(
        year=1,
        hires=190,
        candidates=665.0,
        share=None if pool is None else 665 / pool,
        share_of_upper_bound=None if pool is None else 665 / 8_000,
    )
    feasibility = SimpleNamespace(
        verdict=verdict,
        worst_year=None if pool is None else 1,
        years=(year,),
        job_seekers=SimpleNamespace(value=pool, communes_missing=3),
        upper_bound=SimpleNamespace(value=8_000.0),
        pool_kind="category_a",
        candidates_per_hire=3.5,
        thresholds=SimpleNamespace(demanding=0.10, unrealistic=0.25),
    )
    with translation.override("fr"):
        assert expected_fr in labour.feasibility_text(feasibility)
    with translation.override("en"):
        assert expected_en in labour.feasibility_text(feasibility)


def test_numbers_percentages_and_money_follow_the_locale() -> None:
    with translation.override("fr"):
        assert numbers.number(1234.5, 1) == f"1{NNBSP}234,5"
        assert numbers.percent(0.125) == f"12,5{NNBSP}%" and numbers.percent(0.3) == f"30{NNBSP}%"
        assert numbers.money(1234.4) == f"1{NNBSP}234{NBSP}EUR" and numbers.money(-0.4) == f"0{NBSP}EUR"
        assert numbers.points(0.72549) == "72,5"
        assert numbers.join(["a", "b", "c"]) == "a, b et c"
    with translation.override("en"):
        assert numbers.number(1234.5, 1) == "1,234.5"
        assert numbers.percent(0.125) == "12.5%" and numbers.money(1234.6) == f"1,235{NBSP}EUR"
        assert numbers.join(["a", "b", "c"]) == "a, b and c"


def test_english_dates_are_day_month_year_with_24_hour_times() -> None:
    moment = datetime(2027, 9, 1, 14, 5, tzinfo=ZoneInfo("Europe/Paris"))
    with translation.override("en"):
        assert formats.date_format(date(2027, 9, 1), "SHORT_DATE_FORMAT") == "01/09/2027"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "01/09/2027 14:05"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "1 September 2027, 14:05"
    with translation.override("fr"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "1 septembre 2027 14:05"
        assert formats.date_format(date(2027, 9, 1), "SHORT_DATE_FORMAT") == "01/09/2027"


def test_an_unknown_reason_key_is_refused_not_shown_raw() -> None:
    with pytest.raises(KeyError):
        reasons.render("beauty.best", {})
    # A comparison published before reasons were stored as codes holds sentences: shown as they are.
    assert reasons.render_stored("An old sentence.") == "An old sentence."


def test_sensitivity_and_swaps_name_the_offers_a_reader_knows() -> None:
    sample = next(
        s
        for s in samples_of(
            scoring.rank([candidate("x", rent=70), candidate("y", area=2_800)], reasons_project()), "names"
        )
        if s.reason_key.startswith("swap.")
    )
    with translation.override("en"):
        text = reasons.render(
            sample.reason_key, sample.params, names={"x": "Temis Center", "y": "Techn'hom 7"}
        )
    assert "Temis Center" in text and "Techn'hom 7" in text and "x" not in text.split()


def test_weights_that_cannot_change_the_first_place_are_said_once() -> None:
    ranking = article_case()
    items = [{"reason_key": r.reason_key, "params": r.params} for r in scoring.sensitivity(ranking)]
    names = {"big": "Temis Center", "small": "Techn'hom 7"}
    with translation.override("en"):
        english = reasons.sensitivity_lines(items, names)
    with translation.override("fr"):
        french = reasons.sensitivity_lines(items, names)
    # Cost and fit can change the first place; the five others cannot: one line for them.
    assert len(english) == len(french) == 3
    assert english[-1] == (
        "Temis Center stays first whatever the weights of the job seekers, saturation, pool share needed, "
        "access and telecoms criteria."
    )
    assert french[-1].startswith(
        f"Temis Center reste en tête quels que soient les poids des critères «{NBSP}"
    )
    assert not words(" ".join(french)) & ENGLISH_ONLY
