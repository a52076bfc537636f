"""Reference data shipped with the portal: unit types and ranks. Admins may add more."""

UNIT_TYPES = [
    ("police_station", "สถานีตำรวจ (สภ.)", "Police station"),
    ("immigration_office", "ตรวจคนเข้าเมืองจังหวัด (ตม.จว.)", "Provincial immigration office"),
    ("immigration_checkpoint", "ด่านตรวจคนเข้าเมือง", "Immigration checkpoint"),
    ("sao", "องค์การบริหารส่วนตำบล (อบต.)", "Subdistrict administrative organisation"),
    (
        "command",
        "หน่วยเหนือ (ภาค จังหวัด กองบังคับการ กรม)",
        "Command (region, province, bureau, department)",
    ),
]

# The งาน / สายงาน every unit of a type has (seeds 000 and 001, the NACC's police manuals); each
# new unit of the type gets them, so a people file can name them after a units file lists none.
STANDARD_WORK_LINES = {
    "police_station": ["อำนวยการ", "ป้องกันปราบปราม", "จราจร", "สืบสวน", "สอบสวน"],
    "immigration_office": ["อำนวยการ", "สืบสวนปราบปราม", "ตรวจบุคคลและพาหนะ", "บริการคนต่างด้าว"],
}

# (abbreviation, Thai, English, seniority)
RANKS = [
    ("พล.ต.อ.", "พลตำรวจเอก", "Police General", 130),
    ("พล.ต.ท.", "พลตำรวจโท", "Police Lieutenant General", 120),
    ("พล.ต.ต.", "พลตำรวจตรี", "Police Major General", 110),
    ("พ.ต.อ.", "พันตำรวจเอก", "Police Colonel", 100),
    ("พ.ต.ท.", "พันตำรวจโท", "Police Lieutenant Colonel", 90),
    ("พ.ต.ต.", "พันตำรวจตรี", "Police Major", 80),
    ("ร.ต.อ.", "ร้อยตำรวจเอก", "Police Captain", 70),
    ("ร.ต.ท.", "ร้อยตำรวจโท", "Police Lieutenant", 60),
    ("ร.ต.ต.", "ร้อยตำรวจตรี", "Police Sub-Lieutenant", 50),
    ("ด.ต.", "ดาบตำรวจ", "Police Senior Sergeant Major", 40),
    ("จ.ส.ต.", "จ่าสิบตำรวจ", "Police Sergeant Major", 35),
    ("ส.ต.อ.", "สิบตำรวจเอก", "Police Sergeant", 30),
    ("ส.ต.ท.", "สิบตำรวจโท", "Police Corporal", 25),
    ("ส.ต.ต.", "สิบตำรวจตรี", "Police Lance Corporal", 20),
    ("ร.ต.", "ร้อยตรี", "Sub-Lieutenant", 45),
    ("นาย", "นาย", "Mr.", 0),
    ("นาง", "นาง", "Mrs.", 0),
    ("นางสาว", "นางสาว", "Miss", 0),
]


def ensure_reference_data(UnitType, Rank) -> None:
    """Create the shipped unit types and ranks that are missing; change nothing else.

    Takes the model classes so the data migration can pass its historical models.
    """
    for code, name_th, name_en in UNIT_TYPES:
        lines = "\n".join(STANDARD_WORK_LINES.get(code, []))
        defaults = {"name_th": name_th, "name_en": name_en}
        if hasattr(UnitType, "work_lines"):  # the historical model of migration 0002 has none
            defaults["work_lines"] = lines
        UnitType.objects.get_or_create(code=code, defaults=defaults)
    for abbreviation, name_th, name_en, seniority in RANKS:
        Rank.objects.get_or_create(
            abbreviation=abbreviation,
            defaults={"name_th": name_th, "name_en": name_en, "seniority": seniority},
        )
