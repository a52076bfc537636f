"""Photos put into generated PDFs: scaled down and re-encoded, or None when unreadable."""

from __future__ import annotations

import base64
import io

PHOTO_MAX_PX = 900  # photos are scaled down to this many pixels on the long side


def photo_data_uri(file) -> str | None:
    """`photo_jpeg` as a data URI for embedding in HTML (the PDFs)."""
    data = photo_jpeg(file)
    return None if data is None else "data:image/jpeg;base64," + base64.b64encode(data).decode()


def photo_jpeg(file) -> bytes | None:
    """A stored image (a FieldFile) scaled down and re-encoded as JPEG (PDFs and Word files
    alike); None if it cannot be read or has more than EVIDENCE_MAX_PIXELS pixels, so a
    document lists it as unreadable instead of breaking."""
    from django.conf import settings
    from PIL import Image, UnidentifiedImageError

    try:
        with file.open("rb") as handle, Image.open(handle) as image:
            if image.width * image.height > settings.EVIDENCE_MAX_PIXELS:
                return None  # never decoded: a decompression bomb would take the worker down
            image.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, "white")
                background.paste(image, mask=image.convert("RGBA").split()[-1])
                image = background
            out = io.BytesIO()
            image.save(out, "JPEG", quality=78, optimize=True)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
        return None
    return out.getvalue()
