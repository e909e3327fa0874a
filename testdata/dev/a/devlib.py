"""Shared helpers for the set-a development documents.

Each document is written once, by hand, as a UTF-8 source file under src/.
A statement that carries a label ends with a tag written right after its
closing punctuation:

    按月公开全省财政收支情况。«1.1»
    每季度公布航空口岸通关时长。«ext|local: airport customs clearance»

The tag holds the task id (1.1 … 6.5, or `ext` for a local addition) and an
optional note after `|`.  The statement a tag closes starts after the last
sentence end (。；！？), tab or line break before it.  Tags never reach the
document files: the make_*.py scripts strip them, lay the text out (prose,
run-together lines, tab table, PDF-interleaved table), encode it and write
the label TOML.  The snippet of each label is a substring of its statement
whose first occurrence in the decoded document lies inside that statement;
the choice is mechanical (see `pick_snippet`), the task is the author's.

Nothing here reads luoshi or its output.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
DOCS = HERE / "docs"
LABELS = HERE / "labels"

TASKS = {
    "1.1", "1.2", "1.3", "1.4",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2", "3.3",
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3",
    "6.1", "6.2", "6.3", "6.4", "6.5",
}
ENDS = set("。；！？")
BREAKS = ENDS | {"\n", "\t"}
TAG = re.compile(r"«([^«»|]+)(?:\|([^«»]*))?»")


@dataclass
class Statement:
    """One labelled statement of a source file."""

    task: str
    note: str | None
    text: str = ""


@dataclass
class Doc:
    """A parsed source: characters with the statement that owns each."""

    chars: list[str] = field(default_factory=list)
    owner: list[int | None] = field(default_factory=list)
    stmts: list[Statement] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.chars)


def parse(src: str) -> Doc:
    """Split a tagged source into characters and statements."""
    doc = Doc()
    pos = 0
    for m in TAG.finditer(src):
        chunk = src[pos:m.start()]
        start = len(doc.chars)
        doc.chars.extend(chunk)
        doc.owner.extend([None] * len(chunk))
        # walk back from the character before the tag to the last break
        end = len(doc.chars)
        i = end - 2
        while i >= 0 and doc.chars[i] not in BREAKS:
            i -= 1
        first = i + 1
        # skip leading spaces of the statement
        while first < end and doc.chars[first] in " \u3000":
            first += 1
        task = m.group(1).strip()
        task = "extension" if task == "ext" else task
        if task not in TASKS and task != "extension":
            raise ValueError(f"unknown task {task!r} near {src[m.start()-30:m.start()]!r}")
        idx = len(doc.stmts)
        st = Statement(task=task, note=(m.group(2) or None))
        st.text = "".join(doc.chars[first:end])
        if len(st.text) < 8:
            raise ValueError(f"statement too short: {st.text!r}")
        for k in range(first, end):
            if doc.owner[k] is not None:
                raise ValueError(f"overlapping statements at {st.text!r}")
            doc.owner[k] = idx
        doc.stmts.append(st)
        pos = m.end()
        del start
    tail = src[pos:]
    doc.chars.extend(tail)
    doc.owner.extend([None] * len(tail))
    if "«" in tail or "»" in tail:
        raise ValueError("stray tag bracket")
    return doc


def load(name: str) -> Doc:
    return parse((SRC / name).read_text(encoding="utf-8"))


# ---------------------------------------------------------------- layouts

AREA_HEAD = re.compile(r"^[一二三四五六七八九十]+、")


def run_together(doc: Doc, keep_every: int = 2) -> Doc:
    """Join lines into long lines: only every `keep_every`-th area heading
    (一、 二、 …) still starts a new line; everything else runs on."""
    out = Doc(stmts=doc.stmts)
    text = doc.text()
    line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    keep = set()
    n_area = 0
    for s in line_starts:
        if AREA_HEAD.match(text[s:s + 4]):
            n_area += 1
            if n_area % keep_every == 1:
                keep.add(s - 1)
    for i, (c, o) in enumerate(zip(doc.chars, doc.owner)):
        if c == "\n" and i not in keep and i != len(doc.chars) - 1:
            continue
        out.chars.append(c)
        out.owner.append(o)
    return out


def pdf_interleave(doc: Doc, seed: str, req_col: int = 2) -> Doc:
    """Naive-PDF-extraction damage on a tab table.

    Each table row is typeset in fixed-width columns: every cell wraps into
    lines of its column's width (the requirement column 13–17 characters,
    chosen per document; narrow columns 2–9).  Short cells are vertically
    centred in the row.  A naive extractor then reads the page line by line,
    left to right, so the lines of the row number, task, responsible unit
    and deadline are spliced between the requirement's lines, in the middle
    of its sentences (as in seeds 000 and 002).  Now and then (30%) a narrow
    column is instead emitted as one block after the row, as extractors do
    when a cell is a separate text object.  Rows run together into long
    paragraphs of 2–4 rows; the column header repeats as a page header.
    Deterministic for a given seed.
    """
    rng = random.Random(seed)
    out = Doc(stmts=doc.stmts)
    w_req = rng.randint(13, 17)

    def emit(s: str, owner: list[int | None] | None = None) -> None:
        out.chars.extend(s)
        out.owner.extend(owner if owner is not None else [None] * len(s))

    text = doc.text()
    lines = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    widths: dict[int, int] = {}
    rows_in_par = 0
    par_len = rng.randint(2, 4)
    for start, line in lines:
        if "\t" not in line:
            if line.strip():
                emit(line + "\n", doc.owner[start:start + len(line)] + [None])
            continue
        cells = []
        cpos = start
        for cell in line.split("\t"):
            cells.append((cpos, cell))
            cpos += len(cell) + 1
        if line.startswith(("序号", "目标")):
            if rng.random() < 0.5:
                emit(line.replace("\t", " ") + "\n")
            continue
        if len(cells) <= req_col:
            emit(line.replace("\t", ""), doc.owner[start:start + len(line)])
            continue
        # wrap every cell into its column's lines
        columns = []
        trailer = []
        for j, (cs, cell) in enumerate(cells):
            if not cell.strip():
                continue
            if j == req_col:
                w = w_req
            else:
                w = widths.setdefault(j, rng.randint(2, 9))
                if rng.random() < 0.3:
                    trailer.append(cell)
                    continue
            owner = doc.owner[cs:cs + len(cell)]
            wrapped = [(cell[k:k + w], owner[k:k + w]) for k in range(0, len(cell), w)]
            columns.append((j, wrapped))
        height = max(len(w) for _, w in columns) if columns else 0
        placed = []
        for j, wrapped in columns:
            top = (height - len(wrapped)) // 2
            placed.append((j, top, wrapped))
        for i in range(height):
            for j, top, wrapped in placed:
                if top <= i < top + len(wrapped):
                    s, o = wrapped[i - top]
                    emit(s, o)
        emit("".join(trailer))
        rows_in_par += 1
        if rows_in_par >= par_len:
            emit("\n")
            rows_in_par = 0
            par_len = rng.randint(2, 4)
    return out


# ---------------------------------------------------------------- snippets

PUNCT = set("，。；：、！？（）“”《》〔〕()\t\n ")


def spans(doc: Doc) -> list[tuple[int, int]]:
    lo: dict[int, int] = {}
    hi: dict[int, int] = {}
    for i, o in enumerate(doc.owner):
        if o is None:
            continue
        lo.setdefault(o, i)
        hi[o] = i + 1
    return [(lo[k], hi[k]) for k in range(len(doc.stmts))]


def intact_runs(doc: Doc, k: int) -> list[tuple[int, int]]:
    """Maximal runs of consecutive output positions owned by statement k."""
    runs = []
    start = None
    for i, o in enumerate(doc.owner + [None]):
        if o == k and start is None:
            start = i
        elif o != k and start is not None:
            runs.append((start, i))
            start = None
    return runs


def pick_snippet(doc: Doc, k: int, text: str | None = None) -> str:
    """A substring of statement k whose first occurrence in the whole text
    falls inside the statement, taken from the statement's intact text in
    the laid-out document (a PDF splice may cut a statement into runs).

    Preferred: a clause start (after ，、；： or the item number), skipping
    the statement's first clause when another qualifies (opening verbs are
    formulaic), running to the clause end if that gives 10–18 characters,
    else 14 characters.  Fallback: any window of 12, 10, 9 or 8 characters
    that does not start or end with punctuation."""
    text = doc.text() if text is None else text
    lo, hi = spans(doc)[k]
    runs = intact_runs(doc, k)
    owned = set()
    for a, b in runs:
        owned.update(range(a, b))

    def ok(s: int, n: int) -> bool:
        if not all(i in owned for i in range(s, s + n)):
            return False
        snip = text[s:s + n]
        if snip[0] in PUNCT or snip[-1] in PUNCT or any(c in "\t\n" for c in snip):
            return False
        for a, b in ("（）", "“”", "《》", "()"):
            if snip.count(a) != snip.count(b) or (a in snip and snip.index(a) > snip.index(b)):
                return False
        f = text.find(snip)
        return lo <= f < hi

    # clause starts
    starts = []
    i = lo
    while i < hi and (text[i].isdigit() or text[i] in ". 、（）()\u3000"):
        i += 1
    starts.append(i)
    for j in range(i, hi - 1):
        if text[j] in "，、；：" and j + 1 < hi:
            starts.append(j + 1)
    ordered = starts[1:] + starts[:1]
    for s in ordered:
        e = s
        while e < hi and text[e] not in "，。；：！？\t\n":
            e += 1
        n = e - s
        if 10 <= n <= 18 and ok(s, n):
            return text[s:s + n]
        for m in (14, 12, 16, 10):
            if s + m <= hi and ok(s, m):
                return text[s:s + m]
    for length in (12, 10, 9, 8):
        for a, b in runs:
            for s in range(a, b - length + 1):
                if ok(s, length):
                    return text[s:s + length]
    raise ValueError(f"no unique snippet for statement {doc.stmts[k].text!r}")


# ---------------------------------------------------------------- output

def decode(data: bytes) -> str:
    """Decode as luoshi's ingester does: BOM → utf-8 / utf-16; else utf-8;
    else gb18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8":
        return text.encode("utf-8")
    if encoding == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if encoding in ("gbk", "gb18030"):
        return text.encode(encoding)
    raise ValueError(encoding)


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write(doc: Doc, file: str, encoding: str) -> tuple[int, int]:
    """Write the document file and its label TOML; return (national, ext)."""
    text = doc.text()
    if not text.endswith("\n"):
        text += "\n"
        doc.chars.append("\n")
        doc.owner.append(None)
    data = encode(text, encoding)
    if decode(data) != text:
        raise ValueError(f"{file}: encoding round trip failed")
    DOCS.mkdir(exist_ok=True)
    LABELS.mkdir(exist_ok=True)
    (DOCS / file).write_bytes(data)
    lines = [f"seed = {toml_str(file)}", ""]
    nat = ext = 0
    for k, st in enumerate(doc.stmts):
        snip = pick_snippet(doc, k, text)
        lines.append("[[label]]")
        lines.append(f"snippet = {toml_str(snip)}")
        lines.append(f"task = {toml_str(st.task)}")
        if st.note:
            lines.append(f"note = {toml_str(st.note.strip())}")
        lines.append("")
        if st.task == "extension":
            ext += 1
        else:
            nat += 1
    (LABELS / (Path(file).stem + ".toml")).write_text("\n".join(lines), encoding="utf-8")
    return nat, ext
