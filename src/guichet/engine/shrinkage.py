"""Shrinkage in two parts: time away from the building, and time in it off the phones.

Pure (no Django, no I/O). Shrinkage is the paid time agents do not spend on the phones. Its two parts do not
cost the same: a person on leave, sick or on a public holiday is paid but not in the building and needs no
seat; a person on a break, in a coaching session, a training or a team meeting is in the building and keeps
a seat. So:

- ``absence``: the share of **paid** time away (paid leave, public holidays, sickness and other absence);
- ``on_site``: the share of the **time in the building** spent off the phones (breaks, coaching, training,
  meetings);
- ``total = 1 - (1 - absence) x (1 - on_site)``: the share of paid time off the phones.

FTE and headcounts use the total (agents on the phones / (1 - total) are paid); seats use the people in the
building (agents on the phones / (1 - on_site)). The defaults and their sources are in
:mod:`guichet.engine.staffing` (``DEFAULT_ABSENCE_SHRINKAGE``, ``DEFAULT_ON_SITE_SHRINKAGE``).

**A request that gives only the former single figure** (``shrinkage``, the total) still sizes as before for
FTE, headcounts and hires: the total is kept exactly as given. It is split with the on-site part at its
default (breaks, coaching and meetings happen whatever the leave) and time away the rest,
``absence = 1 - (1 - total) / (1 - on_site)``; a total below the on-site default is all on site. The split
says it was made this way (``split == "total"``), and a sizing made so carries the warning
``shrinkage_from_total``. A total given with one part derives the other; with both parts it must agree with
them (to 1e-9, the rounding of a result's echoed inputs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from guichet.engine import staffing as st
from guichet.engine.staffing import Number, StaffingInputError, check_limit

__all__ = ["Shrinkage", "split_shrinkage"]

Split = Literal["default", "parts", "total"]
# Two parts and a total given together agree when they differ by no more than this (a result's inputs echo
# a derived part as a float).
_AGREEMENT = 1e-9


@dataclass(frozen=True, slots=True)
class Shrinkage:
    """The two parts and their total, as shares; ``split`` says where they come from: ``default`` (none
    given), ``parts`` (the parts given, or one of them) or ``total`` (the total given, time away derived).
    Two shrinkages with the same figures are equal whatever their ``split``: a result's echoed inputs give
    all three figures, and size the same."""

    total: float
    absence: float
    on_site: float
    split: Split = field(compare=False)

    @property
    def on_phones(self) -> Fraction:
        """The exact share of paid time on the phones, ``1 - total`` (the total as given, or the parts'
        exact product: 21 % and 15 % give 0.6715)."""
        return 1 - st.exact(self.total)

    @property
    def on_phones_in_building(self) -> Fraction:
        """The exact share of the time in the building spent on the phones, ``1 - on_site``."""
        return 1 - st.exact(self.on_site)


def _total_of(absence: Fraction, on_site: Fraction) -> Fraction:
    return 1 - (1 - absence) * (1 - on_site)


def split_shrinkage(
    *, total: Number | None = None, absence: Number | None = None, on_site: Number | None = None
) -> Shrinkage:
    """The shrinkage from what a request gives (None: not given), with the defaults for the rest."""
    if total is not None:
        check_limit("shrinkage", total)
    if absence is not None:
        check_limit("absence_shrinkage", absence)
    if on_site is not None:
        check_limit("on_site_shrinkage", on_site)
    if total is None:
        split: Split = "default" if absence is None and on_site is None else "parts"
        a = st.exact(st.DEFAULT_ABSENCE_SHRINKAGE if absence is None else absence)
        b = st.exact(st.DEFAULT_ON_SITE_SHRINKAGE if on_site is None else on_site)
        whole = _total_of(a, b)
        if whole > Fraction(9, 10):
            raise StaffingInputError(
                "absence_shrinkage",
                f"with the time in the building off the phones, leaves under 10% of paid time on the phones "
                f"(total {float(whole):.4g})",
                code="above_maximum",
                limit=0.9,
            )
        return Shrinkage(float(whole), float(a), float(b), split)
    s = st.exact(total)
    if absence is not None and on_site is not None:
        if abs(_total_of(st.exact(absence), st.exact(on_site)) - s) > _AGREEMENT:
            raise StaffingInputError(
                "shrinkage",
                "the total disagrees with its two parts: give the total or the parts",
                code="conflict",
            )
        return Shrinkage(float(total), float(absence), float(on_site), "parts")
    if absence is not None:
        a = st.exact(absence)
        if a > s:
            raise StaffingInputError(
                "absence_shrinkage", "is more than the total shrinkage given with it", code="conflict"
            )
        return Shrinkage(float(total), float(a), float(1 - (1 - s) / (1 - a)), "total")
    b = st.exact(st.DEFAULT_ON_SITE_SHRINKAGE) if on_site is None else st.exact(on_site)
    if b > s:
        if on_site is not None:
            raise StaffingInputError(
                "on_site_shrinkage", "is more than the total shrinkage given with it", code="conflict"
            )
        b = s  # a total below the on-site default: all of it in the building
    return Shrinkage(float(total), float(1 - (1 - s) / (1 - b)), float(b), "total")
