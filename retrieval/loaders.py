"""Read policy files into plain text: .txt, .md, .pdf, .docx, .html.

Spans in clause metadata refer to the text these loaders return: for .txt and .md that is the file
itself, for the other kinds the extracted text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".docx", ".html", ".htm")

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}(?=\s)", re.M)
_PIPE_ROW = re.compile(r"^\|(.*)\|[ \t]*$")
_PIPE_RULE = re.compile(r"^\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$")


class LoadError(Exception):
    """A file that cannot be read; the message is one sentence for people."""


def load_text(path: Path) -> str:
    """Return the text of a policy file, or raise :class:`LoadError` saying why not."""
    suffix = path.suffix.lower()
    loader = _LOADERS.get(suffix)
    if loader is None:
        raise LoadError(
            f"{path.name}: unsupported file type '{suffix or '(none)'}'; "
            f"use one of {', '.join(SUPPORTED_SUFFIXES)}."
        )
    try:
        text = loader(path)
    except LoadError:
        raise
    except Exception as exc:  # each library raises its own family; the user needs one sentence
        raise LoadError(f"{path.name}: cannot be read as {suffix[1:]} ({type(exc).__name__}: {exc}).") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    if not text.strip():
        raise LoadError(f"{path.name}: the file holds no text.")
    return text


def _load_plain(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise LoadError(f"{path.name}: looks like a binary file, not text.")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LoadError(f"{path.name}: is neither UTF-8 nor GB18030 text.")


def _load_markdown(path: Path) -> str:
    # '#' marks become spaces, so headings such as '## 一、…' are recognised and offsets still match the file.
    return _MD_HEADING.sub(lambda m: " " * len(m.group(0)), _load_plain(path))


def _load_pdf(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    pages = [page.extract_text() or "" for page in reader.pages]
    text = "\n\n".join(pages)
    if "\x00" in text:  # a font encoding pypdf cannot map: the text would be garbage
        raise LoadError(f"{path.name}: the PDF's text cannot be extracted correctly; save it again as .docx or .txt.")
    return text


def _load_docx(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            # One block, rows on consecutive lines: the cleaner keeps it a table and repeats its header.
            parts.append("\n".join("\t".join(cell.text.strip() for cell in row.cells) for row in table.rows))
    return "\n\n".join(p for p in parts if p.strip())


def _load_html(path: Path) -> str:
    import trafilatura

    html = _load_plain(path)
    text = trafilatura.extract(
        html, include_tables=True, include_comments=False, favor_recall=True, deduplicate=False
    )
    if not text:
        raise LoadError(f"{path.name}: no main text found in the HTML page.")
    return _pipe_tables_to_tabs(str(text))


def _pipe_tables_to_tabs(text: str) -> str:
    """trafilatura writes tables as '| a | b |' rows; the cleaner knows tables as tab-separated rows."""
    out: list[str] = []
    for line in text.split("\n"):
        row = _PIPE_ROW.match(line.strip())
        if row and _PIPE_RULE.match(line.strip()):
            continue
        out.append("\t".join(cell.strip() for cell in row.group(1).split("|")) if row else line)
    return "\n".join(out)


_LOADERS: dict[str, Callable[[Path], str]] = {
    ".txt": _load_plain,
    ".md": _load_markdown,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
    ".html": _load_html,
    ".htm": _load_html,
}
