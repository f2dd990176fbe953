"""A page's rulings → the cell boxes of each ruled table, by pdfplumber's table finder.

pdfplumber's finder (Anssi Nurminen's method, as in Tabula) snaps and joins the rulings,
finds where they cross and takes each smallest rectangle of crossings as a cell; cells that
touch make a table.  It is fed the rulings pdfium saw (``extract.readers.pdf_objects``), so
the page is not parsed a second time.  One addition: a cell a page break cuts has no
ruling on that side, so the finder finds no cell there; the table is found again with its
outline (the rulings it touches, grown until none is left outside) drawn round it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from extract.readers.pdf_page import EDGE_TOL, BBox

__all__ = ["find_ruled_tables", "ruled_outline"]

SNAP = 3.0  # points: pdfplumber's default snap, join and intersection tolerances
MIN_EDGE = 3.0  # points: a shorter ruling after joining is noise (pdfplumber's edge_min_length)


def _edge(box: BBox) -> dict[str, Any]:
    x0, top, x1, bottom = box
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": "v" if x1 - x0 <= bottom - top else "h",
    }


def _tables(rulings: Sequence[BBox]) -> list[list[BBox]]:
    edges = [_edge(r) for r in rulings if max(r[2] - r[0], r[3] - r[1]) >= 1]
    if not edges:
        return []
    merged = merge_edges(edges, SNAP, SNAP, SNAP, SNAP)
    merged = [e for e in merged if max(e["width"], e["height"]) >= MIN_EDGE]
    cells = intersections_to_cells(edges_to_intersections(merged, SNAP, SNAP))
    return [[tuple(c) for c in table] for table in cells_to_tables(cells)]  # type: ignore[misc]


def ruled_outline(box: BBox, rulings: Sequence[BBox]) -> BBox:
    """A table's box grown over the rulings that touch it, until none touching is left outside."""
    x0, top, x1, bottom = box
    grown = True
    while grown:
        grown = False
        for r in rulings:
            touches = (
                r[0] <= x1 + EDGE_TOL
                and r[2] >= x0 - EDGE_TOL
                and r[1] <= bottom + EDGE_TOL
                and r[3] >= top - EDGE_TOL
            )
            outside = (
                r[0] < x0 - EDGE_TOL
                or r[2] > x1 + EDGE_TOL
                or r[1] < top - EDGE_TOL
                or r[3] > bottom + EDGE_TOL
            )
            if touches and outside:
                x0, top, x1, bottom = min(x0, r[0]), min(top, r[1]), max(x1, r[2]), max(bottom, r[3])
                grown = True
    return x0, top, x1, bottom


def _bbox(cells: list[BBox]) -> BBox:
    return (
        min(c[0] for c in cells),
        min(c[1] for c in cells),
        max(c[2] for c in cells),
        max(c[3] for c in cells),
    )


def find_ruled_tables(rulings: Sequence[BBox]) -> list[list[BBox]]:
    """The cell boxes of every ruled table of two or more cells; cells left open at an edge are closed."""
    tables = _tables(rulings)
    frames: list[BBox] = []
    for cells in tables:
        box = _bbox(cells)
        outline = ruled_outline(box, rulings)
        area = sum((c[2] - c[0]) * (c[3] - c[1]) for c in cells)
        if outline != box or area < 0.999 * (box[2] - box[0]) * (box[3] - box[1]):
            frames.append(outline)
    if frames:
        sides = [
            side
            for x0, top, x1, bottom in frames
            for side in (
                (x0, top, x1, top),
                (x0, bottom, x1, bottom),
                (x0, top, x0, bottom),
                (x1, top, x1, bottom),
            )
        ]
        tables = _tables([*rulings, *sides])
    return [cells for cells in tables if len(cells) > 1]
