"""Small-group suppression: which aggregates a viewer may see.

An organisation's own figures are seen at DETAIL level (``organisations.access``); every
aggregate over organisations that a viewer cannot see one by one goes through these rules, so
that no median, sum or count gives one organisation's figures away (DESIGN.md §2). The
releases of capacity figures (``disclosure.releases``) and the differencing guard
(``disclosure.differencing``) build on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from weerbaar.organisations import access
from weerbaar.organisations.access import Level
from weerbaar.organisations.models import Region


def visible_organisations(user: Any, region: Region) -> set[int]:
    """Organisations of ``region`` whose own figures ``user`` may see."""
    return set(
        access.organisations_for(user, Level.DETAIL)
        .filter(region=region)
        .values_list("pk", flat=True)
    )


def drafts_visible(user: Any, region: Region) -> set[int]:
    """Organisations of ``region`` whose concept answers ``user`` may see (its members and
    the region's coordinators); everyone else sees what was submitted."""
    condition = access.drafts_condition(user)
    organisations = region.organisations.all()
    if condition is not None:
        organisations = organisations.filter(condition)
    return set(organisations.values_list("pk", flat=True))


def confidential_visible(user: Any, region: Region) -> set[int]:
    """Organisations of ``region`` whose confidential answers ``user`` may see."""
    return set(
        access.confidential_organisations(user).filter(region=region).values_list("pk", flat=True)
    )


def disclosable(group: Iterable[int], visible: set[int], minimum: int) -> bool:
    """May an aggregate over ``group`` (organisation ids) be shown to a viewer who sees
    ``visible`` one by one? Yes when the viewer could compute it anyway, or when the part
    hidden from them holds at least ``minimum`` organisations."""
    hidden = set(group) - visible
    return not hidden or len(hidden) >= max(minimum, 1)


def uniform_hidden(members: Iterable[int], visible: set[int], positive: set[int]) -> bool:
    """Did every member hidden from the viewer give the same yes/no (``positive`` holds the
    yeses)? Then a count of yeses among ``members`` tells each hidden one's answer."""
    hidden = set(members) - visible
    return bool(hidden) and (hidden <= positive or not hidden & positive)


def protect_partition(
    groups: dict[str, set[int]], total: set[int], visible: set[int], minimum: int
) -> tuple[set[str], bool]:
    """Which groups of a partition (and whether the total) may be shown.

    A group too small is suppressed (primary). When the total is shown, the suppressed groups
    together could be found by subtraction, so more groups are suppressed until what is hidden
    by all suppressed groups together is large enough again; if that cannot be reached, the
    total is suppressed too (secondary suppression).
    """
    shown = {name for name, members in groups.items() if disclosable(members, visible, minimum)}
    total_shown = disclosable(total, visible, minimum)
    if not total_shown:
        return shown, False

    def hidden_in_suppressed() -> set[int]:
        return {
            org for name, members in groups.items() if name not in shown for org in members
        } - visible

    while 0 < len(hidden_in_suppressed()) < minimum:
        candidates = sorted(
            (name for name in shown if groups[name] - visible),
            key=lambda name: (len(groups[name] - visible), name),
        )
        if not candidates:
            return shown, False
        shown.discard(candidates[0])
    return shown, True
