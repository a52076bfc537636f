from ita_portal.lib.thaitext import arabic_digits, normalize, thai_digits


def test_thai_digits_become_arabic_even_mixed_in_one_number():
    assert arabic_digits("๒๕๖๗") == "2567"
    assert arabic_digits("256๗") == "2567"
    assert arabic_digits("O๑๒") == "O12"


def test_arabic_digits_become_thai():
    assert thai_digits("2567") == "๒๕๖๗"
    assert thai_digits("ข้อ 12") == "ข้อ ๑๒"


def test_normalize_folds_the_two_forms_of_sara_am():
    decomposed = "ส\u0e4d\u0e32นักงาน ต\u0e4d\u0e32รวจ"
    assert normalize(decomposed) == "สำนักงาน ตำรวจ"
    assert normalize("สำนักงาน") == "สำนักงาน"


def test_normalize_folds_white_space_and_digits():
    assert normalize("  สภ.สอง \t จว.แพร่\n ") == "สภ.สอง จว.แพร่"
    assert normalize("ปี ๒๕๖๗") == "ปี 2567"
