"""Demo measures data: อบต.ดูน's FY2567 ITA results exactly as seed 004 prints them,
imported through the real importer."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone, translation

from ita_portal.lib import thaidates

from .models import Measure, Plan
from .results import import_results

DEMO_DATA = Path(__file__).resolve().parent / "demo_data"


def load_results(log: Callable[[str], None]) -> None:
    from .frameworks import load_shipped
    from .models import Framework

    if not Framework.objects.exists():  # a flushed database (tests) lost the migration's rows
        load_shipped()
    path = DEMO_DATA / "dun-2567-results.csv"
    with path.open("rb") as file:
        result = import_results(file, filename=path.name)
    if not result.ok:
        raise RuntimeError("; ".join(str(p) for p in result.problems))
    if any(change.action != "unchanged" for change in result.changes):
        log("measures: อบต.ดูน's FY2567 ITA results (seed 004)")


# --- อบต.ดูน: seed 004's analysis and FY2568 measures ---------------------------------------

DUN = "DLA-SISAKET-KANTHARAROM-DUN"
# The analyses seed 004 printed (issues 1, 3, 4, 5); it left issues 2, 6 and 7 empty.
DUN_ANALYSES = {
    1: (
        "การรายงานผลการดำเนินงานประจำปีผลการดำเนินงานตามแผนดำเนินงานประจำปี พ.ศ. 2566 "
        "ไม่ครบถ้วนตามองค์ประกอบ",
        "หน่วยงานควรจัดทำและเผยแพร่ข้อมูลรายงานผลการดำเนินงานประจำปีที่มีเนื้อหาและองค์ประกอบ"
        "ถูกต้องครบถ้วนตามหลักเกณฑ์การประเมิน",
        "กำหนดให้จัดทำและเผยแพร่ข้อมูลรายงานผลการดำเนินงานประจำปีที่มีเนื้อหาและองค์ประกอบถูกต้องครบถ้วน",
    ),
    3: (
        "ไม่แสดงข้อมูลผู้บริหารฝ่ายข้าราชการประจำ",
        "จัดทำและเผยแพร่ข้อมูลผู้บริหารที่มีเนื้อหาและองค์ประกอบถูกต้องครบถ้วนตามหลักเกณฑ์การประเมิน",
        "เผยแพร่ข้อมูลผู้บริหารที่มีเนื้อหาและองค์ประกอบถูกต้องครบถ้วน",
    ),
    4: (
        "บุคลากรในหน่วยงานบางรายมีการขอยืมทรัพย์สินของทางราชการไปใช้ปฏิบัติงานอย่างไม่ถูกต้อง",
        "หน่วยงานควรระบุขั้นตอนและแนวทางในการขอยืมทรัพย์สินของทางราชการตามประเภทงานด้านต่าง ๆ "
        "ไว้ในคู่มือหรือแนวทางการปฏิบัติงานอย่างชัดเจน",
        "ประชาสัมพันธ์คู่มือหรือแนวทางการขอยืมทรัพย์สินของราชการให้แก่บุคลากรในหน่วยงานได้รับทราบ",
    ),
    5: (
        "การจัดซื้อจัดจ้างหรือการจัดหาพัสดุไม่ได้แสดงประกาศการจัดซื้อจัดจ้างฯ ของหน่วยงาน "
        "เช่น ประกาศเชิญชวน ประกาศผู้ชนะราคา",
        "จัดทำและเผยแพร่ข้อมูลแผนการจัดซื้อจัดจ้างและประกาศต่าง ๆ เกี่ยวกับการจัดซื้อจัดจ้างหรือ"
        "การจัดหาพัสดุ ที่มีเนื้อหาและองค์ประกอบถูกต้องครบถ้วน",
        "จัดทำคู่มือการจัดซื้อจัดจ้างหรือการจัดหาพัสดุและประกาศการจัดซื้อจัดจ้างฯ ของหน่วยงาน",
    ),
}
# Seed 004's nine measures: title, steps, responsible, period, and (the demo's own reading;
# the seed links none) the issues and items each answers.
DUN_MEASURES = [
    (
        "จัดทำคู่มือ/แนวทางการปฏิบัติงานหรือการให้บริการที่กำหนดผู้รับผิดชอบ ขั้นตอน และระยะเวลาให้ชัดเจน "
        "และเผยแพร่ให้ข้าราชการและเจ้าหน้าที่ทราบและยึดถือปฏิบัติ สร้างระบบการประเมินประสิทธิภาพการให้บริการ "
        "ณ จุดให้บริการ และกำหนดมาตรการบริหารงานบุคคลตามหลักคุณธรรมและความสามารถ",
        "จัดทำคู่มือ/แนวทางการปฏิบัติงานหรือการให้บริการที่กำหนดผู้รับผิดชอบ ขั้นตอน และระยะเวลาให้ชัดเจน\n"
        "แจกเวียนให้บุคลากรภายในรับทราบ\n"
        "เผยแพร่คู่มือ/แนวทางการปฏิบัติงานลงในช่องทางการติดต่อภายในหน่วยงานทุกชนิด เช่น เว็บไซต์ "
        "บอร์ดประชาสัมพันธ์",
        "กองการเจ้าหน้าที่",
        ("dates", (2024, 10, 1), (2024, 12, 31)),
        [1],
        ["o10", "o11"],
        ["website", "sign"],
    ),
    (
        "จัดประชุมประจำเดือน เพื่อสร้างกระบวนการปรึกษาหารือระหว่างผู้บริหารและบุคลากร "
        "เพื่อร่วมกันทบทวนปัญหาและอุปสรรคในการปฏิบัติงานอย่างเป็นระบบ",
        "จัดประชุมเพื่อสร้างกระบวนการปฏิบัติงานอย่างเป็นระบบในหน่วยงาน\n"
        "นำปัญหา ข้อเสนอแนะที่ได้แจ้งเวียนให้บุคลากรภายในได้รับทราบ",
        "กองการเจ้าหน้าที่",
        ("monthly", None, None),
        [1],
        ["i1", "i2"],
        ["meeting"],
    ),
    (
        "ส่งเสริมให้ผู้รับบริการและประชาชนทั่วไปมีส่วนร่วมในการแสดงความคิดเห็นหรือให้คำแนะนำ"
        "ในการพัฒนาและปรับปรุงคุณภาพและมาตรฐานการให้บริการ",
        "จัดทำแบบประเมินความพึงพอใจในการบริการของหน่วยงาน\n"
        "เพิ่มช่องทางการแสดงความคิดเห็น/ข้อเสนอแนะ ในช่องทางการติดต่อทุกชนิด",
        "กองการเจ้าหน้าที่",
        ("quarterly", None, None),
        [2],
        ["e7", "e8", "o25"],
        ["website", "qr"],
    ),
    (
        "จัดทำช่องทางการติดต่อ-สอบถามข้อมูลให้เป็นการสื่อสารสองทาง และช่องทางรับฟังความคิดเห็นของ"
        "ผู้รับบริการ และพัฒนาระบบการให้บริการประชาชนผ่านระบบฐานข้อมูล Smart Law ของกรมการปกครอง",
        "ผู้บริหารกำหนดผู้รับผิดชอบ\nจัดทำช่องทางการสื่อสารให้สะดวกและตอบสนองความต้องการแก่ผู้ที่มาใช้บริการ",
        "เจ้าหน้าที่ประชาสัมพันธ์",
        ("q1", None, None),
        [2, 3],
        ["o6", "o13", "e9"],
        ["website", "facebook", "line"],
    ),
    (
        "พัฒนาวิธีการเข้าถึงช่องทางในการประชาสัมพันธ์ให้หลากหลายและมีประสิทธิภาพ "
        "และส่งเสริมให้เจ้าหน้าที่ที่เกี่ยวข้องเพิ่มพูนทักษะและความรู้อย่างสม่ำเสมอ",
        "จัดทำโครงการอบรมแก่เจ้าหน้าที่ที่เกี่ยวข้องภายในหน่วยงาน\n"
        "ติดต่อวิทยากรเพื่อนำมาอบรมแก่เจ้าหน้าที่\n"
        "ติดตามความก้าวหน้า การดำเนินงาน และรายงานผลอย่างสม่ำเสมอ",
        "เจ้าหน้าที่ประชาสัมพันธ์",
        ("dates", (2025, 4, 1), (2025, 9, 30)),
        [3],
        ["e4", "e5"],
        ["facebook", "line"],
    ),
    (
        "เปิดเผยข้อมูลแผนการจัดซื้อจัดจ้างหรือแผนการจัดหาพัสดุ แผนการใช้จ่ายงบประมาณ "
        "และการเบิกจ่ายงบประมาณอย่างเปิดเผยและพร้อมรับการตรวจสอบ ตลอดจนรายงานผลอย่างสม่ำเสมอ",
        "จัดทำคำสั่งมอบหมายหน่วยงาน/เจ้าหน้าที่ที่เกี่ยวข้องจัดทำแผน\n"
        "เผยแพร่แผนการใช้จ่ายงบประมาณและการจัดซื้อจัดจ้างประจำปีผ่านช่องทางของสำนักงาน "
        "และปรับปรุงข้อมูลอยู่เสมอ",
        "งานพัสดุ/กองคลัง",
        ("monthly", None, None),
        [5],
        ["o14", "o15"],
        ["website"],
    ),
    (
        "ประชาสัมพันธ์สร้างความรู้ความเข้าใจให้บุคลากรภายในหน่วยงาน เปิดโอกาสให้บุคลากรมีส่วนร่วม"
        "ในการจัดทำงบประมาณ และจัดทำรายงานผลการจัดซื้อจัดจ้างให้เป็นปัจจุบัน",
        "จัดประชุมชี้แจงข้อมูลการใช้จ่ายงบประมาณ แผนการจัดซื้อจัดจ้าง\n"
        "รายงานผลการจัดซื้อจัดจ้างหรือจัดหาพัสดุให้ผู้บริหารทราบทุกเดือน\n"
        "ประกาศเผยแพร่แผนและผลการจัดซื้อจัดจ้างทางเว็บไซต์หน่วยงานหรือสื่อออนไลน์",
        "งานพัสดุ/กองคลัง",
        ("monthly", None, None),
        [5],
        ["o16", "o17", "i4"],
        ["website", "meeting"],
    ),
    (
        "ประชาสัมพันธ์ให้บุคลากรทราบรายละเอียดของตำแหน่งงาน (job description) และเกณฑ์การประเมินผล"
        "การปฏิบัติงาน และเปิดรับฟังความคิดเห็นเพื่อปรับปรุงประสิทธิภาพการปฏิบัติงาน",
        "จัดทำและดำเนินการตามนโยบายหรือแผนการบริหารทรัพยากรบุคคล\n"
        "กำหนดหลักเกณฑ์การประเมินผลการปฏิบัติงานรายบุคคลที่เชื่อมโยงกับผลการปฏิบัติงานขององค์กร\n"
        "แจ้งเวียนให้บุคลากรทราบรายละเอียดของตำแหน่งงานและเกณฑ์การประเมินผลการปฏิบัติงาน",
        "กองการเจ้าหน้าที่",
        ("q1", None, None),
        [6],
        ["o18", "o19"],
        ["meeting"],
    ),
    (
        "จัดทำมาตรการป้องกันและมีระบบการติดตามตรวจสอบพฤติกรรมทุจริตอย่างชัดเจนและเปิดเผย "
        "นำผลการประเมิน ITA ไปปรับปรุงการทำงาน จัดทำมาตรการจัดการความเสี่ยงการทุจริตประจำปี "
        "และแต่งตั้งคณะกรรมการขับเคลื่อนเรื่องจริยธรรม",
        "วิเคราะห์และประเมินความเสี่ยงการทุจริต กำหนดมาตรการป้องกันการทุจริตภายในหน่วยงาน "
        "และเผยแพร่ให้บุคลากรรับทราบ\n"
        "นำผลการวิเคราะห์ ITA ปรับปรุงการปฏิบัติงานให้มีประสิทธิภาพยิ่งขึ้น\n"
        "แต่งตั้งคณะกรรมการขับเคลื่อนเรื่องจริยธรรม จัดทำมาตรฐานทางจริยธรรม และ Dos & Don'ts\n"
        "จัดกิจกรรม/โครงการฝึกอบรม สอดแทรกสาระด้านจริยธรรมของเจ้าหน้าที่ของรัฐ",
        "สำนักปลัด/หน่วยตรวจสอบภายใน",
        ("monthly", None, None),
        [6, 7],
        ["o21", "o30", "o31", "o34"],
        ["website", "meeting"],
    ),
]


def _measure(plan, actor, order: int, spec) -> Measure:
    title, steps, responsible, (period, start, end), issues, codes, channels = spec
    return _save_measure(
        plan,
        actor,
        order,
        {
            "title": title,
            "steps": steps,
            "responsible_text": responsible,
            "period": period,
            "starts_on": dt.date(*start) if start else None,
            "ends_on": dt.date(*end) if end else None,
            "issue_numbers": issues,
            "item_codes": codes,
            "channels": channels,
        },
    )


def _save_measure(plan, actor, order: int, values: dict) -> Measure:
    """A measure through the same form and service the page uses."""
    from .forms import MeasureForm
    from .services import measure_save

    issues = plan.analyses.filter(issue__number__in=values["issue_numbers"]).values_list(
        "issue_id", flat=True
    )
    data = {
        "title": values["title"],
        "steps": values["steps"],
        "period": values["period"],
        "follow_up": "monthly",
        "status": "planned",
        "responsible_text": values["responsible_text"],
        "item_codes": ", ".join(values["item_codes"]),
        "channels": values["channels"],
        "issues": list(issues),
        "track": values.get("track", ""),
        "concern": values.get("concern", ""),
        "starts_on": thaidates.format_date(values["starts_on"]) if values["starts_on"] else "",
        "ends_on": thaidates.format_date(values["ends_on"]) if values["ends_on"] else "",
    }
    with translation.override("th"):
        form = MeasureForm(data, plan=plan)
        form.data["indicators"] = [
            i.pk
            for i in form.fields["indicators"].queryset
            if i.number in values.get("indicator_numbers", [])
        ]
        if not form.is_valid():
            raise RuntimeError(form.errors.as_text())
    measure = measure_save(plan=plan, actor=actor, form=form)
    Measure.objects.filter(pk=measure.pk).update(order=order)
    return measure


def _user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def load_dun_measures(log: Callable[[str], None]) -> None:
    from units.models import Unit

    from .services import analysis_save, plan_move, plan_open

    unit = Unit.objects.get(code=DUN)
    if Plan.objects.filter(unit=unit, fiscal_year=2568).exists():
        return
    secretary, chief = _user("dun.secretary"), _user("dun.chief")
    plan = plan_open(unit=unit, fiscal_year=2568, actor=secretary)
    analysis_save(
        plan=plan,
        actor=secretary,
        analyses={
            a.pk: dict(
                zip(
                    ["weakness", "development", "maintain"],
                    DUN_ANALYSES[a.issue.number],
                    strict=True,
                ),
                chosen=True,
            )
            if a.issue.number in DUN_ANALYSES
            else {"chosen": False}
            for a in plan.analyses.select_related("issue")
        },
    )
    for order, spec in enumerate(DUN_MEASURES, start=1):
        _measure(plan, secretary, order, spec)
    plan_move(plan=plan, actor=secretary, move="submit", expected_version=plan.version)
    plan_move(plan=plan, actor=chief, move="approve", expected_version=plan.version)
    log("measures: อบต.ดูน's analysis and FY2568 measures (seed 004), approved by its chief")


# --- ตม.จว.ตรัง: seed 002's orders, meetings and results (the people are the demo's) ----------

TRANG = "IMM-D6-TRANG"
COMMITTEE = "คณะกรรมการกำกับ ติดตาม และดูแลงานการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
TRANG_MEETINGS = [  # (date, time, agenda as "title | resolution") from seed 002; numbers are ours
    (
        (2024, 12, 27),
        (9, 0),
        [
            "ผู้บังคับบัญชาชี้แจงความเป็นมาและความสำคัญของการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2568 | รับทราบ",
            "เครื่องมือการประเมิน IIT EIT OIT และกลุ่มตัวอย่าง (IIT ไม่น้อยกว่า 100 คน EIT ไม่น้อยกว่า 300 คน) | รับทราบ",
        ],
    ),
    (
        (2025, 1, 22),
        (13, 30),
        [
            "ศึกษาและวิเคราะห์กรอบการประเมิน ประเด็นที่ต้องดำเนินการและปรับปรุง | มอบหมายผู้รับผิดชอบตามผนวก ก. แนบท้ายคำสั่ง",
            "นโยบายต่อต้านการรับสินบน No Gift Policy | ให้ถือปฏิบัติอย่างเคร่งครัด",
        ],
    ),
    (
        (2025, 2, 14),
        (10, 0),
        [
            "ติดตามผลการเก็บข้อมูล EIT ของแต่ละสายงาน | ให้แต่ละสายงานเร่งรัดให้ครบตามเป้าหมาย",
        ],
    ),
    (
        (2025, 3, 13),
        (14, 30),
        [
            "ตรวจสอบการดำเนินงานในระบบ ITAP และเว็บไซต์ ตม.จว.ตรัง | ให้เผยแพร่ข้อมูล OIT ให้ครบตามเกณฑ์ภายในกำหนด",
        ],
    ),
]
# Seed 002's areas as seeds 000 and 001 plan them: track, indicators, the issue to improve.
TRANG_LINKS = [
    ("service", [1, 6], "ยกระดับการให้บริการ ณ จุดบริการ One Stop Service"),
    ("oit", [7], "เพิ่มช่องทางการสื่อสารและการเข้าถึงข้อมูลของผู้รับบริการ"),
    ("oit", [9, 10], "เผยแพร่ข้อมูลสาธารณะให้ครบถ้วนและเป็นปัจจุบันตามแบบตรวจ OIT"),
]

TRANG_MEASURES = [  # (area, results as (date, text)) from seed 002
    (
        "การพัฒนาระดับการให้บริการ/One Stop Service",
        [
            (
                (2025, 1, 15),
                "จัดเจ้าหน้าที่ประจำจุดบริการและให้ความช่วยเหลือตลอดเวลา แนะนำขั้นตอนการรับบริการ "
                "ด้วยจิตบริการ กิริยาวาจาสุภาพ",
            ),
            ((2025, 2, 10), "ปรับปรุงป้ายพันธสัญญา ป้ายขั้นตอนและระยะเวลาการขออยู่ต่อ ภาษาไทยและภาษาอังกฤษ"),
            (
                (2025, 2, 10),
                "ติดป้าย No Gift Policy งดรับ งดให้ ของขวัญและของกำนัลในทุกโอกาส ภาษาไทยและ"
                "ภาษาอังกฤษ หน้าสำนักงาน พร้อมช่องทางแจ้งเบาะแส",
            ),
            ((2025, 3, 5), "จัดสิ่งอำนวยความสะดวก ที่จอดรถ ทางลาดสำหรับรถเข็น ที่นั่งเพียงพอ น้ำดื่ม และห้องน้ำ"),
        ],
    ),
    (
        "ประชาสัมพันธ์บทบาท ภารกิจ และผลการดำเนินงานของหน่วยงาน",
        [
            (
                (2025, 2, 20),
                "จัดทำอินโฟกราฟิกและสื่อประชาสัมพันธ์การดาวน์โหลดคู่มือการให้บริการ "
                "และเผยแพร่มาตรการป้องกันการรับสินบน ณ จุดให้บริการ",
            ),
        ],
    ),
    (
        "มอบหมายผู้รับผิดชอบการยกระดับการเผยแพร่ข้อมูลสาธารณะ (OIT)",
        [
            ((2025, 1, 22), "ประชุมมอบหมายผู้รับผิดชอบข้อมูล OIT ให้แต่ละสายงานจัดทำข้อมูลตามกรอบที่กำหนด"),
            ((2025, 3, 13), "ตรวจสอบการเผยแพร่ข้อมูลบนเว็บไซต์หลักของหน่วยงานและในระบบ ITAP"),
        ],
    ),
]


def _photo(name: str) -> io.BytesIO:
    from work.demo import _jpg

    upload = io.BytesIO(_jpg())
    upload.name = name
    return upload


def load_trang_report(log: Callable[[str], None]) -> None:
    from units.models import Unit

    from .governance import committee_save, meeting_save, order_save, parse_numbered
    from .services import plan_move, plan_open, progress_add, report_sign

    unit = Unit.objects.get(code=TRANG)
    if Plan.objects.filter(unit=unit, fiscal_year=2568).exists():
        return
    secretary, chief = _user("trang.secretary"), _user("trang.chief")
    first = order_save(
        unit=unit,
        actor=secretary,
        order=None,
        data={
            "number": parse_numbered("27/2567"),
            "dated": dt.date(2024, 12, 27),
            "title": "แต่งตั้งคณะกรรมการดำเนินงานในการขับเคลื่อนและกำกับติดตามการประเมินคุณธรรมและ"
            "ความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
        },
    )
    order_save(
        unit=unit,
        actor=secretary,
        order=None,
        data={
            "number": parse_numbered("41/2568"),
            "dated": dt.date(2025, 4, 21),
            "title": "แต่งตั้งคณะกรรมการกำกับ ติดตาม และดูแลงานการประเมิน ITA (แก้ไขเพิ่มเติม) "
            "พร้อมผนวก ก. การมอบหมายผู้รับผิดชอบข้อมูล IIT EIT และ OIT",
        },
    )
    people = {
        o.user.username: o
        for o in unit.officers.filter(user__isnull=False).select_related("user", "rank")
    }
    members = [
        (people["trang.chief"].display_name + " " + people["trang.chief"].position, "chair"),
        (
            people["trang.controller"].display_name + " " + people["trang.controller"].position,
            "member",
        ),
        (
            people["trang.secretary"].display_name + " " + people["trang.secretary"].position,
            "secretary",
        ),
        (
            people["trang.officer"].display_name + " " + people["trang.officer"].position,
            "assistant",
        ),
    ]
    committee = committee_save(
        unit=unit,
        actor=secretary,
        committee=None,
        data={"name": COMMITTEE, "order": first, "members": members},
    )
    present = [name for name, _role in members]
    for number, (day, time, agenda) in enumerate(TRANG_MEETINGS, start=1):
        meeting_save(
            unit=unit,
            actor=secretary,
            meeting=None,
            data={
                "number": (number, 2568),
                "starts_at": timezone.make_aware(dt.datetime(*day, *time)),
                "venue": "ห้องประชุม ศปก.ตรวจคนเข้าเมืองจังหวัดตรัง",
                "committee": committee,
                "present": present,
                "absent": [],
                "agenda": [tuple(part.strip() for part in line.split("|")) for line in agenda],
            },
            photos=[_photo(f"ภาพการประชุม {number}-2568 (ภาพตัวอย่าง).jpg")],
        )
    plan = plan_open(unit=unit, fiscal_year=2568, actor=secretary)
    measures = [
        (
            _save_measure(
                plan,
                secretary,
                order,
                {
                    "title": area,
                    "steps": "",
                    "responsible_text": COMMITTEE,
                    "period": "year",
                    "starts_on": None,
                    "ends_on": None,
                    "issue_numbers": [],
                    "item_codes": [],
                    "channels": ["sign", "website", "meeting"],
                    **dict(zip(("track", "indicator_numbers", "concern"), links, strict=True)),
                },
            ),
            results,
        )
        for order, ((area, results), links) in enumerate(
            zip(TRANG_MEASURES, TRANG_LINKS, strict=True), start=1
        )
    ]
    plan_move(plan=plan, actor=secretary, move="submit", expected_version=plan.version)
    plan_move(plan=plan, actor=chief, move="approve", expected_version=plan.version)
    for measure, results in measures:
        for index, (day, text) in enumerate(results, start=1):
            progress_add(
                measure=measure,
                actor=secretary,
                on=dt.date(*day),
                text=text,
                uploads=[_photo(f"ภาพกิจกรรม {index} (ภาพตัวอย่าง).jpg")],
            )
    report_sign(plan=plan, actor=chief, sign=True)
    log("measures: ตม.จว.ตรัง's orders, meetings and FY2568 results (seed 002), signed off")


SONG_EIT_QUOTAS = [  # seed 001: at least 300 per station, by work line
    ("อำนวยการ", 30),
    ("ป้องกันปราบปราม", 90),
    ("จราจร", 60),
    ("สืบสวน", 30),
    ("สอบสวน", 90),
]


def load_song_season(log: Callable[[str], None]) -> None:
    """สภ.สอง's EIT respondents this fiscal year: seed 001's target and quotas per work line,
    survey at the NACC's ITAP, the officer coordinating traffic; the counts are demo figures."""
    from django.utils import timezone

    from ita_portal.lib import thaidates
    from units.models import Officer, Unit

    from .models import Collection
    from .season import collection_save, quota_add, quota_count

    fiscal_year = thaidates.fiscal_year(timezone.localdate())
    unit = Unit.objects.filter(code="RTP-R5-PHRAE-SONG").first()
    if unit is None or Collection.objects.filter(unit=unit, fiscal_year=fiscal_year).exists():
        return
    secretary = _user("song.secretary")
    eit = collection_save(
        unit=unit,
        fiscal_year=fiscal_year,
        actor=secretary,
        instrument="eit",
        headcount=None,
        target=300,
        survey_url="https://itap.nacc.go.th/",
    )
    officer = Officer.objects.filter(user__username="song.officer").first()
    for (label, target), count in zip(SONG_EIT_QUOTAS, [30, 41, 12, 18, 37], strict=True):
        quota = quota_add(
            collection=eit,
            actor=secretary,
            label=label,
            target=target,
            coordinator=officer if label == "จราจร" else None,
        )
        quota_count(quota=quota, actor=secretary, count=count)
    log(f"measures: สภ.สอง's EIT respondents FY{fiscal_year} (seed 001's quotas, demo counts)")
