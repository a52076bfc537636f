"""Import ITA results, check what can be checked, and read them back for pages and documents.

One score per row: `unit_code, fiscal_year, code, score` (Thai headers accepted), where code is
overall, rank, group_size, an indicator 1–10, or a question/item code (`codes.py`). Any bad row
and nothing is written; otherwise each unit year's result is replaced as a whole, in one
transaction, unless it is a dry run. Re-importing the same file changes nothing.

Which codes exist, which instrument each indicator belongs to, the weights and the level bands
all come from the framework in force for the fiscal year (`Framework.objects.in_force`,
`measures.rules.Rules`); a checklist scheme may override the weights.

Checks that warn (and never refuse): an indicator that is not the mean of the questions that
feed it, and an overall that is not the weighted mean of the instruments' indicators.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib.importing import (
    Change,
    Importer,
    ImportResult,
    Problem,
    RowProblem,
    no_progress,
    run_import,
)
from oit_items.models import Scheme
from units.models import Unit
from units.policy import Action, can

from .codes import normalize_score_code, sort_key
from .models import Framework, Result, Score
from .rules import Rules

COLUMNS = {
    "unit_code": ["รหัสหน่วยงาน", "หน่วยงาน", "unit"],
    "fiscal_year": ["ปีงบประมาณ", "ปี", "fy", "year"],
    "code": ["รหัส", "ข้อ", "ตัวชี้วัด/ข้อ"],
    "score": ["คะแนน", "ค่า", "value"],
}
REQUIRED = set(COLUMNS)
TOLERANCE = Decimal("0.05")  # published scores are rounded to 2 (sometimes 1) decimals


@dataclass
class Sheet:
    """One unit year's values from the file, with the row each came from."""

    unit: Unit
    fiscal_year: int
    values: dict[str, Decimal] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "").replace("%", "").strip())


def weights_for(rules: Rules, scheme: Scheme | None = None) -> dict[str, Decimal]:
    """The framework's instrument weights, with the checklist scheme's overrides."""
    weights = dict(rules.weights)
    if scheme is not None:
        weights |= {
            code: Decimal(value) for code, value in scheme.weights.items() if code in weights
        }
    return weights


def weighted_overall(
    values: dict[str, Decimal], rules: Rules, weights: dict[str, Decimal]
) -> Decimal | None:
    """The overall score the indicators imply; None unless every indicator is there."""
    by_instrument: dict[str, list[Decimal]] = defaultdict(list)
    for number, tool in rules.indicators.items():
        if str(number) not in values:
            return None
        by_instrument[tool].append(values[str(number)])
    total = sum(weights.get(tool, 0) for tool in by_instrument)
    if not by_instrument or not total:
        return None
    return (
        sum(sum(found) / len(found) * weights.get(tool, 0) for tool, found in by_instrument.items())
        / total
    )


def _plain(number: Decimal) -> str:
    """30.00 → "30", 12.50 → "12.5" (never "3E+1")."""
    return format(number.normalize(), "f")


def checks(
    values: dict[str, Decimal], *, rules: Rules, weights, framework: Framework | None
) -> list[tuple]:
    """(code, message) for every check that fails; the code names the row to point at."""
    found = []
    if framework is not None:
        by_indicator = defaultdict(list)
        for code, indicator in framework.questions.filter(indicator__isnull=False).values_list(
            "code", "indicator"
        ):
            by_indicator[indicator].append(code)
        for number, codes in sorted(by_indicator.items()):
            if str(number) not in values or not all(c in values for c in codes):
                continue
            mean = sum(values[c] for c in codes) / len(codes)
            if abs(mean - values[str(number)]) > TOLERANCE:
                found.append(
                    (
                        str(number),
                        _("indicator %(n)s is %(given)s, but the mean of %(codes)s is %(mean)s.")
                        % {
                            "n": number,
                            "given": values[str(number)],
                            "codes": ", ".join(sorted(codes, key=sort_key)),
                            "mean": round(mean, 2),
                        },
                    )
                )
    implied = weighted_overall(values, rules, weights)
    if implied is not None and "overall" in values and abs(implied - values["overall"]) > TOLERANCE:
        found.append(
            (
                "overall",
                _(
                    "the overall score is %(given)s, but the indicators weighted "
                    "%(weights)s give %(implied)s."
                )
                % {
                    "given": values["overall"],
                    "implied": round(implied, 2),
                    "weights": weights_text(rules, weights),
                },
            )
        )
    return found


def weights_text(rules: Rules, weights: dict[str, Decimal]) -> str:
    """ "IIT 30 / EIT 30 / OIT 40"."""
    return " / ".join(f"{i.name} {_plain(weights[i.code])}" for i in rules.instruments)


class ResultsImporter(Importer):
    """Every row one score of one unit year; a unit year is planned as one `Sheet`."""

    columns, required = COLUMNS, REQUIRED

    def __init__(self, actor=None):
        super().__init__()
        self.actor = actor  # None: the command line, any unit
        self.sheets: dict[tuple[str, int], Sheet] = {}

    def prepare(self, rows) -> None:
        codes = {row.get("unit_code") for row in rows}
        self.units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        self.frameworks: dict[int, Framework | None] = {}

    def framework(self, fiscal_year: int) -> Framework | None:
        """The framework in force for the year: looked up once per year of the file."""
        if fiscal_year not in self.frameworks:
            self.frameworks[fiscal_year] = Framework.objects.in_force(fiscal_year)
        return self.frameworks[fiscal_year]

    def plan_row(self, row) -> None:
        unit = self._unit(row.get("unit_code"))
        fiscal_year = _fiscal_year(row.get("fiscal_year"))
        framework = self.framework(fiscal_year)
        if framework is None:
            raise RowProblem(_("no ITA framework is loaded, so no code can be read."))
        code = _parsed(normalize_score_code, row.get("code"), framework.rules)
        value = _score(code, row.get("score"))
        sheet = self.sheets.setdefault((unit.code, fiscal_year), Sheet(unit, fiscal_year))
        if code in sheet.rows:
            raise RowProblem(
                _("%(code)s of %(unit)s %(fy)s is also on row %(other)s.")
                % {"code": code, "unit": unit.code, "fy": fiscal_year, "other": sheet.rows[code]}
            )
        sheet.values[code], sheet.rows[code] = value, row.number

    def _unit(self, code: str) -> Unit:
        unit = self.units.get(code)
        if unit is None or not (self.actor is None or can(self.actor, Action.EDIT, unit)):
            # The same words whether the unit does not exist or is not the actor's.
            mine = self.actor is not None and not can(self.actor, Action.IMPORT)
            message = (
                _("none of your units has the code “%(code)s”.")
                if mine
                else _("no unit has the code “%(code)s”.")
            )
            raise RowProblem(message % {"code": code})
        return unit

    def plan_together(self) -> None:
        for sheet in self.sheets.values():
            rank, size = sheet.values.get("rank"), sheet.values.get("group_size")
            if rank is not None and size is not None and rank > size:
                self.problem(
                    sheet.rows["rank"],
                    _("rank %(rank)s is beyond the %(size)s units of the group.")
                    % {"rank": rank, "size": size},
                )

    def changes(self) -> list[Change]:
        self.existing = {
            (r.unit.code, r.fiscal_year): r
            for r in Result.objects.filter(unit__in=[s.unit for s in self.sheets.values()])
            .select_related("unit")
            .prefetch_related("scores")
        }
        found = []
        for key, sheet in self.sheets.items():
            old = self.existing.get(key)
            action = "create"
            if old is not None:
                action = "unchanged" if _values_of(old) == sheet.values else "update"
            found.append(
                Change(
                    None, f"{sheet.unit.code} {sheet.fiscal_year}", action, count=len(sheet.values)
                )
            )
        self.actions = {change.key: change.action for change in found}
        return found

    def warnings(self) -> list[Problem]:
        """The checks that do not add up: told, not refused (published scores are rounded)."""
        found = []
        for sheet in self.sheets.values():
            framework = self.framework(sheet.fiscal_year)
            rules = framework.rules
            weights = weights_for(rules, self.scheme(sheet))
            found += [
                Problem(sheet.rows[code], f"{sheet.unit.code} {sheet.fiscal_year}: {message}")
                for code, message in checks(
                    sheet.values,
                    rules=rules,
                    weights=weights,
                    framework=framework if framework.fiscal_year == sheet.fiscal_year else None,
                )
            ]
        return found

    def scheme(self, sheet: Sheet) -> Scheme | None:
        """The unit type's checklist of the year: looked up once per type and year."""
        key = (sheet.unit.unit_type_id, sheet.fiscal_year)
        if not hasattr(self, "schemes"):
            self.schemes: dict[tuple, Scheme | None] = {}
        if key not in self.schemes:
            self.schemes[key] = scheme_for(sheet.unit, sheet.fiscal_year)
        return self.schemes[key]

    def apply(self) -> None:
        for key, sheet in self.sheets.items():
            if self.actions[f"{key[0]} {key[1]}"] != "unchanged":
                _save(sheet, self.existing.get(key), self.actor)


def _parsed(parse, text, *args):
    try:
        return parse(text, *args)
    except ValueError as error:
        raise RowProblem(str(error)) from None


def _fiscal_year(text: str) -> int:
    try:
        fiscal_year = int(text)
        if not 2500 <= fiscal_year <= 2700:
            raise ValueError
    except ValueError:
        raise RowProblem(
            _("“%(year)s” is not a fiscal year in the Buddhist Era, such as 2567.") % {"year": text}
        ) from None
    return fiscal_year


def _score(code: str, text: str) -> Decimal:
    try:
        value = _number(text)
        if not value.is_finite():  # NaN, Infinity: Decimal reads them, no score is one
            raise InvalidOperation
    except InvalidOperation:
        raise RowProblem(
            _("the score of %(code)s, “%(score)s”, is not a number.")
            % {"code": code, "score": text}
        ) from None
    if code in ("rank", "group_size"):
        if value != value.to_integral_value() or value < 1:
            raise RowProblem(
                _("%(code)s must be a whole number from 1, not %(v)s.") % {"code": code, "v": text}
            )
    elif not Decimal(0) <= value <= Decimal(100):
        raise RowProblem(
            _("the score of %(code)s must be from 0 to 100, not %(v)s.") % {"code": code, "v": text}
        )
    return value


def import_results(
    file: BinaryIO, *, filename: str, dry_run: bool = False, actor=None, progress=no_progress
) -> ImportResult:
    """Check every row; apply all or nothing. `actor` None is the command line (any unit);
    otherwise only units the actor may edit (admins: any)."""
    importer = ResultsImporter(actor)
    return run_import(importer, file, filename=filename, dry_run=dry_run, progress=progress)


def _values_of(result: Result) -> dict[str, Decimal]:
    values = {s.code: s.score for s in result.scores.all()}
    for name in ("overall", "rank", "group_size"):
        if getattr(result, name) is not None:
            values[name] = Decimal(getattr(result, name))
    return values


def _save(sheet: Sheet, old: Result | None, actor) -> Result:
    values = dict(sheet.values)
    fields = {
        "overall": values.pop("overall", None),
        "rank": int(values.pop("rank")) if "rank" in values else None,
        "group_size": int(values.pop("group_size")) if "group_size" in values else None,
        "imported_at": timezone.now(),
        "imported_by": actor,
    }
    result, _created = Result.objects.update_or_create(
        unit=sheet.unit, fiscal_year=sheet.fiscal_year, defaults=fields
    )
    result.scores.all().delete()
    Score.objects.bulk_create(Score(result=result, code=c, score=v) for c, v in values.items())
    return result


# --- Reading results back ------------------------------------------------------------------


def is_weak(code: str, score: Decimal, rules: Rules) -> bool:
    """Under the framework's pass mark; a checklist item (scored 0, 50 or 100) under 100."""
    if code.startswith("o"):
        return score < 100
    return score < rules.pass_mark


def scheme_for(unit: Unit, fiscal_year: int) -> Scheme | None:
    return (
        Scheme.objects.published()
        .filter(fiscal_year=fiscal_year, unit_types=unit.unit_type_id)
        .order_by("-version")
        .first()
    )


def texts_for(framework: Framework | None, scheme: Scheme | None) -> dict[str, str]:
    """What each code stands for: the question text, the item title, the indicator name."""
    texts: dict[str, str] = {}
    if framework is not None:
        texts |= {str(i.number): i.name_th for i in framework.indicators.all()}
        texts |= {q.code: q.text_th for q in framework.questions.all()}
    if scheme is not None:
        texts |= {
            code.lower(): title for code, title in scheme.items.values_list("code", "title_th")
        }
    return texts


@dataclass
class Line:
    code: str
    text: str
    score: Decimal
    tool: str
    weak: bool
    band: str = ""


@dataclass
class ResultDetail:
    result: Result
    framework: Framework | None
    indicators: list[Line]
    questions: list[Line]
    warnings: list[str]
    implied_overall: Decimal | None
    weights: dict
    weights_text: str = ""

    @property
    def weak(self) -> list[Line]:
        return [line for line in self.questions if line.weak]


def result_detail(result: Result) -> ResultDetail:
    framework = result.framework
    rules = framework.rules if framework else Rules(instruments=())
    own = framework if framework and framework.fiscal_year == result.fiscal_year else None
    scheme = scheme_for(result.unit, result.fiscal_year)
    texts = texts_for(own, scheme)
    values = _values_of(result)
    indicators, questions = [], []
    for code in sorted(
        (c for c in values if c not in ("overall", "rank", "group_size")),
        key=lambda c: sort_key(c, rules),
    ):
        score = values[code]
        instrument = rules.instrument_of(code)
        name = instrument.name if instrument else ""
        if code.isdigit():
            indicators.append(
                Line(code, texts.get(code, ""), score, name, False, rules.band(score))
            )
        else:
            questions.append(
                Line(code, texts.get(code, ""), score, name, is_weak(code, score, rules))
            )
    weights = weights_for(rules, scheme)
    return ResultDetail(
        result=result,
        framework=own,
        indicators=indicators,
        questions=questions,
        warnings=[
            message
            for _code, message in checks(values, rules=rules, weights=weights, framework=own)
        ],
        implied_overall=weighted_overall(values, rules, weights),
        weights=weights,
        weights_text=weights_text(rules, weights),
    )


def with_frameworks(results: list[Result]) -> list[Result]:
    """Give each result its framework in force from one query, so a page reading the levels of
    many years does not look each one up (the same framework object is shared, its rules read
    once)."""
    frameworks = list(Framework.objects.order_by("fiscal_year"))
    for result in results:
        before = [f for f in frameworks if f.fiscal_year <= result.fiscal_year]
        result.framework = before[-1] if before else (frameworks[0] if frameworks else None)
    return results


def trend_points(results: list[Result], *, width: int = 560, height: int = 220) -> dict:
    """An SVG line chart of the overall score by fiscal year, drawn on the server, with grid
    lines at 0, 50, 100 and the latest framework's pass mark."""
    held = sorted((r for r in results if r.overall is not None), key=lambda r: r.fiscal_year)
    left, right, top, bottom = 44, 16, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(held) - 1, 1)
    points = [
        {
            "x": round(left + (index * step if len(held) > 1 else plot_w / 2), 1),
            "y": round(top + plot_h * (1 - float(r.overall) / 100), 1),
            "year": r.fiscal_year,
            "score": r.overall,
            "band": r.band,
        }
        for index, r in enumerate(held)
    ]
    framework = held[-1].framework if held else None
    lines = {0, 50, 100} | ({int(framework.pass_mark)} if framework else set())
    grid = [{"y": round(top + plot_h * (1 - v / 100), 1), "value": v} for v in sorted(lines)]
    return {
        "width": width,
        "height": height,
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "grid": grid,
        "left": left,
        "right": width - right,
        "baseline": top + plot_h,
    }
