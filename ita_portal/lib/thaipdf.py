"""A PDF text layer that says what the page shows, for Thai (docs/THAI-PDF.md, point 3).

HarfBuzz draws ำ (SARA AM) as two glyphs, NIKHAHIT + SARA AA, and WeasyPrint gives each glyph
the text of the first cluster it was drawn in, for the whole document. So the SARA AA glyph
of "สำนักงาน" and of "ตำรวจ" is one glyph with one text: copying or searching the PDF gives
"สำนักงำน" or "ตารวจ"; worse, a tone mark first drawn in "น้ำ" gets no text at all.

Two steps mend it; what is printed does not change:

1. `shaped_fonts()` copies the shipped Sarabun faces once into DATA_DIR with one extra glyph,
   SARA AA as drawn inside ำ (same outline, same advance), and a GSUB rule in `ccmp` that
   uses it after NIKHAHIT (with or without a tone mark between). The copy gives that glyph a
   private-use code point, AM_MARKER, so it can be found again in the embedded subset.
2. `repair_text_layer`, a WeasyPrint finisher, rewrites each font's ToUnicode map: every glyph
   the font's cmap names gets its own character; the marked glyph gets "ำ"; NIKHAHIT, which
   is then part of that ำ, gets none. Glyphs the cmap does not name (ligatures, positional
   variants) keep WeasyPrint's text.
3. The same finisher wraps each word holding a Thai mark in a marked-content span with its
   `/ActualText`. Bold and italic Sarabun position tone and vowel marks with small offsets
   (GPOS), which WeasyPrint writes as adjustments inside the TJ array; poppler (`pdftotext`)
   then takes a mark for a new word and prints "ผูต" and "้ รวจสอบ" for "ผู้ตรวจสอบ".
   With ActualText poppler, pypdf and Acrobat read the word as written. Words are split at
   spaces, so a copy can still start mid-line.
"""

from __future__ import annotations

import copy
import hashlib
import io
import os
import re
from functools import cache
from pathlib import Path

from django.conf import settings

SARA_AA, SARA_AM, NIKHAHIT = 0x0E32, 0x0E33, 0x0E4D
AM_MARKER = 0xF8E0  # private use: "the SARA AA of a SARA AM"
AM_GLYPH = "uni0E32.am"


def _patch(source: Path, target: Path) -> None:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables import otTables

    font = TTFont(source)
    cmap = font.getBestCmap()
    aa, nikhahit = cmap[SARA_AA], cmap[NIKHAHIT]
    order = font.getGlyphOrder()
    font["glyf"].glyphs[AM_GLYPH] = copy.deepcopy(font["glyf"][aa])
    font["hmtx"].metrics[AM_GLYPH] = font["hmtx"].metrics[aa]
    font.setGlyphOrder([*order, AM_GLYPH])
    font["glyf"].glyphOrder = font.getGlyphOrder()
    font["maxp"].numGlyphs = len(order) + 1
    for table in font["cmap"].tables:
        if table.isUnicode() and table.format in (4, 12):
            table.cmap[AM_MARKER] = AM_GLYPH

    # NIKHAHIT and its variants; every other mark (tone marks and their variants) that
    # HarfBuzz may have put between it and SARA AA.
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    marks = [name for name, kind in classes.items() if kind == 3]
    nikhahits = [name for name in marks if name.startswith(nikhahit)]
    others = [name for name in marks if name not in nikhahits]

    def coverage(names):
        table = otTables.Coverage()
        table.glyphs = sorted(names, key=font.getGlyphID)
        return table

    def lookup(kind: int, subtables: list):
        table = otTables.Lookup()
        table.LookupType, table.LookupFlag = kind, 0
        table.SubTable, table.SubTableCount = subtables, len(subtables)
        return table

    single = otTables.SingleSubst()
    single.mapping = {aa: AM_GLYPH}
    lookups = font["GSUB"].table.LookupList
    lookups.Lookup.append(lookup(1, [single]))
    single_index = len(lookups.Lookup) - 1
    rules = []
    for backtrack in ([nikhahits], [others, nikhahits]):  # closest glyph first
        rule = otTables.ChainContextSubst()
        rule.Format = 3
        rule.BacktrackGlyphCount = len(backtrack)
        rule.BacktrackCoverage = [coverage(names) for names in backtrack]
        rule.InputGlyphCount, rule.InputCoverage = 1, [coverage([aa])]
        rule.LookAheadGlyphCount, rule.LookAheadCoverage = 0, []
        record = otTables.SubstLookupRecord()
        record.SequenceIndex, record.LookupListIndex = 0, single_index
        rule.SubstCount, rule.SubstLookupRecord = 1, [record]
        rules.append(rule)
    lookups.Lookup.append(lookup(6, rules))
    lookups.LookupCount = len(lookups.Lookup)
    for record in font["GSUB"].table.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(lookups.LookupCount - 1)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)
    partial = target.with_name(f".{target.name}.{os.getpid()}")
    font.save(partial)
    os.replace(partial, target)  # atomic: other processes see the whole file or none


# PostScript name of each shaped face → its file, for the finisher.
_SHAPED: dict[str, Path] = {}


@cache
def shaped_fonts(source_dir: Path, names: tuple[str, ...]) -> Path:
    """The folder of the patched copies of `names`, made once per version of the sources."""
    from fontTools.ttLib import TTFont

    digest = hashlib.sha256()
    for name in names:
        digest.update((source_dir / name).read_bytes())
    digest.update(Path(__file__).read_bytes())  # a change of this recipe makes new copies
    folder = Path(settings.DATA_DIR) / "fonts" / digest.hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        if not (folder / name).exists():
            _patch(source_dir / name, folder / name)
        _SHAPED[TTFont(folder / name, lazy=True)["name"].getDebugName(6)] = folder / name
    return folder


_UNI_NAME = re.compile(r"^uni((?:[0-9A-F]{4})+)(?:\..*)?$")


@cache
def _shaped_texts(path: Path) -> dict[int, str]:
    """Glyph id → text for a shaped face, from its cmap and its glyph names (variants such
    as uni0E49.narrow, ligatures such as uni0E4D0E49), with ำ carried by the marked glyph."""
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    named = {name: chr(code) for code, name in sorted(font.getBestCmap().items(), reverse=True)}
    texts: dict[int, str] = {}
    for gid, name in enumerate(font.getGlyphOrder()):
        if name == AM_GLYPH:
            texts[gid] = chr(SARA_AM)
            continue
        text = named.get(name)
        if text is None and (match := _UNI_NAME.match(name)):
            text = "".join(chr(int(match[1][i : i + 4], 16)) for i in range(0, len(match[1]), 4))
        if text is not None and not 0xE000 <= ord(text[0]) <= 0xF8FF:
            # NIKHAHIT is drawn only as part of a ำ, whose text the marked glyph carries.
            texts[gid] = text.replace(chr(NIKHAHIT), "")
    return texts


_ENTRY = re.compile(rb"^<([0-9a-fA-F]{4})> <([0-9a-fA-F]*)>$")


def _reference(value) -> int:
    return int(bytes(value).split()[0])


def _glyph_texts(font_program: bytes) -> dict[int, str]:
    """Glyph id → text for an embedded subset (glyph ids are kept by WeasyPrint's subsetter):
    a shaped face's own table, or for any other font, the subset's cmap."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_program))
    shaped = _SHAPED.get(font["name"].getDebugName(6)) if "name" in font else None
    if shaped is not None:
        return _shaped_texts(shaped)
    return {
        font.getGlyphID(name): chr(code)
        for code, name in sorted(font.getBestCmap().items(), reverse=True)
        if not 0xE000 <= code <= 0xF8FF
    }


def repair_text_layer(document, pdf) -> None:
    """WeasyPrint finisher: rewrite every Type0 font's ToUnicode map, then mark each Thai
    word's text in the content streams (see the module doc)."""
    import pydyf

    fonts = _repair_fonts(pdf.objects)
    for stream in pdf.objects:
        # Page and form content: streams with text; font programs (Length1) and images are
        # binary.
        if (
            isinstance(stream, pydyf.Stream)
            and "Length1" not in stream.extra
            and stream.extra.get("Subtype") != "/Image"
        ):
            stream.stream[:] = _spell_words(stream.stream, fonts)


# Thai marks drawn over or under a letter (and ำ, drawn with NIKHAHIT): a word holding one
# may be split by text extractors when the mark carries an offset.
_THAI_MARKS = re.compile("[\u0e31\u0e33-\u0e3a\u0e47-\u0e4e]")
_TF = re.compile(rb"^/(\S+) [0-9.]+ Tf$")
_TJ_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|(-?[0-9.]+)")


def _spell_words(lines: list, fonts: dict[str, dict[int, str]]) -> list:
    """The content stream's lines with every `[...] TJ` of a known font cut at spaces, each
    word with a Thai mark wrapped in `/Span <</ActualText ...>> BDC ... EMC`."""
    out, texts = [], {}
    for line in lines:
        if not isinstance(line, bytes):
            out.append(line)
            continue
        if match := _TF.match(line):
            texts = fonts.get(match[1].decode(), {})
        if not (texts and line.startswith(b"[") and line.endswith(b"] TJ")):
            out.append(line)
            continue
        words: list[tuple[list[bytes], str]] = [([], "")]
        for glyphs, number in _TJ_TOKEN.findall(line[1:-4]):
            if number:
                words[-1][0].append(number)
                continue
            for start in range(0, len(glyphs), 4):
                gid = glyphs[start : start + 4]
                text = texts.get(int(gid, 16), "")
                tokens, spelled = words[-1]
                words[-1] = ([*tokens, b"<" + gid + b">"], spelled + text)
                if text == " ":
                    words.append(([], ""))
        for tokens, spelled in words:
            if not tokens:
                continue
            shown = b"[" + b" ".join(tokens) + b"] TJ"
            if _THAI_MARKS.search(spelled):
                actual = ("\ufeff" + spelled).encode("utf-16-be").hex().encode()
                shown = b"/Span <</ActualText <" + actual + b">>> BDC " + shown + b" EMC"
            out.append(shown)
    return out


def _repair_fonts(objects) -> dict[str, dict[int, str]]:
    """Rewrite each Type0 font's ToUnicode map; its resource name → glyph id → text."""
    fonts: dict[str, dict[int, str]] = {}
    for font in list(objects):
        if not (isinstance(font, dict) and font.get("Subtype") == "/Type0" and "ToUnicode" in font):
            continue
        descendant = objects[_reference(font["DescendantFonts"][0])]
        descriptor = objects[_reference(descendant["FontDescriptor"])]
        program = descriptor.get("FontFile2")
        if program is None:
            continue
        texts = _glyph_texts(b"".join(objects[_reference(program)].stream))
        to_unicode = objects[_reference(font["ToUnicode"])]
        lines, spelled = [], {}
        for line in to_unicode.stream:
            match = _ENTRY.match(line) if isinstance(line, bytes) else None
            if not match:
                lines.append(line)
                continue
            gid = int(match[1], 16)
            text = texts.get(gid)
            if text is None:  # a ligature or variant: WeasyPrint's text
                text = bytes.fromhex(match[2].decode()).decode("utf-16-be", "replace")
            else:
                line = b"<" + match[1] + b"> <" + text.encode("utf-16-be").hex().encode() + b">"
            spelled[gid] = text
            lines.append(line)
        to_unicode.stream[:] = lines
        name = font["BaseFont"]  # b"/GPIRER+ITA-Sarabun": the resource is /GPIRER
        name = name.decode() if isinstance(name, bytes) else str(name)
        fonts[name.strip("/").split("+")[0]] = spelled
    return fonts
