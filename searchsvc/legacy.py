"""Pre-Unicode Vietnamese text: TCVN3 (ABC), VNI Windows, Windows-1258, and mojibake.

Old provincial reports were typed in Word with ".VnTime" (TCVN3) or "VNI-Times" (VNI) fonts.
Those fonts are 8-bit "ANSI" fonts: the bytes are stored as if they were Windows-1252 text and the
font draws Vietnamese letters in their place. The same text therefore reaches us two ways:

* as a byte file (saved as "plain text"): ``b"Ngh\\xde quy\\xd5t"`` for TCVN3;
* as Unicode text (copied out of Word, or read from a .docx): "NghÞ quyÕt" (TCVN3) or
  "Nghò quyeát" (VNI) — the Windows-1252 reading of those bytes.

Both are handled: ``decode_bytes`` chooses among Windows-1258, TCVN3 and VNI for a byte file that
is not UTF-8; ``repair_text`` converts lines of Unicode text that are really TCVN3/VNI or UTF-8
mojibake ("Nghá»‹ quyáº¿t"). The choice is made by counting words that are valid Vietnamese
syllables (``syllables.vietnamese_score``), never by a single marker, so real UTF-8 reports stay as they are.

Windows-1258 writes tones as combining marks after the letter; Python's codec decodes it and NFC
composes the result. TCVN3 has no upper-case toned letters (the ".VnTimeH" font drew the lower-case
ones as capitals), so upper case is restored only where a word or line is otherwise all capitals.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from .syllables import ACUTE, DOT, GRAVE, HOOK, TILDE, vietnamese_score

__all__ = [
    "decode_tcvn3",
    "decode_vni",
    "decode_bytes",
    "repair_text",
    "Repair",
    "restore_tcvn3_capitals",
]

_TONE_ORDER = (GRAVE, HOOK, TILDE, ACUTE, DOT)  # the order TCVN3 and VNI list them


# --- Windows-1252 view of a byte ------------------------------------------------------------
# Legacy-font text copied out of Word is the Windows-1252 reading of its bytes. Five byte values
# are undefined in Windows-1252; Windows maps them to the C1 control with the same number, and so
# does this table. Going back, every C1 control becomes the byte with its number: text decoded
# as Latin-1 instead of Windows-1252 holds C1 controls for all of 0x80-0x9F.
def _cp1252_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


_CP1252 = tuple(_cp1252_char(b) for b in range(256))


def _encode_c1(error: UnicodeError) -> tuple[bytes, int]:
    """Encoding error handler: a C1 control stands for the byte with its number (see above)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    if not all("\x80" <= ch <= "\x9f" for ch in chunk):
        raise error
    return bytes(map(ord, chunk)), error.end


codecs.register_error("searchsvc-c1-bytes", _encode_c1)


def _to_legacy_bytes(text: str) -> bytes | None:
    """The bytes behind Windows-1252-looking text, or None when a character has no byte."""
    try:
        return text.encode("cp1252", errors="searchsvc-c1-bytes")
    except UnicodeEncodeError:
        return None


# --- TCVN3 (ABC, TCVN 5712:1993 VN3) --------------------------------------------------------
# One byte per letter. Upper case exists only for the seven base letters Ă Â Ê Ô Ơ Ư Đ.
_TCVN3_BASES = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
}
# vowel -> bytes of (huyền, hỏi, ngã, sắc, nặng)
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}


def _build_tcvn3() -> tuple[str, ...]:
    table = list(_CP1252)  # bytes that are not letters keep their Windows-1252 meaning (“ ” – …)
    for byte, letter in _TCVN3_BASES.items():
        table[byte] = letter
    for vowel, codes in _TCVN3_TONED.items():
        for tone, byte in zip(_TONE_ORDER, codes):
            table[byte] = unicodedata.normalize("NFC", vowel + tone)
    return tuple(table)


_TCVN3 = _build_tcvn3()
_TCVN3_CHARMAP = "".join(_TCVN3)  # one character per byte: a charmap codec table
# The toned lower-case letters TCVN3 also uses for capitals (see restore_tcvn3_capitals).
_TCVN3_CASELESS = frozenset(_TCVN3[b] for codes in _TCVN3_TONED.values() for b in codes)


# --- VNI Windows ----------------------------------------------------------------------------
# A base letter followed by a byte for its marks: "Nghò quyeát" is "Nghị quyết". Mark bytes come
# in pairs, upper case (for capitals) and the same letter + 0x20 (for small letters).
_VNI_MARKS = {
    0xD9: ACUTE, 0xD8: GRAVE, 0xDB: HOOK, 0xD5: TILDE, 0xCF: DOT,
    0xC2: "\u0302",  # circumflex: aâ = â
    0xC1: "\u0302" + ACUTE, 0xC0: "\u0302" + GRAVE, 0xC5: "\u0302" + HOOK,
    0xC3: "\u0302" + TILDE, 0xC4: "\u0302" + DOT,
    0xCA: "\u0306",  # breve: aê = ă
    0xC9: "\u0306" + ACUTE, 0xC8: "\u0306" + GRAVE, 0xDA: "\u0306" + HOOK,
    0xDC: "\u0306" + TILDE, 0xCB: "\u0306" + DOT,
}
# Letters VNI writes with one byte of their own.
_VNI_LETTERS = {
    0xD4: "Ơ", 0xD6: "Ư", 0xD1: "Đ",
    0xCD: "Í", 0xCC: "Ì", 0xC6: "Ỉ", 0xD3: "Ĩ", 0xD2: "Ị", 0xCE: "Ỵ",
}


def _build_vni() -> tuple[str, ...]:
    table = list(_CP1252)
    for byte, marks in _VNI_MARKS.items():
        table[byte] = table[byte + 0x20] = marks
    for byte, letter in _VNI_LETTERS.items():
        table[byte], table[byte + 0x20] = letter, letter.lower()
    return tuple(table)


_VNI = _build_vni()
_VNI_CHARMAP = dict(enumerate(_VNI))  # mark bytes stand for two characters: a dict table


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 (ABC) bytes: ``b"Ngh\\xde quy\\xd5t"`` -> "Nghị quyết"."""
    return restore_tcvn3_capitals(_decode_tcvn3_lower(data))


def _decode_tcvn3_lower(data: bytes) -> str:
    """TCVN3 decoded, toned letters all in lower case (enough to score it)."""
    return codecs.charmap_decode(data, "strict", _TCVN3_CHARMAP)[0]


def decode_vni(data: bytes) -> str:
    """Decode VNI Windows bytes: the bytes of "Nghò quyeát" -> "Nghị quyết" (NFC)."""
    return unicodedata.normalize("NFC", codecs.charmap_decode(data, "strict", _VNI_CHARMAP)[0])


_WORD = re.compile(r"[^\W\d_]+")


def restore_tcvn3_capitals(text: str) -> str:
    """Give capitals back to toned letters inside all-capital words and lines.

    TCVN3 has no "Ị": a heading typed "NGHỊ QUYẾT" comes back as "NGHị QUYếT". A line whose
    other letters are (almost) all capitals is upper-cased; otherwise a word with at least two
    other capitals is ("TỉNH" -> "TỈNH"), but "Uỷ", "Bộ" (one capital) stay as they are.

    >>> restore_tcvn3_capitals("KIểM ĐIểM\\nUỷ ban TỉNH")
    'KIỂM ĐIỂM\\nUỷ ban TỈNH'
    """
    if not any(ch in _TCVN3_CASELESS for ch in text):
        return text
    return "\n".join(_restore_line(line) for line in text.split("\n"))


def _upper_caseless(text: str) -> str:
    return "".join(ch.upper() if ch in _TCVN3_CASELESS else ch for ch in text)


# A word holding at least one of the letters TCVN3 writes without case.
_TONED_WORD = re.compile(r"[^\W\d_]*[{0}][^\W\d_]*".format("".join(sorted(_TCVN3_CASELESS))))


_DROP_CASELESS = dict.fromkeys(map(ord, _TCVN3_CASELESS))


def _capital_word(word: str) -> bool:
    letters = word.translate(_DROP_CASELESS)
    return len(letters) >= 2 and letters.isupper()


def _restore_line(line: str) -> str:
    toned = _TONED_WORD.findall(line)
    if not toned or sum(ch.isupper() for ch in line) < 2:
        return line  # no capitals to follow
    capital = sum(map(_capital_word, toned))
    if not capital:
        return line
    cased = [ch for ch in line.translate(_DROP_CASELESS) if ch.isalpha()]
    upper = sum(ch.isupper() for ch in cased)
    # A heading in capitals: short words like "TỔ", "Ở" follow their neighbours. "Số: /BC-UBND"
    # is not one (its only toned word is not in capitals).
    if capital * 2 >= len(toned) and upper >= 4 and upper >= 0.9 * len(cased):
        return _upper_caseless(line)
    return _TONED_WORD.sub(lambda m: _upper_caseless(m.group()) if _capital_word(m.group()) else m.group(), line)


# --- Byte files that are not UTF-8 -----------------------------------------------------------
_SAMPLE = 200_000  # bytes looked at to choose an encoding; the whole file is then decoded


def decode_bytes(data: bytes) -> tuple[str, str, list[str]]:
    """Decode 8-bit Vietnamese text: (text, encoding, warnings), encoding one of
    "cp1258", "tcvn3", "vni". The candidate with the most valid Vietnamese words wins; with no
    Vietnamese evidence at all Windows-1258 is used (it reads plain Western text correctly).
    """
    sample = data[:_SAMPLE]
    decoders: dict[str, Callable[[bytes], str]] = {
        "cp1258": lambda b: unicodedata.normalize("NFC", b.decode("cp1258", errors="replace")),
        "tcvn3": _decode_tcvn3_lower,
        "vni": decode_vni,
    }
    decoded = {name: decode(sample) for name, decode in decoders.items()}
    scores = {name: vietnamese_score(text) for name, text in decoded.items()}
    best = max(scores, key=lambda name: scores[name])  # ties keep the first: cp1258
    if scores[best] <= 0:
        best = "cp1258"
    text = decoded[best] if len(sample) == len(data) else decoders[best](data)
    if best == "tcvn3":
        text = restore_tcvn3_capitals(text)
    label = {
        "cp1258": "decoded as Windows-1258",
        "tcvn3": "converted from TCVN3 (ABC) to Unicode",
        "vni": "converted from VNI Windows to Unicode",
    }[best]
    warnings = [label]
    if best == "cp1258" and scores["cp1258"] <= 0:
        warnings = ["not UTF-8 and no Vietnamese recognised; decoded as Windows-1258"]
    if "\ufffd" in text:
        warnings.append("bytes undefined in Windows-1258 replaced with \ufffd")
    return text, best, warnings


# --- Unicode text that holds legacy-font characters or mojibake ------------------------------
def _restore_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decoding error handler: bytes that are not UTF-8 go back to the character they came from."""
    return "".join(_CP1252[b] for b in error.object[error.start : error.end]), error.end


codecs.register_error("searchsvc-restore-cp1252", _restore_bytes)
_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _unmojibake(line: str) -> str | None:
    """Undo one round of "UTF-8 read as Windows-1252": "Nghá»‹" -> "Nghị"; None if not that."""
    raw = _to_legacy_bytes(line)
    if raw is None or not _MULTIBYTE.search(raw):
        return None
    fixed = raw.decode("utf-8", errors="searchsvc-restore-cp1252")
    return fixed if fixed != line else None


def _as_tcvn3(line: str) -> str | None:
    raw = _to_legacy_bytes(line)
    return None if raw is None else _decode_tcvn3_lower(raw)


def _as_vni(line: str) -> str | None:
    raw = _to_legacy_bytes(line)
    return None if raw is None else decode_vni(raw)


@dataclass
class Repair:
    """What ``repair_text`` did: the text, which conversion (None, "mojibake", "tcvn3", "vni")."""

    text: str
    kind: str | None = None
    lines_changed: int = 0
    warnings: list[str] = field(default_factory=list)


_LEGACY = {"tcvn3": _as_tcvn3, "vni": _as_vni}
_LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI Windows"}
_MIN_GAIN = 2  # net valid words the whole text must gain before a legacy conversion is trusted


def repair_text(text: str) -> Repair:
    """Repair Unicode text line by line: mojibake first, then TCVN3 or VNI characters.

    Only lines made entirely of Windows-1252 characters can be legacy text or mojibake; a real
    Vietnamese line ("Nghị quyết", with "ị" outside Windows-1252) is never touched. Mojibake is
    repaired where bytes re-decode as UTF-8 and the line does not lose valid words; a legacy font
    is chosen for the whole text (the one that gains most valid words) and applied to the lines
    it does not make worse.

    >>> repair_text("Nghá»‹ quyáº¿t sá»‘ 01/NQ-CP").text
    'Nghị quyết số 01/NQ-CP'
    >>> repair_text("Nghò quyeát soá 01/NQ-CP").text
    'Nghị quyết số 01/NQ-CP'
    """
    if text.isascii():
        return Repair(text)
    lines = text.split("\n")
    result = Repair(text)

    changed = 0
    for index, line in enumerate(lines):
        if line.isascii():
            continue
        # Text mangled twice comes back in two rounds; the middle round may look no better than
        # the start, so every round is scored and the best kept (ties go to the later round:
        # bytes that re-decode as UTF-8 are evidence of their own).
        rounds = [line]
        while len(rounds) < 4:
            fixed = _unmojibake(rounds[-1])
            if fixed is None:
                break
            rounds.append(fixed)
        if len(rounds) == 1:  # not mojibake: nothing to weigh
            continue
        best_round = max(range(len(rounds)), key=lambda i: (vietnamese_score(rounds[i]), i))
        if best_round:
            lines[index] = rounds[best_round]
            changed += 1
    if changed:
        result.kind = "mojibake"
        result.warnings.append(f"mojibake repaired (UTF-8 read as Windows-1252) on {changed} line(s)")

    candidates: dict[str, list[tuple[int, str, int]]] = {name: [] for name in _LEGACY}
    gains = dict.fromkeys(_LEGACY, 0)
    for index, line in enumerate(lines):
        if line.isascii() or _to_legacy_bytes(line) is None:
            continue
        before = vietnamese_score(line)
        for name, convert in _LEGACY.items():
            converted = convert(line)
            if converted is not None and converted != line:
                gain = vietnamese_score(converted) - before
                candidates[name].append((index, converted, gain))
                gains[name] += gain
    best = max(gains, key=lambda name: gains[name])
    if gains[best] >= _MIN_GAIN:
        converted_lines = 0
        for index, converted, gain in candidates[best]:
            if gain >= 0:  # in a text found to be TCVN3, "Sè:" (valid both ways) is TCVN3 too
                lines[index] = restore_tcvn3_capitals(converted) if best == "tcvn3" else converted
                converted_lines += 1
        result.kind = best
        result.warnings.append(
            f"{_LEGACY_NAMES[best]} characters converted to Unicode on {converted_lines} line(s)"
        )
        changed += converted_lines

    result.lines_changed = changed
    result.text = "\n".join(lines) if result.kind else text
    return result
