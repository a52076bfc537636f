"""What a fiscal year's ITA framework says about scoring, as plain data.

NACC changes the ITA from year to year (a reform was announced in 2026), so nothing here is a
constant: the instruments (IIT, EIT, OIT, or more) with their weights and code prefixes, which
instrument each indicator belongs to, the levels (AA ... F) with their floors, the pass mark and
how many issues a unit's analysis has all come from the framework file
(`measures/frameworks/<year>.yaml`), and `Rules` carries them to the code that scores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Instrument:
    code: str  # "iit"
    name: str  # "IIT"
    weight: Decimal
    prefix: str  # of its question or item codes: "i"


@dataclass(frozen=True)
class Rules:
    instruments: tuple[Instrument, ...]
    indicators: dict[int, str] = field(default_factory=dict)  # number -> instrument code
    bands: tuple[tuple[Decimal, str], ...] = ()  # (floor, label), highest floor first
    pass_mark: Decimal = Decimal(85)
    issue_count: int = 7
    # instrument -> {"minimum": N, "all_staff_when_fewer": bool}: respondents required
    collection: dict = field(default_factory=dict)

    @property
    def weights(self) -> dict[str, Decimal]:
        return {i.code: i.weight for i in self.instruments}

    @property
    def prefixes(self) -> dict[str, Instrument]:
        return {i.prefix: i for i in self.instruments}

    def instrument_of(self, code: str) -> Instrument | None:
        """The instrument of a score code: "3" by its indicator, "e12" by its prefix."""
        if code.isdigit():
            tool = self.indicators.get(int(code))
            return next((i for i in self.instruments if i.code == tool), None)
        return self.prefixes.get(code.rstrip("0123456789"))

    def band(self, score) -> str:
        if score is None:
            return ""
        score = Decimal(score)
        return next((label for floor, label in self.bands if score >= floor), "")

    @classmethod
    def from_data(cls, data: dict) -> Rules:
        """From a framework file's mapping (or a stored framework's fields)."""
        instruments = tuple(
            Instrument(
                str(i["code"]).lower(),
                str(i.get("name") or i["code"]).strip(),
                Decimal(str(i.get("weight", 0))),
                str(i.get("prefix") or str(i["code"])[0]).lower(),
            )
            for i in data.get("instruments") or []
        )
        bands = ((Decimal(str(b["floor"])), str(b["label"])) for b in data.get("bands") or [])
        indicators = {int(i["number"]): str(i["tool"]).lower() for i in data.get("indicators", [])}
        return cls(
            instruments=instruments,
            indicators=indicators,
            bands=tuple(sorted(bands, reverse=True)),
            pass_mark=Decimal(str(data.get("pass_mark", 85))),
            issue_count=int(data.get("issue_count", 7)),
            collection={str(k).lower(): dict(v) for k, v in (data.get("collection") or {}).items()},
        )

    def required_target(self, instrument: str, headcount: int | None) -> int | None:
        """Respondents the framework requires of `instrument`: its minimum, or all the staff
        when the unit has fewer and the rule says so; None when the framework says nothing."""
        rule = self.collection.get(instrument)
        if not rule:
            return None
        minimum = int(rule.get("minimum", 0))
        if rule.get("all_staff_when_fewer") and headcount is not None and headcount < minimum:
            return headcount
        return minimum
