"""Erlang B, C and A against high-precision references computed here with mpmath (and exact identities)."""

from __future__ import annotations

import math

import mpmath
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from guichet.engine import erlang
from tests.engine.erlang_a_reference import erlang_a_reference

mpmath.mp.dps = 30


def reference_inverse_b(agents: int, traffic: float) -> mpmath.mpf:
    """1 / Erlang B = sum_k n (n-1) ... (n-k+1) / a^k, summed at 30 digits until the terms vanish.

    An exact identity independent of the engine's Poisson/incomplete-gamma route; O(sqrt(a)) terms near
    the load, so 50,000 Erlangs stays fast.
    """
    a = mpmath.mpf(traffic)
    total = term = mpmath.mpf(1)
    tiny = mpmath.mpf(10) ** -28
    for k in range(1, agents + 1):
        term = term * (agents - k + 1) / a
        total += term
        if agents - k + 1 < a and term < tiny * total:
            break
    return total


def reference_b(agents: int, traffic: float) -> float:
    return float(1 / reference_inverse_b(agents, traffic))


def reference_c(agents: int, traffic: float) -> float:
    b = 1 / reference_inverse_b(agents, traffic)
    a = mpmath.mpf(traffic)
    return float(b / (1 - (a / agents) * (1 - b)))


# Loads from 1 to 50,000 Erlangs, staffed below, at and above the square-root staffing level.
CASES = [
    (traffic, max(1, math.floor(traffic + beta * math.sqrt(traffic))))
    for traffic in (1.0, 7.5, 10.0, 99.3, 1_000.0, 12_345.6, 50_000.0)
    for beta in (-3.0, 0.3, 1.0, 2.5)
]


@pytest.mark.parametrize(("traffic", "agents"), CASES)
def test_erlang_b_matches_the_30_digit_reference(traffic: float, agents: int) -> None:
    assert erlang.erlang_b(agents, traffic) == pytest.approx(reference_b(agents, traffic), rel=1e-11)


@pytest.mark.parametrize(("traffic", "agents"), [(t, n) for t, n in CASES if n > t])
def test_erlang_c_and_service_level_match_the_reference(traffic: float, agents: int) -> None:
    c = reference_c(agents, traffic)
    assert erlang.erlang_c(agents, traffic) == pytest.approx(c, rel=1e-11)
    sl = 1 - c * math.exp(-(agents - traffic) * 20 / 180)
    assert erlang.service_level_c(agents, traffic, 180, 20) == pytest.approx(sl, rel=1e-11)
    assert erlang.asa_c(agents, traffic, 180) == pytest.approx(c * 180 / (agents - traffic), rel=1e-11)


def test_reference_agrees_with_the_textbook_recursion_at_small_load() -> None:
    b = mpmath.mpf(1)
    for n in range(1, 15):
        b = 10 * b / (n + 10 * b)
    assert reference_b(14, 10.0) == pytest.approx(float(b), rel=1e-25)


def test_published_worked_example() -> None:
    # 100 calls in 30 min, AHT 180 s: 10 Erlangs; 14 agents.
    assert erlang.erlang_c(14, 10.0) == pytest.approx(0.174, abs=5e-4)
    assert erlang.service_level_c(14, 10.0, 180, 20) == pytest.approx(0.888, abs=5e-4)


def test_vectorised_erlang_c_equals_the_scalar_one() -> None:
    import numpy as np

    agents = np.array([2.0, 14.0, 1_050.0, 100_400.0])
    traffic = np.array([1.0, 10.0, 1_000.0, 100_000.0])
    expected = [erlang.erlang_c(int(n), a) for n, a in zip(agents, traffic, strict=True)]
    assert erlang.erlang_c_array(agents, traffic).tolist() == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("traffic", [100_000.0, 250_000.0, 1_000_000.0])
def test_huge_loads_stay_finite_and_in_range(traffic: float) -> None:
    for agents in (
        int(traffic * 0.5),
        int(traffic) - 1,
        int(traffic) + 1,
        int(traffic + 3 * math.sqrt(traffic)),
    ):
        b = erlang.erlang_b(agents, traffic)
        assert 0.0 <= b <= 1.0 and math.isfinite(b)
        c = erlang.erlang_c(agents, traffic)
        assert 0.0 <= c <= 1.0
    # Far below the load, B -> 1 - n/a.
    assert erlang.erlang_b(int(traffic / 2), traffic) == pytest.approx(0.5, rel=1e-4)


def test_unstable_erlang_c_never_exceeds_one() -> None:
    assert erlang.erlang_c(10, 10.0) == 1.0
    assert erlang.erlang_c(5, 10.0) == 1.0
    assert erlang.service_level_c(9, 10.0, 180, 20) == 0.0
    assert erlang.asa_c(9, 10.0, 180) == math.inf


# --- Erlang A --------------------------------------------------------------------------------------------


def birth_death_reference(agents: int, traffic: float, aht: float, patience: float, answer: float):
    """Erlang A from its truncated birth-death chain and the Beta law of the offered wait, at 30 digits.

    Arriving to j callers queued ahead, e^(-theta V) ~ Beta(x, j + 1): a route independent of the
    incomplete-gamma closed forms the engine uses.
    """
    lam, mu, theta = mpmath.mpf(traffic) / aht, 1 / mpmath.mpf(aht), 1 / mpmath.mpf(patience)
    weights = [mpmath.mpf(1)]
    for k in range(1, agents + 4000):
        death = min(k, agents) * mu + max(k - agents, 0) * theta
        weights.append(weights[-1] * lam / death)
    total = mpmath.fsum(weights)
    pi = [w / total for w in weights]
    queued = pi[agents:]
    p_wait = mpmath.fsum(queued)
    mean_queue = mpmath.fsum(j * p for j, p in enumerate(queued))
    x = agents * mu / theta
    q = mpmath.exp(-theta * answer)
    in_time = mpmath.fsum(
        p * x / (x + j + 1) * (1 - mpmath.betainc(x + 1, j + 1, 0, q, regularized=True))
        for j, p in enumerate(queued[:400])
    )
    return (
        float(p_wait),
        float(theta * mean_queue / lam),
        float(mean_queue / lam),
        float(1 - p_wait + in_time),
    )


@pytest.mark.parametrize(
    ("agents", "traffic", "patience"),
    [(14, 10.0, 60.0), (8, 10.0, 120.0), (3, 10.0, 30.0), (25, 20.0, 600.0)],
)
def test_erlang_a_matches_the_birth_death_chain(agents: int, traffic: float, patience: float) -> None:
    metrics = erlang.erlang_a(agents, traffic, 180.0, patience, 20.0)
    p_wait, p_abandon, mean_wait, service_level = birth_death_reference(
        agents, traffic, 180.0, patience, 20.0
    )
    assert metrics.p_wait == pytest.approx(p_wait, rel=1e-10)
    assert metrics.p_abandon == pytest.approx(p_abandon, rel=1e-10)
    assert metrics.mean_wait == pytest.approx(mean_wait, rel=1e-10)
    assert metrics.service_level == pytest.approx(service_level, rel=1e-9)


def test_erlang_a_is_stable_when_agents_are_below_the_load() -> None:
    metrics = erlang.erlang_a(1_000, 2_000.0, 180.0, 60.0, 20.0)
    assert metrics.p_wait == pytest.approx(1.0)
    assert metrics.p_abandon == pytest.approx(0.5, rel=1e-3)  # the fluid limit 1 - n / A
    assert metrics.service_level is not None and 0.0 <= metrics.service_level < 1e-6


@settings(max_examples=40, deadline=None)
@given(
    traffic=st.floats(min_value=0.05, max_value=3_000.0),
    extra=st.integers(min_value=1, max_value=60),
)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(traffic: float, extra: int) -> None:
    agents = math.ceil(traffic + 0.5) + extra - 1  # at least half an Erlang of spare capacity
    c = erlang.erlang_c(agents, traffic)
    sl = erlang.service_level_c(agents, traffic, 180.0, 20.0)
    asa = erlang.asa_c(agents, traffic, 180.0)
    gaps = []
    for patience in (1e9, 1e11):  # the gap shrinks like 1 / patience (slowest near N = A)
        a = erlang.erlang_a(agents, traffic, 180.0, patience, 20.0)
        gaps.append(abs(a.mean_wait - asa))
    assert gaps[1] <= gaps[0] / 20 + 1e-12
    assert a.p_wait == pytest.approx(c, rel=1e-3, abs=1e-12)
    assert a.service_level == pytest.approx(sl, rel=1e-3, abs=1e-12)
    assert a.mean_wait == pytest.approx(asa, rel=1e-3, abs=1e-12)
    assert a.p_abandon < 1e-6


@settings(max_examples=60, deadline=None)
@given(
    traffic=st.floats(min_value=1e-3, max_value=100_000.0),
    ratio=st.floats(min_value=0.01, max_value=3.0),
    patience=st.floats(min_value=1.0, max_value=1e5),
    aht=st.floats(min_value=1.0, max_value=3_600.0),
)
def test_erlang_a_never_returns_nan_or_infinity(
    traffic: float, ratio: float, patience: float, aht: float
) -> None:
    agents = max(1, round(traffic * ratio))
    metrics = erlang.erlang_a(agents, traffic, aht, patience, 20.0)
    for value in (metrics.p_wait, metrics.p_abandon, metrics.service_level):
        assert value is not None and math.isfinite(value) and 0.0 <= value <= 1.0
    assert math.isfinite(metrics.mean_wait) and metrics.mean_wait >= 0.0


@settings(max_examples=60, deadline=None)
@given(traffic=st.floats(min_value=1e-3, max_value=100_000.0), extra=st.integers(min_value=1, max_value=500))
def test_service_level_rises_with_agents(traffic: float, extra: int) -> None:
    agents = math.floor(traffic) + extra
    lower = erlang.service_level_c(agents, traffic, 180.0, 20.0)
    higher = erlang.service_level_c(agents + 1, traffic, 180.0, 20.0)
    assert 0.0 <= lower <= higher <= 1.0
    assert erlang.erlang_c(agents + 1, traffic) <= erlang.erlang_c(agents, traffic)


def test_log_poisson_pmf_is_exact_for_a_small_case() -> None:
    assert math.exp(erlang.log_poisson_pmf(3.0, 2.0)) == pytest.approx(2.0**3 * math.exp(-2.0) / 6, rel=1e-14)
    assert erlang.log_poisson_pmf(50_000.0, 50_000.0) == pytest.approx(
        float(mpmath.log(mpmath.mpf(50_000) ** 50_000 * mpmath.exp(-50_000) / mpmath.factorial(50_000))),
        rel=1e-13,
    )
    assert special.gammaln(1.0) == 0.0


# --- Erlang A: the ASA of the answered calls, against a 50-digit reference ------------------------------


def test_the_issues_case_answered_callers_wait_less_than_all_callers() -> None:
    """Issue 23: 50 calls in 30 min, 600 s, 90/10, patience 60 s, 21 agents: the answered callers wait
    1.66 s on average, all callers (abandoned ones included) 2.61 s."""
    reference = erlang_a_reference(21, 50 * 600 / 1800, 600.0, 60.0)
    assert mpmath.nstr(reference.asa_answered, 3) == "1.66"
    assert mpmath.nstr(reference.mean_wait_all, 3) == "2.61"
    metrics = erlang.erlang_a(21, 50 * 600 / 1800, 600.0, 60.0, 10.0)
    assert metrics.answered_wait == pytest.approx(float(reference.asa_answered), rel=1e-13)
    assert metrics.mean_wait == pytest.approx(float(reference.mean_wait_all), rel=1e-13)
    assert metrics.p_abandon == pytest.approx(float(reference.p_abandon), rel=1e-13)


@pytest.mark.parametrize(
    ("agents", "traffic", "aht", "patience"),
    [
        (14, 10.0, 180.0, 60.0),
        (8, 10.0, 180.0, 120.0),  # overloaded: more than a third of the callers abandon
        (3, 10.0, 180.0, 30.0),
        (25, 20.0, 180.0, 600.0),
        (1, 5.0, 3_600.0, 1.0),  # patience far below the handling time
        (150, 100.0, 180.0, 6_000.0),  # patience far above it: almost Erlang C
        (5, 0.001, 180.0, 60.0),  # almost nobody waits
        (1_000, 2_000.0, 180.0, 60.0),  # twice the load the agents can serve
        (210, 200.0, 300.0, 90.0),
    ],
)
def test_erlang_a_waits_match_the_50_digit_reference(
    agents: int, traffic: float, aht: float, patience: float
) -> None:
    reference = erlang_a_reference(agents, traffic, aht, patience)
    metrics = erlang.erlang_a(agents, traffic, aht, patience, 20.0)
    assert metrics.answered_wait == pytest.approx(float(reference.asa_answered), rel=1e-12)
    assert metrics.mean_wait == pytest.approx(float(reference.mean_wait_all), rel=1e-10)
    assert metrics.p_wait == pytest.approx(float(reference.p_wait), rel=1e-12)


def test_the_reference_agrees_with_the_30_digit_chain_of_the_other_tests() -> None:
    reference = erlang_a_reference(14, 10.0, 180.0, 60.0)
    p_wait, p_abandon, mean_wait, _ = birth_death_reference(14, 10.0, 180.0, 60.0, 20.0)
    assert float(reference.p_wait) == pytest.approx(p_wait, rel=1e-25)
    assert float(reference.p_abandon) == pytest.approx(p_abandon, rel=1e-25)
    assert float(reference.mean_wait_all) == pytest.approx(mean_wait, rel=1e-25)


def test_answered_wait_far_out_summed_every_kth_term_agrees_with_every_term(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At loads of 100,000 Erlangs with a day's patience the window is summed every k-th term; summed
    term by term it gives the same figure to a few parts in 1e9."""
    cases = [(100_000, 100_000.0), (99_000, 100_000.0), (101_000, 100_000.0)]
    strided = [erlang.erlang_a(n, a, 1.0, 86_400.0).answered_wait for n, a in cases]
    monkeypatch.setattr(erlang, "_WAIT_SERIES_POINTS", 1 << 30)
    every = [erlang.erlang_a(n, a, 1.0, 86_400.0).answered_wait for n, a in cases]
    for left, right in zip(strided, every, strict=True):
        assert left is not None and right is not None
        assert left == pytest.approx(right, rel=5e-9)


@settings(max_examples=40, deadline=None)
@given(
    traffic=st.floats(min_value=0.05, max_value=2_000.0),
    ratio=st.floats(min_value=0.3, max_value=2.0),
    patience=st.floats(min_value=5.0, max_value=3_600.0),
)
def test_answered_asa_falls_as_agents_are_added(traffic: float, ratio: float, patience: float) -> None:
    """The agent search bisects on the ASA target: it needs the answered callers' ASA to fall with agents."""
    agents = max(1, round(traffic * ratio))
    fewer = erlang.erlang_a(agents, traffic, 180.0, patience).answered_wait
    more = erlang.erlang_a(agents + 1, traffic, 180.0, patience).answered_wait
    assert fewer is not None and more is not None
    assert 0.0 <= more <= fewer * (1 + 1e-12)


def test_nobody_answered_has_no_answered_asa() -> None:
    assert erlang.erlang_a(0, 10.0, 180.0, 60.0).answered_wait is None
    assert erlang.erlang_a(5, 10.0, 180.0, 60.0, answered_wait=False).answered_wait is None
    assert erlang.erlang_a(5, 0.0, 180.0, 60.0).answered_wait == 0.0


@pytest.mark.parametrize("traffic", [1e-300, 5e-324, 1e-200])
def test_erlang_a_at_a_vanishing_load_answers_everyone(traffic: float) -> None:
    """A load so small the incomplete gamma function underflows (the project form takes 1e-300 calls a day):
    no error, nobody waits, every call is answered in time."""
    for agents, aht, patience in ((1, 300.0, 60.0), (40, 300.0, 600.0), (1, 1.0, 86_400.0)):
        metrics = erlang.erlang_a(agents, traffic, aht, patience, 20.0)
        assert metrics.p_wait < 1e-190 and metrics.p_abandon < 1e-190
        assert metrics.service_level == 1.0 and metrics.answered_wait is not None
        assert metrics.answered_wait < 1e-190
