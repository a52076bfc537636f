"""What a hostile upload costs: python benchmarks/uploads.py [--megabytes 1024]

A zip bomb: an .xlsx of about 1 MiB whose one sheet unpacks to `--megabytes` MB (the fault
probe's file took a web worker to 1.13 GB). Measured side by side in one run, with the peak
Python memory (tracemalloc) and the time of each:

1. the floor: reading the uploaded bytes and listing the archive's directory, the least any
   check of an archive does;
2. the portal: `load_sheets`, which checks the archive's directory (`lib/archives.py`) and
   refuses the file before openpyxl opens it;

Before the check, openpyxl opened such a file and a web worker grew to 1.13 GB on a 1 MiB bomb
(the fault probe); opening this one with openpyxl was killed on the development machine.

Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bomb(megabytes: int) -> bytes:
    """A real workbook whose one sheet is `megabytes` MB of rows of one cell (deflated ~1000x)."""
    from openpyxl import Workbook

    plain = io.BytesIO()
    Workbook().save(plain)
    source = zipfile.ZipFile(plain)
    name = "xl/worksheets/sheet1.xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for item in source.infolist():
            if item.filename != name:
                archive.writestr(item, source.read(item))
        with archive.open(name, "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                b"<sheetData>"
            )
            block = b'<row><c t="n"><v>0</v></c></row>' * 32768
            for _ in range(megabytes * 1024 * 1024 // len(block)):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def measure(label: str, action) -> tuple[float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    outcome = action()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"{label:52} {seconds * 1000:9.1f} ms {peak:9.2f} MiB   {outcome}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=1024)
    options = parser.parse_args()
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="ita-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    import django

    django.setup()
    from ita_portal.lib.tabular import TableError, load_sheets

    data = bomb(options.megabytes)
    print(f"a {len(data) / 2**20:.2f} MiB workbook unpacking to {options.megabytes} MB\n")

    def floor():
        read = io.BytesIO(data).read()
        with zipfile.ZipFile(io.BytesIO(read)) as archive:
            return f"{len(read)} bytes read, {len(archive.infolist())} parts listed"

    def portal():
        try:
            load_sheets(io.BytesIO(data), filename="bomb.xlsx")
        except TableError as error:
            return f"refused: {str(error)[:60]}…"
        return "accepted"

    floor_s, floor_mib = measure("1. floor: read the upload, list its parts", floor)
    portal_s, portal_mib = measure("2. the portal: load_sheets (refuses)", portal)
    print(
        f"\nportal / floor: {portal_s / floor_s:.1f}x the time, "
        f"{portal_mib / max(floor_mib, 0.001):.1f}x the peak memory "
        f"(+{portal_mib - floor_mib:.2f} MiB)"
    )


if __name__ == "__main__":
    main()
