"""The differencing rule on its own: which sets of released sums give organisations away."""

from __future__ import annotations

from weerbaar.disclosure.differencing import Cell, atoms, isolates


def cells(*groups: set[int], measure: str = "ZC-02/bedden_ic") -> list[Cell]:
    return [Cell(measure, frozenset(group)) for group in groups]


def test_one_organisation_more_or_less_than_an_earlier_release_is_isolated() -> None:
    earlier = cells({1, 2, 3, 4, 5})
    assert isolates(cells({1, 2, 3, 4}), earlier, 3)  # one dropped out
    assert isolates(cells({1, 2, 3, 4, 5, 6}), earlier, 3)  # one joined
    assert isolates(cells({1, 2, 3, 4, 6}), earlier, 3)  # one swapped for another
    assert not isolates(cells({1, 2, 3, 4, 5}), earlier, 3)  # the same five
    assert not isolates(cells({1, 2, 3, 4, 5, 6, 7, 8}), earlier, 3)  # three joined


def test_other_measures_do_not_combine() -> None:
    earlier = cells({1, 2, 3, 4, 5}, measure="ZC-02/bedden_ic")
    assert not isolates(cells({1, 2, 3, 4}, measure="ZC-03/eenpersoonsbedden"), earlier, 3)


def test_a_combination_of_three_releases_is_caught_where_no_pair_gives_anything_away() -> None:
    # Every pair of these leaves classes of two; all three together single each one out.
    first, second, third = cells({1, 2, 3, 4}, {1, 2, 5, 6}, {1, 3, 5, 7})
    assert not isolates([third], [first], 2) and not isolates([third], [second], 2)
    assert isolates([third], [first, second], 2)
    assert {len(members) for members in atoms([first, second, third])["ZC-02/bedden_ic"]} == {1}


def test_an_earlier_mistake_does_not_block_every_later_release() -> None:
    # Released before the rule: five and four. A later release of the same five adds nothing.
    earlier = cells({1, 2, 3, 4, 5}, {1, 2, 3, 4})
    assert not isolates(cells({1, 2, 3, 4, 5}), earlier, 3)
    assert isolates(cells({1, 2, 3}), earlier, 3)  # but splitting the four further is refused


def test_sectors_and_total_of_one_release() -> None:
    # A total over eight with one sector of five shown: the other three follow, and three is
    # enough; with a sector of six shown, the other two are too few.
    assert not isolates(cells(set(range(8)), set(range(5))), [], 3)
    assert isolates(cells(set(range(8)), set(range(6))), [], 3)
