from __future__ import annotations

from babel.messages.pofile import read_po
from django.conf import settings


def test_every_thai_message_is_translated_and_none_is_fuzzy():
    path = settings.BASE_DIR / "locale" / "th" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale="th")
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert untranslated == []
    assert len(catalog) > 40
