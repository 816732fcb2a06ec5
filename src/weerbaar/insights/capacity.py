"""Capacity for casualty care (Kader theme Zorgcapaciteit) summed over the region.

The figures are the numbers of the framework's confidential questions: beds per type (IC,
heelkunde/trauma, neurochirurgie, revalidatie), single rooms, isolation units and their
regular occupancy. Counts are summed; percentages are averaged. Only the region's
coordinators see them per organisation. Everyone else sees sums per sector and for the region,
and only where ``protect_partition`` allows: a group of fewer organisations than the region's
minimum group size is withheld, and so is a second group when the withheld ones could
otherwise be found by subtracting the shown sectors from the region's total.

Everyone but the coordinators sees the figures of a *release* (``CapacityRelease``), never the
live sums: a live sum moves when one organisation submits, and the difference would be that
organisation's figure. A coordinator releases a round's figures once, after the deadline;
there is no second release of a round, and no release whose organisations differ from an
earlier release of the region by fewer than the minimum group size (see ``capacity_release``
and ``differencing``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.assessments.models import AnswerValue, Round
from weerbaar.audit.models import audit_record
from weerbaar.disclosure.differencing import Cell, atoms, isolates
from weerbaar.disclosure.models import CapacityRelease
from weerbaar.disclosure.rules import confidential_visible, protect_partition
from weerbaar.formatting import day, moment
from weerbaar.frameworks.models import AnswerPart, PartType
from weerbaar.insights.needs import release_figures, sector_label
from weerbaar.organisations import access
from weerbaar.organisations.models import Region, Sector
from weerbaar.scoring.themes import SCORED_STATES

PERCENT = "%"


@dataclass(frozen=True)
class Column:
    part_id: int
    item_code: str
    label: str
    unit: str

    @property
    def averaged(self) -> bool:
        return self.unit == PERCENT


@dataclass
class CapacityRow:
    key: str  # "regio", a sector value, or an organisation id
    label: str
    organisations: int
    values: list[Decimal | None]  # None: nobody answered, or withheld
    suppressed: bool = False  # every figure of the row withheld
    withheld: list[bool] = field(default_factory=list)

    @property
    def cells(self) -> list[tuple[Decimal | None, bool]]:
        flags = self.withheld or [self.suppressed] * len(self.values)
        return list(zip(self.values, flags, strict=True))


@dataclass
class Capacity:
    region: Region
    round: Round
    columns: list[Column]
    total: CapacityRow
    sectors: list[CapacityRow]
    organisations: list[CapacityRow] = field(default_factory=list)  # coordinators only
    per_organisation: bool = False
    live: bool = True  # False: the figures of ``release`` (None: nothing released yet)
    release: CapacityRelease | None = None  # the latest release of the round


def columns_of(round_: Round) -> list[Column]:
    return [
        Column(part.pk, part.item.code, part.label, part.unit)
        for part in AnswerPart.objects.filter(
            item__section__framework_id=round_.framework_id,
            item__confidential=True,
            type=PartType.NUMBER,
        )
        .select_related("item")
        .order_by("item__section__order", "item__order", "order")
    ]


def _combine(column: Column, values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    total = sum(values, Decimal(0))
    return (total / len(values)).quantize(Decimal("0.1")) if column.averaged else total


@dataclass
class _Figures:
    by_organisation: dict[int, dict[int, Decimal]]  # organisation → column → value
    sector_of: dict[int, str]
    name_of: dict[int, str]


def _figures(round_: Round, columns: list[Column]) -> _Figures:
    index = {column.part_id: i for i, column in enumerate(columns)}
    found = _Figures(defaultdict(dict), {}, {})
    for part_id, org_id, sector, name, number in AnswerValue.objects.filter(
        part_id__in=list(index),
        answer__assessment__round=round_,
        answer__assessment__state__in=SCORED_STATES,
        answer__not_applicable=False,
        number__isnull=False,
    ).values_list(
        "part_id",
        "answer__assessment__organisation_id",
        "answer__assessment__organisation__sector",
        "answer__assessment__organisation__name",
        "number",
    ):
        if number is None:
            continue
        found.by_organisation[org_id][index[part_id]] = number
        found.sector_of[org_id] = sector
        found.name_of[org_id] = name
    return found


def _groups(found: _Figures) -> dict[str, set[int]]:
    groups: dict[str, set[int]] = defaultdict(set)
    for org_id, sector in found.sector_of.items():
        groups[sector].add(org_id)
    return groups


def _decide(
    region: Region, round_: Round, columns: list[Column], found: _Figures, visible: set[int]
) -> Capacity:
    """The sums a viewer who sees ``visible`` one by one may see."""
    figures = found.by_organisation
    groups = _groups(found)
    everyone = set(found.sector_of)
    # Every figure is decided on its own: its group is the organisations that gave that
    # figure (the beds of a revalidation centre are not in the single-room column).
    shown_per_column: list[tuple[set[str], bool]] = []
    for i in range(len(columns)):
        answered = {o for o in everyone if i in figures[o]}
        column_groups = {name: members & answered for name, members in groups.items()}
        column_groups = {name: members for name, members in column_groups.items() if members}
        shown_per_column.append(
            protect_partition(column_groups, answered, visible, region.min_group_size)
        )

    def row(key: str, label: str, members: set[int], sector: str | None) -> CapacityRow:
        values: list[Decimal | None] = []
        withheld: list[bool] = []
        for i, column in enumerate(columns):
            contributors = [o for o in members if i in figures[o]]
            shown, total_shown = shown_per_column[i]
            ok = total_shown if sector is None else sector in shown
            if key.isdigit():  # one organisation: only for those who see it
                ok = members <= visible
            hidden = bool(contributors) and not ok
            withheld.append(hidden)
            values.append(
                None if hidden else _combine(column, [figures[o][i] for o in contributors])
            )
        return CapacityRow(
            key,
            label,
            len(members),
            values,
            suppressed=bool(withheld) and all(withheld),
            withheld=withheld,
        )

    result = Capacity(
        region=region,
        round=round_,
        columns=columns,
        total=row("regio", region.name, everyone, None),
        sectors=[
            row(sector, str(Sector(sector).label), members, sector)
            for sector, members in sorted(groups.items(), key=lambda kv: Sector(kv[0]).label)
        ],
    )
    if everyone and everyone <= visible:
        result.per_organisation = True
        result.organisations = [
            row(str(org_id), found.name_of[org_id], {org_id}, found.sector_of[org_id])
            for org_id in sorted(everyone, key=lambda o: found.name_of[o].casefold())
        ]
    return result


def _stored_row(row: CapacityRow, columns: list[Column]) -> dict[str, Any]:
    return {
        "key": row.key,
        "organisations": row.organisations,
        "values": {
            str(column.part_id): None if withheld else (None if value is None else str(value))
            for column, (value, withheld) in zip(columns, row.cells, strict=True)
        },
        "withheld": [str(c.part_id) for c, (_v, w) in zip(columns, row.cells, strict=True) if w],
    }


def _released_row(stored: dict[str, Any], label: str, columns: list[Column]) -> CapacityRow:
    values: list[Decimal | None] = []
    withheld: list[bool] = []
    for column in columns:
        value = stored["values"].get(str(column.part_id))
        values.append(None if value is None else Decimal(value))
        withheld.append(str(column.part_id) in stored["withheld"])
    return CapacityRow(
        stored["key"],
        label,
        stored["organisations"],
        values,
        suppressed=bool(withheld) and all(withheld),
        withheld=withheld,
    )


def _from_release(
    region: Region, round_: Round, columns: list[Column], release: CapacityRelease | None
) -> Capacity:
    if release is None:
        empty = CapacityRow(
            "regio", region.name, 0, [None] * len(columns), False, [False] * len(columns)
        )
        return Capacity(region, round_, columns, empty, [], live=False)
    stored = release.figures
    return Capacity(
        region=region,
        round=round_,
        columns=columns,
        total=_released_row(stored["total"], region.name, columns),
        sectors=sorted(
            (_released_row(row, sector_label(row["key"]), columns) for row in stored["sectors"]),
            key=lambda row: row.label,
        ),
        live=False,
        release=release,
    )


def capacity(user: Any, region: Region, round_: Round) -> Capacity:
    """The casualty-care capacity of ``round_`` (submitted self-assessments) as ``user`` may
    see it: live for the region's coordinators, the latest release for everyone else (a fixed
    number of queries, whatever the number of organisations)."""
    columns = columns_of(round_)
    latest = CapacityRelease.objects.filter(round=round_).select_related("released_by").first()
    if not access.coordinates(user, region):
        return _from_release(region, round_, columns, latest)
    result = _decide(
        region, round_, columns, _figures(round_, columns), confidential_visible(user, region)
    )
    result.release = latest
    return result


def release_note(result: Capacity) -> str:
    """One line for reports: whose figures these are (live or released, and when)."""
    when = moment(result.release.released_at) if result.release else ""
    if result.live:
        if result.release:
            return _("Actuele cijfers. Regiolezers zien de vrijgave van %(when)s.") % {"when": when}
        return _("Actuele cijfers. Regiolezers zien nog geen cijfers van deze uitvraag.")
    if result.release:
        return _("Vrijgegeven door de regiocoördinator op %(when)s.") % {"when": when}
    return _("De regiocoördinator heeft deze cijfers nog niet vrijgegeven.")


def shown_rows(result: Capacity) -> list[CapacityRow]:
    """The sector rows and the region's total, or none before a reader's first release."""
    if not result.live and result.release is None:
        return []
    return [*result.sectors, result.total]


class ReleaseRefused(Exception):
    """A release that would give organisations away, or that has nothing new; ``messages``
    says why in Dutch (one line per reason)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _contributors(columns: list[Column], found: _Figures) -> dict[str, dict[str, list[int]]]:
    """Per sector and answer part: the organisations whose figure is in the sum."""
    result: dict[str, dict[str, list[int]]] = {}
    for sector, members in _groups(found).items():
        result[sector] = {
            str(column.part_id): sorted(o for o in members if i in found.by_organisation[o])
            for i, column in enumerate(columns)
        }
    return result


def _measures(part_ids: set[int]) -> dict[str, str]:
    """Each answer part's measure key, the same in every version of a framework."""
    return {
        str(pk): f"{code}/{key}"
        for pk, code, key in AnswerPart.objects.filter(pk__in=part_ids).values_list(
            "pk", "item__code", "key"
        )
    }


def _part_ids(contributors: dict[str, Any]) -> set[int]:
    return {int(part_id) for parts in contributors.values() for part_id in parts}


def _cells(
    figures: dict[str, Any], contributors: dict[str, Any], measure: dict[str, str]
) -> list[Cell]:
    """The released cells of one release: each shown sum with the organisations in it."""
    cells: list[Cell] = []

    def add(part_id: str, members: set[int]) -> None:
        if members and part_id in measure:
            cells.append(Cell(measure[part_id], frozenset(members)))

    def members_of(sector: str | None, part_id: str) -> set[int]:
        sectors = contributors if sector is None else {sector: contributors.get(sector, {})}
        return {org for parts in sectors.values() for org in parts.get(part_id, [])}

    for row in [figures["total"], *figures["sectors"]]:
        sector = None if row["key"] == "regio" else row["key"]
        for part_id, value in row["values"].items():
            if value is not None and part_id not in row["withheld"]:
                add(part_id, members_of(sector, part_id))
    for part_id, need in (figures.get("needs") or {}).items():
        if need["total"]["yes"] is not None:
            add(part_id, members_of(None, part_id))
        for row in need["sectors"]:
            if row["yes"] is not None:
                add(part_id, members_of(row["key"], part_id))
    return cells


@dataclass
class _Earlier:
    """The region's earlier releases, read once for the checks of a new one."""

    releases: list[CapacityRelease]
    measure: dict[str, str]  # answer part id → measure key, for the new and the earlier parts
    cells: dict[int, list[Cell]]  # release id → its released cells

    @property
    def all_cells(self) -> list[Cell]:
        return [cell for cells in self.cells.values() for cell in cells]


def _earlier(region: Region, contributors: dict[str, Any]) -> _Earlier:
    releases = list(
        CapacityRelease.objects.filter(round__region=region)
        .select_related("round")
        .order_by("released_at", "pk")
    )
    part_ids = _part_ids(contributors)
    for release in releases:
        part_ids |= _part_ids(release.contributors)
    measure = _measures(part_ids)
    cells = {r.pk: _cells(r.figures, r.contributors, measure) for r in releases}
    return _Earlier(releases, measure, cells)


def _withhold_needs_that_split(
    figures: dict[str, Any], contributors: dict[str, Any], earlier: _Earlier
) -> None:
    """Withhold, in ``figures``, the need counts that would split the organisations behind
    the region's earlier counts of that need. A count of yeses tells more than a sum: once a
    difference of two releases covers a group whose members all said yes (or all no), each
    one's answer is known, however large the group. So a need is released again only over
    the same groups as before; otherwise it is withheld in this release (the capacity
    figures can still go)."""
    needs = figures.get("needs") or {}
    if not needs:
        return
    only_needs = {"total": {"key": "regio", "values": {}, "withheld": []}, "sectors": []}
    new = _cells({**only_needs, "needs": needs}, contributors, earlier.measure)
    before, after = atoms(earlier.all_cells), atoms([*earlier.all_cells, *new])
    for part_id, need in needs.items():
        key = earlier.measure.get(part_id)
        if key is None or key not in before:
            continue  # never released before: nothing to split
        if after.get(key, set()) != before[key]:
            need["total"]["yes"] = None
            for row in need["sectors"]:
                row["yes"] = None


def _differencing_refusals(
    region: Region, figures: dict[str, Any], contributors: dict[str, Any], earlier: _Earlier
) -> list[str]:
    """Why releasing ``figures`` beside the region's earlier releases would let a reader
    subtract their way to fewer organisations than the minimum group size (empty: it would
    not). Names the rule and the earlier release, never an organisation."""
    new = _cells(figures, contributors, earlier.measure)
    minimum = region.min_group_size
    reasons = []
    for release in earlier.releases:
        if isolates(new, earlier.cells[release.pk], minimum):
            reasons.append(
                _(
                    "Vrijgave geweigerd: de organisaties achter deze cijfers verschillen van die "
                    "van de vrijgave van %(round)s (%(when)s) in minder dan %(minimum)s "
                    "organisaties. Wie de twee van elkaar aftrekt, kent de cijfers van minder "
                    "dan %(minimum)s organisaties. Geef vrij wanneer dezelfde organisaties "
                    "hebben ingediend als toen, of minstens %(minimum)s meer of minder."
                )
                % {
                    "round": release.round.title,
                    "when": day(release.released_at),
                    "minimum": minimum,
                }
            )
    if not reasons and isolates(new, earlier.all_cells, minimum):
        reasons.append(
            _(
                "Vrijgave geweigerd: samen met de eerdere vrijgaven van deze regio zouden de "
                "cijfers van minder dan %(minimum)s organisaties te herleiden zijn door "
                "vrijgegeven sommen op te tellen en af te trekken."
            )
            % {"minimum": minimum}
        )
    return reasons


def capacity_release(*, region: Region, round_: Round, by: Any) -> CapacityRelease:
    """Release the current figures of ``round_`` (capacity and confidential needs) to everyone
    who may not see them per organisation: once per round. Two releases of one round would
    differ by whatever changed in between (a late submission, a reopened organisation, a
    corrected figure), and several releases can be combined until one organisation is left;
    so there is no second. Across rounds the same holds for the organisations behind the sums:
    a release is refused when, beside the region's earlier releases, some sum or difference of
    released figures would cover fewer organisations than the minimum group size (see
    ``differencing``). Raises ``ReleaseRefused`` when nothing was submitted, the round was
    released before, or the release would give organisations away; ``NotAllowed`` when ``by``
    does not coordinate the region."""
    if not access.coordinates(by, region):
        raise access.NotAllowed(_("Alleen de regiocoördinator kan cijfers vrijgeven."))
    with transaction.atomic():
        # One release per region at a time: lock the region so two coordinators cannot both
        # release (and each pass the differencing check against the other's absence).
        Region.objects.select_for_update().filter(pk=region.pk).first()
        earlier = CapacityRelease.objects.filter(round=round_).first()
        if earlier is not None:
            raise ReleaseRefused(
                [
                    _(
                        "De capaciteitscijfers van deze uitvraag zijn al vrijgegeven op "
                        "%(when)s. Een tweede vrijgave zou het verschil prijsgeven; wat later "
                        "binnenkomt, zien regiolezers in de volgende uitvraag."
                    )
                    % {"when": moment(earlier.released_at)}
                ]
            )
        columns = columns_of(round_)
        found = _figures(round_, columns)
        if not found.sector_of:
            raise ReleaseRefused([_("Er zijn nog geen ingediende capaciteitscijfers.")])
        decided = _decide(region, round_, columns, found, visible=set())
        need_figures, need_contributors = release_figures(region, round_)
        figures = {
            "total": _stored_row(decided.total, columns),
            "sectors": [_stored_row(row, columns) for row in decided.sectors],
            "needs": need_figures,
        }
        contributors = _contributors(columns, found)
        for sector, parts in need_contributors.items():
            contributors.setdefault(sector, {}).update(parts)
        earlier_releases = _earlier(region, contributors)
        if not _cells(figures, contributors, earlier_releases.measure):
            raise ReleaseRefused(
                [
                    _(
                        "Er is nog niets vrij te geven: elke groep is kleiner dan %(minimum)s "
                        "organisaties. Geef vrij wanneer meer organisaties hebben ingediend; "
                        "een uitvraag wordt maar één keer vrijgegeven."
                    )
                    % {"minimum": region.min_group_size}
                ]
            )
        _withhold_needs_that_split(figures, contributors, earlier_releases)
        refusals = _differencing_refusals(region, figures, contributors, earlier_releases)
        if refusals:
            raise ReleaseRefused(refusals)
        release = CapacityRelease.objects.create(
            round=round_, released_by=by, figures=figures, contributors=contributors
        )
        audit_record(
            actor=by,
            action="capacity.release",
            obj=release,
            new={"round": round_.pk, "organisations": decided.total.organisations},
        )
    return release
