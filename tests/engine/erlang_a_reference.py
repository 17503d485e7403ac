"""Erlang A (M/M/N+M) at 50 digits, from the birth-death chain and a tagged caller's journey: the reference
the engine's Erlang A is tested against.

Nothing here shares code or formulas with :mod:`guichet.engine.erlang`: the engine sums series of incomplete
gamma functions in floating point; this module follows the chain itself with mpmath.

The chain: ``n`` callers in the system, ``N`` agents, arrivals at rate ``lambda``, each agent serving at rate
``mu = 1 / AHT``, each waiting caller abandoning at rate ``theta = 1 / patience``. Its stationary law is
``pi_n ~ a^n / n!`` for ``n <= N`` (``a = lambda / mu``, the offered load) and
``pi_(N+k) = pi_N prod_(i=1..k) lambda / (N mu + i theta)`` above; the sum is cut where a term falls below
``10^-60`` of the largest, which it does faster than geometrically.

An arriving caller sees the chain's stationary law (PASTA). Finding ``k`` callers already waiting, it waits
through ``k + 1`` stages: in the stage with ``j`` callers ahead (``j = k .. 0``) the line moves at rate
``N mu + j theta`` (a service, or an abandonment ahead) and the caller itself abandons at rate ``theta``; the
stage lasts an exponential time of rate ``N mu + (j + 1) theta`` whatever ends it. It is answered when a
service ends the last stage. Summing the stages' mean lengths over the paths gives the mean wait of every
caller, and over the answered paths only the mean wait of the answered callers, the ASA planners read.
The journey from ``k`` is one stage then the journey from ``k - 1``, so the sums build up from ``k = 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath

DIGITS = 50


@dataclass(frozen=True)
class ErlangAReference:
    """The figures of one staffing, as mpmath numbers; times in the unit of ``aht`` and ``patience``."""

    p_wait: mpmath.mpf
    p_abandon: mpmath.mpf
    mean_wait_all: mpmath.mpf
    """Mean time in queue of all callers, abandoned ones included."""
    asa_answered: mpmath.mpf
    """Mean time in queue of the answered callers (those answered at once count 0): the planners' ASA."""
    occupancy: mpmath.mpf
    """Answered load over the agents."""


def erlang_a_reference(agents: int, traffic: float, aht: float, patience: float) -> ErlangAReference:
    """The M/M/N+M figures for ``agents`` agents and ``traffic`` Erlangs offered, at :data:`DIGITS` digits."""
    with mpmath.workdps(DIGITS + 10):
        n = agents
        load = mpmath.mpf(traffic)
        mu = 1 / mpmath.mpf(aht)
        theta = 1 / mpmath.mpf(patience)
        lam = load * mu
        # Below the agents: a^n / n!, built up term by term (no factorial overflow).
        below = [mpmath.mpf(1)]
        for m in range(1, n + 1):
            below.append(below[-1] * load / m)
        # Waiting: pi_(N+k) / pi_N = prod lambda / (N mu + i theta).
        above = [below[-1]]
        tiny = mpmath.mpf(10) ** -(DIGITS + 10)
        k, largest = 0, above[0]
        while True:
            k += 1
            above.append(above[-1] * lam / (n * mu + k * theta))
            largest = max(largest, above[-1])
            if above[-1] < tiny * largest and lam < n * mu + k * theta:
                break
        total = mpmath.fsum(below[:-1]) + mpmath.fsum(above)
        p_wait = mpmath.fsum(above) / total
        waited_all = waited_answered = answered_after_wait = mpmath.mpf(0)
        # Finding k waiting, the caller first spends a stage of rate r_k = N mu + (k + 1) theta, then moves
        # on with probability (N mu + k theta) / r_k to the journey of a caller finding k - 1 (from k = 0,
        # moving on is being answered): the journeys build up from k = 0.
        mean_all = mean_stages = mpmath.mpf(0)  # the journey from k - 1: mean wait, mean of its stages
        answered = mpmath.mpf(1)  # probability that the journey from k - 1 ends answered (k = 0: one)
        for ahead, weight in enumerate(above):
            rate = n * mu + (ahead + 1) * theta
            onward = (n * mu + ahead * theta) / rate
            mean_all = 1 / rate + onward * mean_all
            mean_stages = 1 / rate + mean_stages
            answered = onward * answered
            share = weight / total
            waited_all += share * mean_all
            # Answered: every stage passed; the stages' lengths do not depend on how they end.
            waited_answered += share * answered * mean_stages
            answered_after_wait += share * answered
        p_abandon = p_wait - answered_after_wait
        p_answered = 1 - p_abandon
        occupancy = load * p_answered / n if n else mpmath.mpf(1)
        return ErlangAReference(
            p_wait=+p_wait,
            p_abandon=+p_abandon,
            mean_wait_all=+waited_all,
            asa_answered=+(waited_answered / p_answered),
            occupancy=+occupancy,
        )
