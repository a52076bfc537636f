"""The national summary workbook: python benchmarks/summary.py [--fy 2570] [--under RTP]

Against the database DATABASE_URL names, built beforehand by `python manage.py
national_dataset` (PostgreSQL). Writes the summary workbook of every unit year of `--fy` under
`--under` (the whole police tree by default: 7,900 units and 261,660 rows on the national
dataset) as an overseer's export does (`write_summary_xlsx` over `summary_packs`, streamed from
the database in batches), beside openpyxl's write-only mode writing the same rows from a list
made beforehand (the floor: no database, no composing, no formatting), in the same process,
which is set up as a Celery worker is (`lib/startup.settle`). Prints both times, the ratio, and
the peak resident memory of the process while ours ran (measured first, so nothing else has
grown the process yet) and Python's own peak (tracemalloc) in a second run. Figures, not a test.

`measure(years)` is also what `packs.py` runs on its throwaway SQLite database.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(years) -> None:
    """Ours, then the floor, on the unit years `years`; memory of ours, then the ratio."""
    from openpyxl import Workbook

    from packs.data import state_labels, summary_packs
    from packs.kinds.pack_xlsx import summary_columns, summary_row, write_summary_xlsx

    def ours() -> int:
        out = io.BytesIO()
        write_summary_xlsx(out, summary_packs(years))
        return len(out.getvalue())

    before = resident_mib()
    started = time.perf_counter()
    size = ours()
    mine = time.perf_counter() - started
    resident = resident_mib()

    labels = state_labels()
    rows = [
        [pack.unit.code, pack.unit.name_th, *summary_row(item, labels)]
        for pack in summary_packs(years)
        for item in pack.items
    ]
    header = [str(column.header) for column in summary_columns(with_unit=True)]

    def floor() -> int:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("summary")
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return len(out.getvalue())

    started = time.perf_counter()
    floor_size = floor()
    plain = time.perf_counter() - started
    print(f"summary workbook: {years.count()} unit years, {len(rows)} rows")
    print(f"  ours, from the database:           {mine:7.2f} s  ({size / 2**20:.1f} MiB)")
    print(f"  openpyxl write-only, rows ready:   {plain:7.2f} s  ({floor_size / 2**20:.1f} MiB)")
    print(f"  ratio ours / openpyxl alone:       {mine / plain:7.2f}x")
    print(f"  peak resident memory, ours:        {resident:7.0f} MiB (at start {before:.0f})")
    print(f"  peak Python memory, ours:          {peak_mib(ours):7.1f} MiB (tracemalloc)")


def resident_mib() -> float:
    """The process's peak resident set so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_mib(function) -> float:
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fy", type=int, default=2570)
    parser.add_argument("--under", default="RTP", help="the unit whose subtree is summed (RTP)")
    args = parser.parse_args()
    import national

    national.setup("summary")
    from ita_portal.lib.startup import settle
    from units.models import Unit
    from work.models import UnitYear

    settle()
    top = Unit.objects.get(code=args.under)
    measure(UnitYear.objects.filter(fiscal_year=args.fy, unit__path__startswith=top.path))


if __name__ == "__main__":
    main()
