"""Point in a contour: inside, outside, in a hole, on and near an edge (the edge rule of engine.zoning)."""

from __future__ import annotations

import pytest

from guichet.engine.zoning import EDGE, INSIDE, OUTSIDE, bounding_box, may_contain, place

# A square of 0.01 degree (about 760 m east-west, 1,110 m north-south at 47° N) with a square hole.
OUTER = [[6.00, 47.00], [6.01, 47.00], [6.01, 47.01], [6.00, 47.01], [6.00, 47.00]]
HOLE = [[6.004, 47.004], [6.006, 47.004], [6.006, 47.006], [6.004, 47.006], [6.004, 47.004]]
SQUARE = [[OUTER, HOLE]]
METRE_LAT = 1 / 111_195  # a metre of latitude, in degrees


def test_inside_outside_and_in_a_hole() -> None:
    assert place(6.002, 47.002, SQUARE).status == INSIDE
    assert place(6.02, 47.002, SQUARE).status == OUTSIDE
    assert place(6.005, 47.005, SQUARE).status == OUTSIDE  # in the hole
    assert place(6.002, 47.002, SQUARE).distance_m == pytest.approx(152, abs=2)  # 0.002° of longitude


def test_on_a_vertex_or_an_edge_is_edge_with_distance_zero() -> None:
    assert place(6.00, 47.00, SQUARE) == place(6.00, 47.00, SQUARE)
    vertex = place(6.00, 47.00, SQUARE)
    on_edge = place(6.005, 47.00, SQUARE)
    assert (vertex.status, vertex.distance_m) == (EDGE, 0.0)
    assert on_edge.status == EDGE and on_edge.distance_m == pytest.approx(0.0, abs=1e-6)


def test_near_an_edge_within_and_beyond_the_tolerance() -> None:
    inside_near = place(6.005, 47.00 + 10 * METRE_LAT, SQUARE)
    outside_near = place(6.005, 47.00 - 10 * METRE_LAT, SQUARE)
    assert inside_near.status == EDGE and inside_near.distance_m == pytest.approx(10, abs=0.1)
    assert outside_near.status == EDGE and outside_near.distance_m == pytest.approx(10, abs=0.1)
    assert place(6.005, 47.00 + 20 * METRE_LAT, SQUARE).status == INSIDE
    assert place(6.005, 47.00 - 20 * METRE_LAT, SQUARE).status == OUTSIDE
    assert place(6.005, 47.00 - 20 * METRE_LAT, SQUARE, edge_tolerance_m=25).status == EDGE


def test_an_open_ring_is_closed_and_a_multipolygon_counts_each_part() -> None:
    far = [[[6.10, 47.10], [6.11, 47.10], [6.11, 47.11], [6.10, 47.11]]]  # not closed
    assert place(6.105, 47.105, [*SQUARE, far]).status == INSIDE
    assert place(6.05, 47.05, [*SQUARE, far]).status == OUTSIDE


def test_bounding_box_filter() -> None:
    box = bounding_box(SQUARE)
    assert box == (6.00, 47.00, 6.01, 47.01)
    assert may_contain(box, 6.005, 47.005)
    assert may_contain(box, 6.005, 47.00 - 10 * METRE_LAT)
    assert not may_contain(box, 6.005, 47.00 - 100 * METRE_LAT)


def test_refuses_a_point_that_is_not_a_number() -> None:
    with pytest.raises(ValueError):
        place(float("nan"), 47.0, SQUARE)
