"""File and folder names made from what people typed: safe inside any archive or disk."""

from __future__ import annotations

import unicodedata

_UNSAFE = dict.fromkeys(map(ord, '/\\:*?"<>|'), "_")


def safe_name(name: str, *, limit: int = 120) -> str:
    """A file or folder name that cannot climb out of its folder; Thai stays readable."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.translate(_UNSAFE).strip().strip(".").strip()
    if not name:
        name = "file"
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 8:
            name = stem[: limit - len(extension) - 1].rstrip() + "." + extension
        else:
            name = name[:limit]
    return name
