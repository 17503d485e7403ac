"""Erlang B, Erlang C and Erlang A (M/M/N+M) queue formulas, numerically stable at any load.

Everything is computed in log space from two well-conditioned pieces, never from factorials or powers:

- the Poisson probability ``p(n; a) = a^n e^-a / n!`` through Loader's saddle-point form
  ``log p = -stirlerr(n) - bd0(n, a) - log(2 pi n) / 2``, exact to a few ulps at any size;
- the regularised incomplete gamma functions of ``scipy.special`` (``gammaincc`` is the Poisson
  distribution function), or, deep in a tail where they would underflow, a convergent series of ratios
  below one that needs ``O(sqrt(load))`` terms.

So ``erlang_b(n, a) = p(n; a) / P(X <= n)`` costs ``O(1)`` in the usual range ``n >= a - 5 sqrt(a)``
(no ``O(a^2)`` recursion from zero), every probability stays in ``[0, 1]`` and nothing overflows at
100,000 Erlangs or more. The textbook recursion ``B(n) = a B(n-1) / (n + a B(n-1))`` is used only by the
tests, at high precision, as a reference.

Erlang A follows Garnett, Mandelbaum and Reiman (2002) and Mandelbaum and Zeltyn ("The M/M/n+G queue:
summary of performance measures"): with ``x = n mu / theta`` and ``y = lambda / theta``,
``S0 = A(x, y) = x e^y y^-x gamma(x, y)`` (lower incomplete gamma),
``P(wait) = S0 B / (1 + (S0 - 1) B)``, ``P(abandon) = P(wait) S1 / (y S0)`` with
``S1 = sum_j j y^j / ((x+1)...(x+j))`` the mean queue ahead, and ``E[wait] = P(abandon) / theta``.
The share answered within ``t`` (abandoned calls count as not answered) is
``1 - P(wait) + P(wait) (served | wait - (x / y) P(x + 1, y e^(-theta t)) / P(x, y))``, which follows from
the offered wait ``P(V > t | wait) = P(x, y e^(-theta t)) / P(x, y)``. All of it tends to Erlang C as the
patience grows without bound.

Two means of the wait, under their own names. ``E[wait]`` is that of every caller, abandoned ones included.
The **ASA planners read is that of the answered callers**: a caller finding ``j`` callers waiting ahead is
answered with probability ``x / (x + j + 1)`` after a mean ``(1 / theta) sum_(i=1..j+1) 1 / (x + i)`` (its
``j + 1`` stages of the queue, each of rate ``n mu + (i) theta``, whatever ends them), so
``theta E[wait; answered | wait] = (x / y) E[G_J]`` with ``J`` of weights ``t_j = y^j / ((x+1)...(x+j))`` (the
terms of ``S0``) and ``G_j = sum_(i=1..j) 1 / (x + i)``; the ASA of the answered calls is
``P(wait) E[wait; answered | wait] / (1 - P(abandon))``. The weights are Poisson probabilities of ``x + j``
at mean ``y``, summed in log space over the window where they matter (about ``10 sqrt(max(x, y))`` terms
each side of their mode; beyond 131,072 terms every k-th, the sum of a smooth bell).

Units: ``traffic`` (the offered load) is in Erlangs; times (``aht``, ``answer_time``, ``patience``) share
whatever unit the caller uses (the staffing module uses seconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

__all__ = [
    "ErlangAMetrics",
    "asa_c",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "erlang_c_array",
    "log_erlang_b",
    "log_poisson_pmf",
    "service_level_c",
    "service_level_c_array",
]

FloatArray = NDArray[np.float64]

_LOG_2PI = math.log(2.0 * math.pi)
_HALF_LOG_2PI = 0.5 * _LOG_2PI
# Stirling series coefficients for stirlerr(n) = log(n!) - log(sqrt(2 pi n) (n/e)^n).
_S0, _S1, _S2, _S3, _S4 = 1.0 / 12, 1.0 / 360, 1.0 / 1260, 1.0 / 1680, 1.0 / 1188
_SERIES_EPS = 1e-17
# Below this many standard deviations under the mean, a tail is summed as a series (it could underflow).
_TAIL_SIGMAS = 5.0


# --- building blocks ------------------------------------------------------------------------------


def _stirlerr(n: float) -> float:
    """log(n!) - (n + 1/2) log(n) + n - log(2 pi)/2 for real n > 0."""
    if n > 15.0:
        nn = n * n
        return (_S0 - (_S1 - (_S2 - (_S3 - _S4 / nn) / nn) / nn) / nn) / n
    return float(special.gammaln(n + 1.0)) - (n + 0.5) * math.log(n) + n - _HALF_LOG_2PI


def _stirlerr_array(n: FloatArray) -> FloatArray:
    nn = n * n
    series = (_S0 - (_S1 - (_S2 - (_S3 - _S4 / nn) / nn) / nn) / nn) / n
    small = n <= 15.0
    if np.any(small):
        m = n[small]
        series[small] = special.gammaln(m + 1.0) - (m + 0.5) * np.log(m) + m - _HALF_LOG_2PI
    return series


def _bd0(x: float, m: float) -> float:
    """x log(x/m) + m - x >= 0 without cancellation (absolute error about eps |x - m|); x >= 0, m > 0."""
    if x == 0.0:
        return m
    d = x - m
    return x * math.log1p(d / m) - d


def _bd0_array(x: FloatArray, m: FloatArray) -> FloatArray:
    d = x - m
    # A load that underflows to 0 (a few calls of 1e-300 s) gives bd0 = inf and a probability of 0, as it
    # should: no warning for it.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(x * np.log1p(d / m) - d, dtype=np.float64)


def log_poisson_pmf(n: float, a: float) -> float:
    """log(a^n e^-a / Gamma(n + 1)) for real n >= 0 and a > 0, accurate at any size."""
    if n == 0.0:
        return -a
    return -_stirlerr(n) - _bd0(n, a) - 0.5 * (_LOG_2PI + math.log(n))


def _log_poisson_pmf_array(n: FloatArray, a: FloatArray) -> FloatArray:
    return -_stirlerr_array(n) - _bd0_array(n, a) - 0.5 * (_LOG_2PI + np.log(n))


def _ratio_series(first: float, step: float, numerator: float, denominator: float) -> tuple[float, float]:
    """Sum over j >= 0 of t_j and of j t_j, with t_0 = 1 and t_j = t_(j-1) (numerator + step j) / denominator.

    ``step`` is 0 or -1 (ratios ``numerator / (first + j)`` or ``(numerator - j + 1) / denominator``); the
    callers only use it where every ratio is below one, so the terms fall geometrically or faster.
    """
    total, weighted, last, start, chunk = 1.0, 0.0, 1.0, 1, 64
    while True:
        j = np.arange(start, start + chunk, dtype=np.float64)
        if step == 0.0:
            ratios = numerator / (first + j)
        else:
            ratios = np.maximum(numerator - j + 1.0, 0.0) / denominator
        terms = last * np.cumprod(ratios)
        total += float(terms.sum())
        weighted += float((j * terms).sum())
        last = float(terms[-1])
        ratio = float(ratios[-1])
        if last == 0.0 or last * (1.0 + j[-1]) / max(1.0 - ratio, 1e-300) < _SERIES_EPS * total:
            return total, weighted
        start += chunk
        chunk = min(chunk * 2, 8192)


def _log_lower_gamma_regularised(a: float, z: float) -> float:
    """log P(a, z) (regularised lower incomplete gamma), finite wherever P(a, z) > 0, even below 1e-308."""
    if z <= 0.0:
        return -math.inf
    p = 0.0 if z < a - _TAIL_SIGMAS * math.sqrt(a) else float(special.gammainc(a, z))
    if p == 0.0:
        # Deep in the tail (or a load so small that P underflows, z far below a): the series
        # P(a, z) = e^-z z^a / Gamma(a + 1) * sum_j z^j / ((a+1)...(a+j)), every ratio below one.
        total, _ = _ratio_series(a, 0.0, z, 1.0)
        return log_poisson_pmf(a, z) + math.log(total)
    return math.log(p)


# --- Erlang B and C -------------------------------------------------------------------------------


def log_erlang_b(agents: int, traffic: float) -> float:
    """log of Erlang B (blocking probability of M/M/N/N) for any ``agents >= 0`` and ``traffic >= 0``."""
    if agents == 0:
        return 0.0
    if traffic == 0.0:
        return -math.inf
    n, a = float(agents), float(traffic)
    if n < a - _TAIL_SIGMAS * math.sqrt(a):
        # Far below the load the Poisson distribution function underflows; 1/B is a fast series there:
        # 1/B = sum_k n (n-1) ... (n-k+1) / a^k, every ratio below n/a < 1.
        inverse, _ = _ratio_series(0.0, -1.0, n, a)
        return -math.log(inverse)
    log_cdf = math.log(float(special.gammaincc(n + 1.0, a)))
    return min(0.0, log_poisson_pmf(n, a) - log_cdf)


def erlang_b(agents: int, traffic: float) -> float:
    """Erlang B: the probability that a call finds all ``agents`` busy in a loss system, in [0, 1]."""
    return math.exp(log_erlang_b(agents, traffic))


def erlang_c(agents: int, traffic: float) -> float:
    """Erlang C: the probability of waiting, ``C = B / (1 - (A/N)(1 - B))``.

    It is 1.0 when ``agents <= traffic``: the queue never clears and every caller waits.
    """
    if traffic <= 0.0:
        return 0.0
    if agents <= traffic:
        return 1.0
    b = erlang_b(agents, traffic)
    return min(1.0, agents * b / (agents - traffic + traffic * b))


def service_level_c(agents: int, traffic: float, aht: float, answer_time: float) -> float:
    """Erlang C share of calls answered within ``answer_time``: ``1 - C exp(-(N - A) t / AHT)``;
    0 if unstable."""
    if traffic <= 0.0:
        return 1.0
    if agents <= traffic:
        return 0.0
    c = erlang_c(agents, traffic)
    return min(1.0, max(0.0, 1.0 - c * math.exp(-(agents - traffic) * answer_time / aht)))


def asa_c(agents: int, traffic: float, aht: float) -> float:
    """Erlang C average speed of answer ``C AHT / (N - A)`` (same unit as ``aht``); ``inf`` if unstable."""
    if traffic <= 0.0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return erlang_c(agents, traffic) * aht / (agents - traffic)


def erlang_c_array(agents: FloatArray, traffic: FloatArray) -> FloatArray:
    """Vectorised Erlang C for ``agents > traffic > 0`` elementwise (the caller guarantees stability)."""
    log_cdf = np.log(special.gammaincc(agents + 1.0, traffic))
    b = np.exp(np.minimum(_log_poisson_pmf_array(agents, traffic) - log_cdf, 0.0))
    return np.asarray(np.minimum(agents * b / (agents - traffic + traffic * b), 1.0), dtype=np.float64)


def service_level_c_array(
    agents: FloatArray, traffic: FloatArray, aht: FloatArray, answer_time: float
) -> FloatArray:
    """Vectorised Erlang C service level for ``agents > traffic > 0`` elementwise."""
    c = erlang_c_array(agents, traffic)
    return np.asarray(np.clip(1.0 - c * np.exp(-(agents - traffic) * answer_time / aht), 0.0, 1.0))


# --- Erlang A -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErlangAMetrics:
    """Erlang A (M/M/N+M) figures for one staffing level; times in the caller's unit."""

    p_wait: float
    p_abandon: float
    mean_wait: float
    """Mean time in queue of all callers, abandoned ones included."""
    service_level: float | None
    """Share of all offered calls answered within the answer time (abandoned calls count as failures)."""
    answered_wait: float | None = None
    """Mean time in queue of the answered callers (0 for those answered at once): the ASA planners read.
    None when no call is answered, or when it was not asked for."""


# Below this (lambda / theta), an Erlang A load is none: every figure it changes is below 1e-250.
_VANISHING_LOAD = 1e-250
# Beyond this many terms the answered callers' wait is summed every k-th term (see the module's notes).
_WAIT_SERIES_POINTS = 1 << 17


def _answered_wait_factor(x: float, y: float) -> float:
    """``theta E[wait; answered | wait] = (x / y) E[G_J]`` (see the module's notes), for ``x, y > 0``."""
    half = math.ceil(10.0 * math.sqrt(max(x, y)) + 20.0)
    if y < x + 1.0:
        # t_j <= (y / (x + 1))^j: far below the agents the terms fall geometrically, faster than the bell.
        half = min(half, math.ceil(46.0 / math.log1p((x + 1.0 - y) / y)) + 20)
    mode = max(0.0, math.floor(y - x))
    lo = max(0.0, mode - half)
    count = int(mode + half - lo) + 1
    if count <= _WAIT_SERIES_POINTS:
        # Every term: log t_j and G_j = sum_(i=1..j) 1 / (x + i) as running sums from the window's start
        # (no cancellation, however small G is).
        after = x + lo + np.arange(1, count, dtype=np.float64)
        log_w = np.concatenate(([0.0], np.cumsum(np.log(y / after))))
        weights = np.exp(log_w - log_w.max())
        start = 0.0 if lo == 0.0 else float(special.digamma(x + lo + 1.0) - special.digamma(x + 1.0))
        g = start + np.concatenate(([0.0], np.cumsum(1.0 / after)))
        return x / y * float(weights @ g) / float(weights.sum())
    # A window too long to sum term by term (loads of millions of Erlangs with patience far above the
    # handling time): every k-th term of a smooth bell, the log weights from the Poisson form.
    stride = math.ceil(count / _WAIT_SERIES_POINTS)
    j = lo + stride * np.arange(math.ceil(count / stride), dtype=np.float64)
    log_w = _log_poisson_pmf_array(x + j, np.full_like(j, y))
    weights = np.exp(log_w - log_w.max())
    g = special.digamma(x + j + 1.0) - special.digamma(x + 1.0)
    numerator, denominator = float(weights @ g), float(weights.sum())
    if lo == 0.0:
        # A sum from j = 0 taken every k-th term (Euler-Maclaurin): sum f(j) = k sum f(ik) - (k - 1) f(0) / 2.
        numerator = stride * numerator - (stride - 1) * float(weights[0] * g[0]) / 2.0
        denominator = stride * denominator - (stride - 1) * float(weights[0]) / 2.0
    return x / y * numerator / denominator


def erlang_a(
    agents: int,
    traffic: float,
    aht: float,
    patience: float,
    answer_time: float | None = None,
    *,
    answered_wait: bool = True,
) -> ErlangAMetrics:
    """Erlang A: callers abandon after an exponential patience of mean ``patience``.

    Stable for any number of agents, including ``agents <= traffic``. ``mean_wait`` is the mean time in
    queue of all callers (served or abandoning), ``P(abandon) / theta``; ``answered_wait`` that of the
    answered callers, the ASA (computed unless ``answered_wait`` is False).
    """
    y = traffic * patience / aht  # lambda / theta
    # No load, or one too small to be told from none (its logarithms would underflow): nobody waits.
    if traffic <= 0.0 or y < _VANISHING_LOAD:
        return ErlangAMetrics(0.0, 0.0, 0.0, None if answer_time is None else 1.0, 0.0)
    if agents == 0:
        return ErlangAMetrics(1.0, 1.0, patience, None if answer_time is None else 0.0, None)
    theta = 1.0 / patience
    x = agents * patience / aht  # n mu / theta
    log_b = log_erlang_b(agents, traffic)
    b = math.exp(log_b)
    # The series where the incomplete gamma function would be slow or underflow (a load of 1e-300 Erlangs).
    p = 0.0 if y < x - _TAIL_SIGMAS * math.sqrt(x) else float(special.gammainc(x, y))
    if p == 0.0:
        s0, s1 = _ratio_series(x, 0.0, y, 1.0)
        log_s0 = math.log(s0)
        abandon_given_wait = s1 / (y * s0)
    else:
        log_p = math.log(p)
        if x >= 1.0:
            log_s0 = _bd0(x, y) + 0.5 * (_LOG_2PI + math.log(x)) + _stirlerr(x) + log_p
        else:
            log_s0 = math.log(x) + y - x * math.log(y) + float(special.gammaln(x)) + log_p
        abandon_given_wait = (x * math.exp(-log_s0) + (y - x)) / y
    # P(wait) = S0 B / (1 + (S0 - 1) B) = expit(log S0 + log B - log(1 - B)).
    p_wait = float(special.expit(log_s0 + log_b - math.log1p(-b))) if b < 1.0 else 1.0
    abandon_given_wait = min(1.0, max(0.0, abandon_given_wait))
    p_abandon = p_wait * abandon_given_wait
    service_level: float | None = None
    if answer_time is not None:
        served_given_wait = 1.0 - abandon_given_wait
        z = y * math.exp(-theta * answer_time)
        tail = 0.0
        if z > 0.0:
            log_tail = _log_lower_gamma_regularised(x + 1.0, z) - _log_lower_gamma_regularised(x, y)
            tail = math.exp(math.log(x) - math.log(y) + log_tail)  # (x / y) P(...) / P(...), no inf x 0
        answered_in_time = min(max(served_given_wait - tail, 0.0), 1.0)
        service_level = min(1.0, max(0.0, 1.0 - p_wait + p_wait * answered_in_time))
    asa: float | None = None
    if answered_wait and p_abandon < 1.0:
        waited = p_wait * _answered_wait_factor(x, y) * patience
        asa = max(0.0, waited / (1.0 - p_abandon))
    return ErlangAMetrics(p_wait, p_abandon, p_abandon * patience, service_level, asa)
