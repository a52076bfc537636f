"""The measures document as police stations and immigration offices file it for O23/O24
(seeds 000 and 001), PDF and Word, from the same measures as the analysis document:

1. the ITA indicators (1-10 of the framework the measures prepare for), each with the issues to
   improve that its measures name;
2. the two tracks: One Stop Service, and public information (OIT) with who prepares, controls
   and publishes each O-item of the unit's year;
3. the activity plan, eight columns per indicator (ตัวชี้วัด, ประเด็น, กิจกรรม, ผลผลิต,
   วิธีการสร้างการรับรู้, ระยะเวลา, ผู้รับผิดชอบ, ระยะเวลากำกับติดตาม), on landscape pages;
4. the unit's ITA calendar (ที่, ช่วงระยะเวลา, ขั้นตอน, การดำเนินงาน, ผู้รับผิดชอบ): the NACC
   phases of the year and the unit's own events, the unit's working group responsible;
5. the chief's signature.

It is the export kind `indicator-plan` (scope "plan"); an approved one attaches to the same
O-item as the analysis document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation

from ita_portal.lib import thaidates
from ita_portal.lib.pdf import render_pdf
from packs import docx as word
from packs.kinds import Kind, Options
from packs.kinds.base import DOCX

from .documents import (
    DocumentData,
    document_data,
    export_attach,
    load_plan,
    period_text,
    plan_missing,
    responsible_text,
)
from .models import Committee, Framework, Plan, Track

TITLE = "มาตรการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน"
PLAN_HEADERS = [
    "ตัวชี้วัด",
    "ประเด็นที่ต้องเตรียมความพร้อม/ยกระดับ",
    "กิจกรรมที่จะดำเนินการ",
    "ผลผลิต",
    "วิธีการสร้างการรับรู้",
    "ระยะเวลาแล้วเสร็จ",
    "ผู้รับผิดชอบ",
    "ระยะเวลากำกับติดตาม",
]
INDICATOR_HEADERS = ["ตัวชี้วัดการประเมิน ITA", "ประเด็นที่ต้องปรับปรุงและยกระดับพัฒนา"]
TRACK_HEADERS = ["ด้าน", "ประเด็นที่ต้องปรับปรุง/ยกระดับการพัฒนา", "ผู้รับผิดชอบ"]
ITEM_HEADERS = ["ข้อ", "ข้อมูล", "ผู้รับผิดชอบ"]
CALENDAR_HEADERS = ["ที่", "ช่วงระยะเวลา", "ขั้นตอน", "การดำเนินงาน", "ผู้รับผิดชอบ"]
CLOSING = (
    "จึงกำชับให้เจ้าหน้าที่ในสังกัดทุกคนถือปฏิบัติโดยเคร่งครัด หากมีปัญหาข้อขัดข้องประการใด "
    "ให้นำเรียนผู้บังคับบัญชาหรือคณะทำงานทราบ"
)


@dataclass(frozen=True)
class PlanRow:
    """One row of the activity plan."""

    indicator: str
    cells: list[list[str]]  # the seven columns after the indicator, each as its lines


@dataclass(frozen=True)
class IndicatorGroup:
    heading: str  # "1 การปฏิบัติหน้าที่"; "" for the measures linked to no indicator
    concerns: list[str]
    rows: list[PlanRow]

    @property
    def title(self) -> str:
        """The activity plan's row above the group's measures."""
        return f"ตัวชี้วัดที่ {self.heading}" if self.heading else "มาตรการอื่น"


@dataclass(frozen=True)
class CalendarRow:
    period: str
    stage: str
    work: str
    responsible: str


@dataclass
class IndicatorPlan:
    data: DocumentData
    title: str
    groups: list[IndicatorGroup]
    tracks: list[tuple[str, list[list]]]  # (track heading, rows of TRACK_HEADERS)
    items: list[list]  # rows of ITEM_HEADERS: the O-items of the unit's year
    calendar: list[CalendarRow]

    @property
    def unit(self):
        return self.data.unit

    @property
    def plan(self) -> Plan:
        return self.data.plan


def concern_of(measure) -> str:
    """What the measure improves: as written, else the titles of the issues it answers."""
    return measure.concern or "\n".join(issue.title_th for issue in measure.issues.all())


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def plan_row(measure, number: str) -> PlanRow:
    steps = [f"{n}. {step}" for n, step in enumerate(measure.step_list, start=1)]
    return PlanRow(
        number,
        [
            lines(concern_of(measure)),
            [*lines(measure.title), *steps],
            lines(measure.output),
            measure.channel_labels,
            [period_text(measure)],
            lines(responsible_text(measure)),
            [str(measure.get_follow_up_display())],
        ],
    )


def indicator_groups(plan: Plan, measures: list) -> list[IndicatorGroup]:
    """Every indicator of the framework in order, with its measures; measures linked to none
    last, under "มาตรการอื่น"."""
    framework = Framework.objects.in_force(plan.fiscal_year)
    indicators = list(framework.indicators.all()) if framework else []
    groups = []
    for indicator in indicators:
        linked = [m for m in measures if indicator in m.indicators.all()]
        concerns = list(dict.fromkeys(c for m in linked if (c := concern_of(m))))
        groups.append(
            IndicatorGroup(
                f"{indicator.number} {indicator.name_th}",
                concerns,
                [plan_row(m, str(indicator.number)) for m in linked],
            )
        )
    unlinked = [m for m in measures if not m.indicators.all()]
    if unlinked:
        groups.append(IndicatorGroup("", [], [plan_row(m, "") for m in unlinked]))
    return groups


def track_rows(measures: list, track: str) -> list[list]:
    return [
        [m.title, [line for line in [concern_of(m), *m.step_list] if line], responsible_text(m)]
        for m in measures
        if m.track == track
    ]


def item_rows(unit, fiscal_year: int) -> list[list]:
    """Each O-item of the unit's year with who controls, prepares and publishes it, by work
    line: the OIT track's table (empty when the year is not open)."""
    from packs.kinds.base import load_year
    from packs.kinds.responsibility import responsibility_rows

    try:
        pack = load_year(unit, fiscal_year)
    except LookupError:
        return []
    return [[row.code, row.title, row.assigned_lines()] for row in responsibility_rows(pack)]


def calendar_rows(plan: Plan) -> list[CalendarRow]:
    """The NACC phases of the fiscal year and the unit's own events, by date."""
    from calendar_app.models import Phase, UnitEvent

    first, last = thaidates.fiscal_year_bounds(plan.fiscal_year)
    committee = Committee.objects.filter(unit=plan.unit).order_by("pk").first()
    team = committee.name if committee else ""
    dated: list[tuple[dt.date, CalendarRow]] = []
    for phase in Phase.objects.filter(fiscal_year=plan.fiscal_year):
        span = thaidates.format_date(phase.starts_on, long=True)
        if phase.ends_on != phase.starts_on:
            span += " – " + thaidates.format_date(phase.ends_on, long=True)
        dated.append((phase.starts_on, CalendarRow(span, phase.stage_th, phase.name_th, team)))
    for event in UnitEvent.objects.filter(unit=plan.unit, on__range=(first, last)):
        work = event.title + (f" ณ {event.place}" if event.place else "")
        row = CalendarRow(
            thaidates.format_date(event.on, long=True), str(event.get_kind_display()), work, team
        )
        dated.append((event.on, row))
    return [row for _on, row in sorted(dated, key=lambda pair: pair[0])]


def indicator_plan(plan: Plan) -> IndicatorPlan:
    with translation.override("th"):
        data = document_data(plan, "analysis")
        measures = list(
            plan.measures.select_related("work_line").prefetch_related(
                "indicators", "issues", "responsible__rank"
            )
        )
        return IndicatorPlan(
            data=data,
            title=f"{TITLE} ประจำปีงบประมาณ พ.ศ. {plan.fiscal_year}",
            groups=indicator_groups(plan, measures),
            tracks=[
                (
                    "1) การพัฒนายกระดับการให้บริการ/One Stop Service",
                    track_rows(measures, Track.SERVICE),
                ),
                (
                    "2) ยกระดับการเผยแพร่ข้อมูลสาธารณะ (OIT) ตามแบบตรวจการเปิดเผยข้อมูลสาธารณะ",
                    track_rows(measures, Track.OIT),
                ),
            ],
            items=item_rows(plan.unit, plan.fiscal_year),
            calendar=calendar_rows(plan),
        )


def write_pdf(target, plan: Plan, options: Options) -> None:
    document = indicator_plan(plan)
    with translation.override("th"):
        html = render_to_string(
            "measures/indicator_plan_pdf.html",
            {
                "d": document,
                "signer": document.data.signer,
                "closing": CLOSING,
                "plan_headers": PLAN_HEADERS,
                "indicator_headers": INDICATOR_HEADERS,
                "track_headers": TRACK_HEADERS,
                "item_headers": ITEM_HEADERS,
                "calendar_headers": CALENDAR_HEADERS,
            },
        )
    target.write(render_pdf(html, thai_digits=document.data.thai_digits))


def write_docx(target, plan: Plan, options: Options) -> None:
    document = indicator_plan(plan)
    unit = document.unit
    with translation.override("th"):
        doc = word.new_document()
        word.heading(doc, document.title)
        word.heading(doc, f"ของ{unit.name_th}", size=18)
        doc.add_heading("1. ตัวชี้วัดการประเมิน ITA และประเด็นที่ต้องปรับปรุงและยกระดับพัฒนา", 2)
        word.table(
            doc,
            INDICATOR_HEADERS,
            [[g.heading, g.concerns or ["-"]] for g in document.groups if g.heading],
            [60, 110],
        )
        doc.add_heading("2. แนวทางการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน", 2)
        for heading, rows in document.tracks:
            doc.add_paragraph(heading).runs[0].bold = True
            if rows:
                word.table(doc, TRACK_HEADERS, rows, [50, 80, 40])
        if document.items:
            word.table(doc, ITEM_HEADERS, document.items, [15, 75, 80])
        word.section(doc, landscape=True)
        doc.add_heading(
            "3. มาตรการ/กิจกรรมในการเตรียมความพร้อมรับการประเมินคุณธรรมและความโปร่งใส "
            f"ประจำปีงบประมาณ พ.ศ. {document.plan.fiscal_year}",
            2,
        )
        rows, headings = [], []
        for group in document.groups:
            headings.append(len(rows))
            rows.append([group.title, *[""] * 7])
            rows += [[row.indicator, *row.cells] for row in group.rows] or [
                ["", "ยังไม่มีมาตรการ", *[""] * 6]
            ]
        grid = word.table(doc, PLAN_HEADERS, rows, [14, 38, 52, 30, 30, 28, 34, 24])
        word.span_rows(grid, headings)
        word.section(doc, landscape=False)
        doc.add_heading(
            f"4. ปฏิทินการประเมินคุณธรรมและความโปร่งใส (ITA) ของ{unit.name_th} "
            f"ประจำปีงบประมาณ พ.ศ. {document.plan.fiscal_year}",
            2,
        )
        word.table(
            doc,
            CALENDAR_HEADERS,
            [
                [str(n), r.period, r.stage, r.work, r.responsible]
                for n, r in enumerate(document.calendar, start=1)
            ],
            [10, 38, 35, 55, 32],
        )
        doc.add_paragraph("")
        doc.add_paragraph(CLOSING)
        word.signature(doc, document.data.signer)
        word.save(doc, target, thai_digits=document.data.thai_digits)


KINDS = [
    Kind(
        "indicator-plan-pdf",
        "มาตรการรายตัวชี้วัด แบบสถานีตำรวจ/ตรวจคนเข้าเมือง (PDF)",
        "pdf",
        write_pdf,
        "application/pdf",
        load=load_plan,
        missing=plan_missing,
        attach=export_attach,
        scope="plan",
    ),
    Kind(
        "indicator-plan-docx",
        "มาตรการรายตัวชี้วัด แบบสถานีตำรวจ/ตรวจคนเข้าเมือง (Word)",
        "docx",
        write_docx,
        DOCX,
        load=load_plan,
        missing=plan_missing,
        scope="plan",
    ),
]
