from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from django.conf import settings


@pytest.fixture(scope="module")
def thai():
    path = settings.BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        return read_po(po, locale="th")


def test_every_thai_message_is_translated_and_none_is_fuzzy(thai):
    untranslated = [
        message.id
        for message in thai
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert untranslated == []
    assert len(thai) > 150


def test_thai_placeholders_match_the_english(thai):
    problems = [(message.id, [str(e) for e in errors]) for message, errors in thai.check()]
    assert problems == []


def test_thai_has_one_plural_form():
    text = (settings.BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po").read_text()
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
