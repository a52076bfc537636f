from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from measures.frameworks import framework_load, read_framework


class Command(BaseCommand):
    help = (
        "Load or replace one fiscal year's ITA framework (indicators, IIT/EIT questions, the "
        "seven-issue grouping per checklist) from YAML; see measures/frameworks/2567.yaml."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            data = read_framework(file.read_text(encoding="utf-8"))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        framework = framework_load(data)
        self.stdout.write(
            f"ITA {framework.fiscal_year}: {framework.indicators.count()} indicators, "
            f"{framework.questions.count()} questions, {framework.issues.count()} issues"
        )
