"""The English translation is complete and compiled (Dutch is the source language)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import weerbaar

LOCALE = Path(weerbaar.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"


def po_entries() -> list[tuple[str, list[str]]]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n")[1:]:
        if block.startswith("#~") or "msgid" not in block:
            continue
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid_plural")[0].split("msgstr")[0]))
        msgstrs = [
            "".join(re.findall(r'"(.*)"', part))
            for part in re.split(r"msgstr(?:\[\d\])?", block)[1:]
        ]
        entries.append((msgid, msgstrs))
    return entries


def test_every_message_has_an_english_translation() -> None:
    entries = po_entries()
    assert len(entries) > 150
    assert [msgid for msgid, msgstrs in entries if not all(msgstrs)] == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")


def test_compiled_catalog_matches_the_po_file() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    singles = [msgid for msgid, msgstrs in po_entries() if len(msgstrs) == 1]
    missing = [
        msgid
        for msgid in singles
        if catalog.gettext(msgid.encode().decode("unicode_escape")) == msgid and msgid
    ]
    # Words that are the same in both languages come back unchanged; nothing else may.
    same_in_english = {
        "Scenario A",
        "Scenario B",
        "Telecom/IT",
        "scenario",
        "Gas",
        "Accounts",
        "Crisis",
        "Incident",
        "incident",
        "units",
        "deadline %(when)s",
        "Audit",
        "object",
        "id",
        "label",
        "code",
        "sector",
        "minimum",
        "maximum",
        "Respondent",
        "postcode",
        "Nederlands",
        "English",
        "Weerbaar",
        "Sector",
        "Filter",
        "Filters",
        "Water",
        "Scores",
        "Code",
        "Contact",
        "Trend",
        "Export",
        "Exports",
        "export",
        "exports",
        "Cloud",
        "Minimum",
        "Maximum",
        "Norm",
        "norm",
        "score",
        "API",
        "Status",
        "status",
        "Deadline",
        "deadline",
        "website",
        "Open",
        "Score",
        "%(label)s: %(value)s %(unit)s, norm %(norm)s",
    }
    assert set(missing) <= same_in_english
