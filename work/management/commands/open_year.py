from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from oit_items.models import Scheme
from units.models import Unit
from work.services import unit_year_open


class Command(BaseCommand):
    help = (
        "Open a fiscal year for units: their year, and every submission the checklist's rules "
        "imply. Idempotent: running it again creates nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scheme", required=True, help="Checklist code, e.g. police_station-2567"
        )
        parser.add_argument(
            "--fy", type=int, required=True, help="Fiscal year (BE); must be the checklist's"
        )
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--units", help="Unit codes, comma separated")
        which.add_argument("--under", help="Every unit of the checklist's types below this unit")

    def handle(self, *args, scheme: str, fy: int, units: str | None, under: str | None, **options):
        found = Scheme.objects.published().filter(code=scheme).order_by("-version").first()
        if found is None:
            raise CommandError(f"No published checklist {scheme}.")
        if found.fiscal_year != fy:
            raise CommandError(f"{scheme} is for fiscal year {found.fiscal_year}, not {fy}.")
        types = set(found.unit_types.values_list("pk", flat=True))
        if units:
            codes = [code.strip() for code in units.split(",") if code.strip()]
            chosen = list(Unit.objects.filter(code__in=codes).select_related("unit_type"))
            missing = sorted(set(codes) - {unit.code for unit in chosen})
            if missing:
                raise CommandError(f"Unknown unit code(s): {', '.join(missing)}")
            skipped = 0
        else:
            top = Unit.objects.filter(code=under).first()
            if top is None:
                raise CommandError(f"Unknown unit code: {under}")
            below = list(Unit.objects.under(top).active().select_related("unit_type"))
            chosen = [unit for unit in below if unit.unit_type_id in types]
            skipped = len(below) - len(chosen)
        created_years = created_submissions = 0
        try:
            with transaction.atomic():
                for unit in chosen:
                    existed = unit.years.filter(fiscal_year=fy).exists()
                    _year, created = unit_year_open(unit=unit, scheme=found)
                    created_years += not existed
                    created_submissions += created
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(chosen)} unit(s): {created_years} year(s) opened, {created_submissions} "
                f"submission(s) created"
                + (f"; {skipped} unit(s) of other types skipped" if skipped else "")
                + "."
            )
        )
