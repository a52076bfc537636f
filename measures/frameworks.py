"""Reading and loading ITA frameworks (frameworks/<fiscal year>.yaml; see that file).

`framework_load` replaces one fiscal year's indicators, questions and issue groupings in one
transaction, so loading the same file twice changes nothing; it takes the model classes so the
data migration can run it with the historical models.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .codes import normalize_score_code

SHIPPED = Path(__file__).resolve().parent / "frameworks"


def _check(data) -> list[str]:
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("fiscal_year"), int):
        return [_("The file needs a fiscal_year (BE), e.g. 2567.")]
    numbers = [i.get("number") for i in data.get("indicators", []) if isinstance(i, dict)]
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        problems.append(_("Indicators must be numbered 1, 2, 3 … without gaps."))
    for index, question in enumerate(data.get("questions", []), start=1):
        try:
            code = normalize_score_code(str(question.get("code", "")))
        except ValueError as error:
            problems.append(_("question %(n)s: %(error)s") % {"n": index, "error": error})
            continue
        if code[0] not in "ie":
            problems.append(
                _("question %(n)s: %(code)s is not an IIT or EIT question.")
                % {"n": index, "code": code}
            )
    for grouping in data.get("issue_groupings", []):
        for issue in grouping.get("issues", []):
            for code in issue.get("codes", []):
                try:
                    normalize_score_code(str(code))
                except ValueError as error:
                    problems.append(
                        _("issue %(n)s of %(scheme)s: %(error)s")
                        % {
                            "n": issue.get("number"),
                            "scheme": grouping.get("scheme"),
                            "error": error,
                        }
                    )
    return problems


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
    with transaction.atomic():
        framework, _created = models.Framework.objects.update_or_create(
            fiscal_year=data["fiscal_year"], defaults={"source": data.get("source", "")}
        )
        framework.indicators.all().delete()
        framework.questions.all().delete()
        framework.issues.all().delete()
        models.Indicator.objects.bulk_create(
            models.Indicator(
                framework=framework, number=i["number"], tool=i["tool"], name_th=i["name_th"]
            )
            for i in data.get("indicators", [])
        )
        models.Question.objects.bulk_create(
            models.Question(
                framework=framework,
                code=normalize_score_code(str(q["code"])),
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
                codes=[normalize_score_code(str(c)) for c in issue.get("codes", [])],
            )
            for grouping in data.get("issue_groupings", [])
            for issue in grouping.get("issues", [])
        )
    return framework


def load_shipped(models=None) -> None:
    for path in sorted(SHIPPED.glob("*.yaml")):
        framework_load(read_framework(path.read_text(encoding="utf-8")), models=models)
