"""Document "parsing" for knowledge-base files: bytes in, text and chunks out. Offline, naive.

* `txt`, `md`, `json`, `xml` are decoded as UTF-8 (anything else fails the file).
* `docx` is a zip: the text of `word/document.xml`, paragraph by paragraph.
* `pdf`: the strings of its text operators (`(...) Tj`, `[...] TJ`) in
  uncompressed content; else printable text runs.
* `doc` (and a pdf without text operators): printable ASCII runs that look like
  words. Nothing readable fails the file.

Text is cut into paragraph chunks (blank-line separated; long paragraphs split
at sentence ends near `MAX_CHUNK` characters). A skill `.md` (or the `SKILL.md`
at the top of a skill `.zip`) needs front matter with `name` and `description`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from .._memories._text import sentences

__all__ = [
    "MAX_CHUNK",
    "MAX_SKILL_ENTRIES",
    "ParseError",
    "SkillDoc",
    "chunks",
    "document_text",
    "extension_of",
    "skill_docs",
]

MAX_CHUNK = 1000
MAX_SKILL_ENTRIES = 200
_TEXT_TYPES = ("txt", "md", "json", "xml")
_PDF_STRING = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj|\[((?:[^\]\\]|\\.)*)\]\s*TJ", re.DOTALL)
_PDF_PIECE = re.compile(rb"\(((?:[^()\\]|\\.)*)\)", re.DOTALL)
_RUN = re.compile(rb"[\x20-\x7e]{4,}")
_WORDY = re.compile(r"[A-Za-z]{3,}(?:\W+[A-Za-z]{2,}){1,}")
_PDF_SYNTAX = re.compile(r"^%|\b(?:obj|endobj|stream|endstream|xref|trailer|startxref)\b|/\w")
_XML_PARAGRAPH = re.compile(r"</w:p>")
_XML_TAG = re.compile(r"<[^>]+>")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_FRONT_MATTER = re.compile(r"\A\ufeff?---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)


class ParseError(Exception):
    """The file cannot be turned into text; the message is the `failed` reason."""


@dataclass(frozen=True)
class SkillDoc:
    """A skill read from its markdown."""

    name: str
    description: str
    procedure: str
    others: dict[str, str] = field(default_factory=dict)


def extension_of(name: str) -> str | None:
    """The lower-case extension of a file name (`None` without one)."""
    base = name.rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[1].lower() if "." in base.strip(".") else None


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ParseError(f"{what} is not valid UTF-8 text") from None


def _unescape_pdf(raw: bytes) -> str:
    text = re.sub(rb"\\([nrtbf()\\])", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)
    return text.decode("latin-1")


def _pdf_text(data: bytes) -> str:
    lines = []
    for match in _PDF_STRING.finditer(data):
        if match.group(1) is not None:
            lines.append(_unescape_pdf(match.group(1)))
        else:
            lines.append("".join(_unescape_pdf(p) for p in _PDF_PIECE.findall(match.group(2))))
    return "\n".join(lines)


def _runs(data: bytes) -> str:
    found = []
    for run in _RUN.findall(data):
        text = run.decode("ascii").strip()
        if _WORDY.search(text) and not _PDF_SYNTAX.search(text):
            found.append(text)
    return "\n\n".join(found)


def _docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError):
        return _runs(data)
    paragraphs = (_XML_TAG.sub("", part).strip() for part in _XML_PARAGRAPH.split(xml))
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def document_text(name: str, data: bytes) -> str:
    """The readable text of a document (raises `ParseError`)."""
    extension = extension_of(name) or "txt"
    if extension in _TEXT_TYPES:
        text = _utf8(data, name)
    elif extension == "docx":
        text = _docx_text(data)
    elif extension == "pdf":
        text = _pdf_text(data) or _runs(data)
    elif extension == "doc":
        text = _runs(data)
    else:
        raise ParseError(f"unsupported file type: {name}")
    if not text.strip():
        raise ParseError(f"no readable text in {name}")
    return text


def chunks(text: str) -> list[str]:
    """Paragraph chunks, whitespace collapsed; long paragraphs split at sentence ends."""
    pieces: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        flat = " ".join(paragraph.split())
        if not flat:
            continue
        current = ""
        for sentence in sentences(flat) or [flat]:
            if current and len(current) + len(sentence) + 1 > MAX_CHUNK:
                pieces.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            pieces.append(current)
    return pieces


def _skill(markdown: str, name: str) -> SkillDoc:
    match = _FRONT_MATTER.match(markdown.replace("\r\n", "\n"))
    if match is None:
        raise ParseError(f"{name}: a skill needs front matter (---) with name and description")
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, separator, value = line.partition(":")
        if separator and key.strip():
            meta[key.strip()] = value.strip().strip("\"'")
    skill_name, description = meta.pop("name", ""), meta.pop("description", "")
    if not skill_name or not description:
        raise ParseError(f"{name}: the skill front matter needs both name and description")
    return SkillDoc(skill_name, description, match.group(2).strip(), meta)


def skill_docs(name: str, data: bytes) -> list[SkillDoc]:
    """The skill of a `.md`, or of the top-level `SKILL.md` of a `.zip` (raises `ParseError`)."""
    if extension_of(name) != "zip":
        return [_skill(_utf8(data, name), name)]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.namelist()
            if len(entries) > MAX_SKILL_ENTRIES:
                raise ParseError(f"{name} has more than {MAX_SKILL_ENTRIES} entries")
            if "SKILL.md" not in entries:
                raise ParseError(f"{name} has no SKILL.md at its top level")
            markdown = archive.read("SKILL.md")
    except zipfile.BadZipFile:
        raise ParseError(f"{name} is not a zip archive") from None
    return [_skill(_utf8(markdown, "SKILL.md"), name)]
