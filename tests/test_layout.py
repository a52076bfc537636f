"""The shape of the code: rules that keep each rule in one home.

- No import cycle between apps (the project package `ita_portal` is below them all: its
  `lib/` serves every app; its urls and views may import apps, and no app imports those).
- No permission decision outside `units/policy.py`: no `is_superuser`, `grants(` or
  `is_admin(` in app code (tests, migrations, admin and the demo aside).
- One definition of who acts next: `work/steps.py`.
- No code points at files a clone does not have (the steering folder `shared/`).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["units", "oit_items", "work", "calendar_app", "packs", "measures", "ops"]


def app_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
    return found


def test_no_import_cycle_between_apps():
    graph = {app: set() for app in APPS}
    for app in APPS:
        for path in app_files(app):
            graph[app] |= (imported_apps(path) & set(APPS)) - {app}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph[start]:
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = [app for app in APPS if reaches(app, app, {app})]
    assert cycles == [], {app: sorted(graph[app]) for app in cycles}


DECISIONS = re.compile(r"\bis_superuser\b|\bgrants\(|\bis_admin\(")
ALLOWED = {ROOT / "units" / "policy.py", ROOT / "ops" / "demo.py"}  # the demo creates one


def test_no_permission_decision_outside_the_policy():
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in [*APPS, "ita_portal"]
        for path in ((ROOT / app).rglob("*.py") if app == "ita_portal" else app_files(app))
        if path not in ALLOWED and path.name != "admin.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DECISIONS.search(line)
    ]
    assert offending == []


def test_one_definition_of_who_acts_next():
    defining = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in app_files(app)
        if re.search(r"^(ACTS_ON|NEXT_ACTORS|def next_step)\b", path.read_text(), re.MULTILINE)
    ]
    assert defining == ["work/steps.py"]


def test_no_code_points_outside_the_repository():
    pointing = [
        str(path.relative_to(ROOT))
        for app in [*APPS, "ita_portal", "benchmarks", "templates"]
        for path in (ROOT / app).rglob("*")
        if path.suffix in {".py", ".html", ".txt", ".yaml"}
        and re.search(r"shared/|PITFALLS|STYLE\.md", path.read_text("utf-8"))
    ]
    assert pointing == []


IMPORTERS = ["units/imports.py", "measures/results.py", "ita_portal/lib/importing.py"]


def test_importers_plan_per_row_in_small_functions():
    """Importers are per-row planning plus one apply step (ita_portal.lib.importing): no
    function above cyclomatic complexity 15 (radon), where 40-60 were before."""
    from radon.complexity import cc_visit

    too_complex = [
        f"{path}:{block.lineno} {block.name} ({block.complexity})"
        for path in IMPORTERS
        for block in cc_visit((ROOT / path).read_text(encoding="utf-8"))
        if block.complexity > 15
    ]
    assert too_complex == []


# The heartbeat is the one job with no command: recorded by hand it would claim that beat and
# a worker are alive when nobody knows.
NO_COMMAND = {"heartbeat_record"}


def test_every_beat_schedule_names_a_registered_task_with_one_name_everywhere():
    """One name per job: the schedule's name is the task's last part, the name of the command
    that runs it by hand, and the name of the service the task calls."""
    import importlib

    from django.core.management import get_commands

    from ita_portal.celery import app

    app.finalize()
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert set(schedule) == {
        "heartbeat_record",
        "overdue_chase",
        "notifications_send",
        "links_check",
        "exports_resume",
        "exports_clean",
        "evidence_purge",
        "captures_before_deadline",
    }
    commands = get_commands()
    for name, entry in schedule.items():
        task = entry["task"]
        assert task in app.tasks, f"{name}: {task} is not a registered task"
        assert task.rsplit(".", 1)[-1] == name
        app_label = task.split(".", 1)[0]
        if name not in NO_COMMAND:
            assert commands.get(name) == app_label, f"no command {name} in {app_label}"
        homes = ["services", "chaser", "notify", "links", "evidence"]
        assert any(
            callable(getattr(_module(importlib, f"{app_label}.{home}"), name, None))
            for home in homes
        ), f"no service {name} in {app_label}"


def _module(importlib, dotted: str):
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError:
        return None


def test_html_templates_read_in_lines_of_about_120_characters():
    """Wrapped where whitespace does not matter; what is left over 120 is one opening tag
    that cannot be cut (a long class or href condition, an SVG path, a translation's
    arguments). Mail templates (.txt) keep their lines: there whitespace is the text."""
    long_lines = [
        f"{path.relative_to(ROOT)}:{number} ({len(line)})"
        for path in sorted(ROOT.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if len(line) > 120
    ]
    assert all(int(entry.rsplit("(", 1)[1][:-1]) <= 240 for entry in long_lines), long_lines
    assert len(long_lines) <= 20, long_lines


def test_no_inline_script_in_any_template():
    """The Content-Security-Policy allows scripts from the portal's static files only: no
    <script> with a body, no on...= handler attribute, no javascript: link."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|javascript:", re.IGNORECASE)
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if inline.search(line)
    ]
    assert found == []
