from __future__ import annotations

import io
import zipfile


def make_file(name: str, kind: str) -> io.BytesIO:
    """A small file whose bytes really are of `kind`, uploaded under `name`."""

    if kind == "pdf":
        data = b"%PDF-1.4\n% test\n"
    elif kind in ("png", "jpg"):
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 6), "white").save(buffer, "PNG" if kind == "png" else "JPEG")
        data = buffer.getvalue()
    else:
        buffer = io.BytesIO()
        part = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr(part, "<x/>")
        data = buffer.getvalue()
    upload = io.BytesIO(data)
    upload.name = name
    return upload
