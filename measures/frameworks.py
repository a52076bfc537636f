"""Reading and loading ITA frameworks (frameworks/<fiscal year>.yaml; see that file).

A framework file states its instruments (code, name, weight, code prefix), its indicators
(numbered 1..N, each with its instrument), the level bands and pass mark, how many issues the
analysis has, the IIT/EIT questions and, per checklist scheme, the grouping of questions and
items into issues. `read_framework` refuses a file with every problem named; `framework_load`
replaces one fiscal year in one transaction, so loading the same file twice changes nothing. It
takes the model classes so the data migrations can run it with their historical models.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .codes import normalize_score_code
from .rules import Rules

SHIPPED = Path(__file__).resolve().parent / "frameworks"


def _instrument_problems(data: dict) -> list[str]:
    instruments = data.get("instruments")
    if not isinstance(instruments, list) or not instruments:
        return [_("The file needs its instruments (code, name, weight, prefix), e.g. IIT/EIT/OIT.")]
    problems, codes, prefixes = [], set(), set()
    for index, instrument in enumerate(instruments, start=1):
        if not isinstance(instrument, dict):
            problems.append(_("instrument %(n)s is not a mapping.") % {"n": index})
            continue
        code = str(instrument.get("code", "")).lower()
        prefix = str(instrument.get("prefix") or code[:1]).lower()
        if not re.fullmatch(r"[a-z]{2,10}", code):
            problems.append(
                _("instrument %(n)s: the code “%(code)s” must be 2 to 10 letters.")
                % {"n": index, "code": code}
            )
        if not re.fullmatch(r"[a-z]{1,3}", prefix) or prefix in prefixes:
            problems.append(
                _("instrument %(n)s: the prefix “%(prefix)s” must be 1 to 3 letters, not shared.")
                % {"n": index, "prefix": prefix}
            )
        try:
            if Decimal(str(instrument.get("weight"))) < 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(
                _("instrument %(n)s: the weight “%(weight)s” is not a number.")
                % {"n": index, "weight": instrument.get("weight")}
            )
        codes.add(code)
        prefixes.add(prefix)
    for indicator in data.get("indicators", []):
        if isinstance(indicator, dict) and str(indicator.get("tool", "")).lower() not in codes:
            problems.append(
                _("indicator %(n)s: “%(tool)s” is none of the instruments %(codes)s.")
                % {
                    "n": indicator.get("number"),
                    "tool": indicator.get("tool"),
                    "codes": ", ".join(sorted(codes)),
                }
            )
    return problems


def _scale_problems(data: dict) -> list[str]:
    try:
        floors = [Decimal(str(band["floor"])) for band in data.get("bands") or []]
        [str(band["label"]) for band in data.get("bands") or []]
        Decimal(str(data.get("pass_mark", 85)))
        if int(data.get("issue_count", 7)) < 1:
            raise ValueError
    except (InvalidOperation, ValueError, KeyError, TypeError):
        return [
            _(
                "bands need a floor and a label each, pass_mark a number and issue_count a "
                "whole number from 1."
            )
        ]
    if not floors or min(floors) != 0:
        return [_("The bands must start from a floor of 0, e.g. F from 0.")]
    return []


def _collection_problems(data: dict) -> list[str]:
    found = data.get("collection") or {}
    codes = {
        str(i.get("code", "")).lower() for i in data.get("instruments") or [] if isinstance(i, dict)
    }
    if not isinstance(found, dict):
        return [_("collection must map instruments to their minimum respondents.")]
    problems = []
    for code, rule in found.items():
        if str(code).lower() not in codes:
            problems.append(
                _("collection: “%(code)s” is none of the instruments.") % {"code": code}
            )
        elif not isinstance(rule, dict) or not str(rule.get("minimum", "")).isdigit():
            problems.append(
                _("collection of %(code)s needs a whole-number minimum.") % {"code": code}
            )
    return problems


def _code_problems(data: dict, rules: Rules) -> list[str]:
    problems = []
    for index, question in enumerate(data.get("questions", []), start=1):
        try:
            normalize_score_code(str(question.get("code", "")), rules)
        except ValueError as error:
            problems.append(_("question %(n)s: %(error)s") % {"n": index, "error": error})
    for grouping in data.get("issue_groupings", []):
        for issue in grouping.get("issues", []):
            where = {"n": issue.get("number"), "scheme": grouping.get("scheme")}
            if not 1 <= int(issue.get("number") or 0) <= rules.issue_count:
                problems.append(
                    _("issue %(n)s of %(scheme)s: the framework has %(count)s issues.")
                    % {**where, "count": rules.issue_count}
                )
            for code in issue.get("codes", []):
                try:
                    normalize_score_code(str(code), rules)
                except ValueError as error:
                    problems.append(
                        _("issue %(n)s of %(scheme)s: %(error)s") % {**where, "error": error}
                    )
    return problems


def _check(data) -> list[str]:
    if not isinstance(data, dict) or not isinstance(data.get("fiscal_year"), int):
        return [_("The file needs a fiscal_year (BE), e.g. 2567.")]
    problems = _instrument_problems(data) + _scale_problems(data) + _collection_problems(data)
    numbers = [i.get("number") for i in data.get("indicators", []) if isinstance(i, dict)]
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        problems.append(_("Indicators must be numbered 1, 2, 3 … without gaps."))
    return problems or _code_problems(data, Rules.from_data(data))


def read_framework(text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValidationError(
            _("The file is not valid YAML: %(error)s") % {"error": error}
        ) from None
    problems = _check(data)
    if problems:
        raise ValidationError(problems)
    return data


def framework_load(data: dict, *, models=None):
    """Create or replace the framework of `data["fiscal_year"]`; returns it."""
    if models is None:
        from . import models
    rules = Rules.from_data(data)
    defaults = {"source": data.get("source", "")}
    if hasattr(models.Framework, "instruments"):  # the 0002 migration's model has no rules
        defaults |= {
            "instruments": data["instruments"],
            "bands": data["bands"],
            "pass_mark": rules.pass_mark,
            "issue_count": rules.issue_count,
        }
    if hasattr(models.Framework, "collection"):
        defaults["collection"] = data.get("collection") or {}
    with transaction.atomic():
        framework, _created = models.Framework.objects.update_or_create(
            fiscal_year=data["fiscal_year"], defaults=defaults
        )
        framework.indicators.all().delete()
        framework.questions.all().delete()
        framework.issues.all().delete()
        models.Indicator.objects.bulk_create(
            models.Indicator(
                framework=framework,
                number=i["number"],
                tool=str(i["tool"]).lower(),
                name_th=i["name_th"],
            )
            for i in data.get("indicators", [])
        )
        models.Question.objects.bulk_create(
            models.Question(
                framework=framework,
                code=normalize_score_code(str(q["code"]), rules),
                indicator=q.get("indicator"),
                text_th=q.get("text", ""),
            )
            for q in data.get("questions", [])
        )
        models.Issue.objects.bulk_create(
            models.Issue(
                framework=framework,
                scheme_code=grouping["scheme"],
                number=issue["number"],
                title_th=issue["title_th"],
                codes=[normalize_score_code(str(c), rules) for c in issue.get("codes", [])],
            )
            for grouping in data.get("issue_groupings", [])
            for issue in grouping.get("issues", [])
        )
    return framework


def load_shipped(models=None) -> None:
    for path in sorted(SHIPPED.glob("*.yaml")):
        framework_load(read_framework(path.read_text(encoding="utf-8")), models=models)
