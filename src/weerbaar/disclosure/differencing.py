"""Differencing between released figures: what combinations of released sums give away.

Every released figure (a *cell*) is a sum over a set of organisations: the region's total or
one sector's row of one measure (one answer part) in one release. Anyone who has several
releases can add and subtract their cells. What they can learn is bounded by the *atoms*:
the classes of organisations that lie in exactly the same cells. Each cell is a union of
atoms, so every sum and difference of cells is a combination of atom sums, and nothing finer.
When every atom holds at least the minimum group size, no combination of cells isolates fewer
organisations than that; an atom smaller than that is what a subtraction can single out (one
hospital that joined, left or submitted late between two releases).

The check compares the atoms with and without the new release, so that a release made before
this rule existed does not block every later one, only a release that makes things worse.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    measure: str  # the answer part, stable across framework versions: "ZC-02/bedden_ic"
    members: frozenset[int]  # the organisations whose figures are in the released sum


def atoms(cells: Iterable[Cell]) -> dict[str, set[frozenset[int]]]:
    """Per measure, the classes of organisations that lie in exactly the same cells."""
    signatures: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for index, cell in enumerate(cells):
        for organisation in cell.members:
            signatures[cell.measure][organisation].add(index)
    result: dict[str, set[frozenset[int]]] = {}
    for measure, of_organisation in signatures.items():
        classes: dict[frozenset[int], set[int]] = defaultdict(set)
        for organisation, signature in of_organisation.items():
            classes[frozenset(signature)].add(organisation)
        result[measure] = {frozenset(members) for members in classes.values()}
    return result


def isolates(new: Iterable[Cell], earlier: Iterable[Cell], minimum: int) -> bool:
    """Would releasing ``new`` beside ``earlier`` let some combination of cells single out a
    group of fewer than ``minimum`` organisations that ``earlier`` alone did not?"""
    earlier = list(earlier)
    before = atoms(earlier)
    after = atoms([*earlier, *new])
    for measure, classes in after.items():
        known = before.get(measure, set())
        if any(len(members) < minimum and members not in known for members in classes):
            return True
    return False
