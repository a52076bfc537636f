"""Which item of one checklist is which item of another.

NACC, RTP and DLA lists renumber from year to year (an item added early moves every code after
it), so an item is matched by its code only while its title still says the same thing, and
otherwise by its title: exactly, then closely. Years in titles ("ปี 2567") are ignored, so
a list carried forward still matches its source. Used to compare schemes, to show what a new
list renumbered, and to copy a unit's assignments from any earlier year.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from ita_portal.lib.thaitext import normalize

_YEAR = re.compile(r"(?<!\d)25\d\d(?!\d)")
SIMILAR = 0.8


@dataclass
class Pair:
    left: Any
    right: Any
    how: str  # "same" (by code), "renumbered" (by title), "only_left", "only_right"


def title_key(title: str) -> str:
    return _YEAR.sub("", normalize(title)).replace(" ", "")


def similar(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(None, title_key(a), title_key(b)).ratio() >= SIMILAR


def match_items(lefts: list, rights: list) -> list[Pair]:
    """Pairs in the left list's order, then what only the right list has. Items are anything
    with `code` and `title_th`."""
    right_by_code = {item.code: item for item in rights}
    pairs: list[Pair] = []
    used: set[int] = set()
    unmatched = []
    for item in lefts:
        other = right_by_code.get(item.code)
        if other is not None and similar(item.title_th, other.title_th):
            used.add(id(other))
            pairs.append(Pair(item, other, "same"))
        else:
            unmatched.append(item)
    remaining = [item for item in rights if id(item) not in used]
    for item in unmatched:
        match = next(
            (o for o in remaining if title_key(o.title_th) == title_key(item.title_th)), None
        )
        match = match or next((o for o in remaining if similar(o.title_th, item.title_th)), None)
        if match is not None:
            remaining.remove(match)
            pairs.append(Pair(item, match, "renumbered"))
        else:
            pairs.append(Pair(item, None, "only_left"))
    return pairs + [Pair(None, item, "only_right") for item in remaining]
