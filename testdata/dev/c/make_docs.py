#!/usr/bin/env python3
"""Build development set c from its annotated sources (deterministic).

Each source in src/NN_name.src is simplified-Chinese UTF-8 text written by hand.
A labelled statement starts with a marker «TASK» or «TASK|note» placed
immediately before it; the statement runs to the next sentence end (。；！？,
included) or to the next tab or line end, whichever comes first.  Everything
else (headings, responsibility lines, deadlines, signatures) carries no marker.

The first line of a source is a header:  #! file=c_01_x.txt enc=utf-8 script=s eol=lf
  enc    utf-8 | utf-8-sig | utf-16le-bom | gb18030
  script s (keep simplified) | t (convert to traditional with OpenCC s2t)
  eol    lf | crlf

For each source this script writes docs/<file> (bytes in the stated encoding)
and labels/<file stem>.toml.  For every statement it picks a snippet of 10-16
characters whose FIRST occurrence in the decoded document lies inside that
statement (the evaluator does text.find(snippet)).  The snippet is chosen
mechanically (first qualifying window), never by looking at any aligner output.

Run:  python3 make_docs.py        (then python3 check_labels.py)
"""
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
MARK = re.compile(r"«([^»|]+)(?:\|([^»]*))?»")
ENDS = "。；！？"
PUNCT = set("，。；：、！？（）“”《》〔〕【】 \t\r\n·…—")


def parse(src):
    """Return (plain text segments, statements) from marked source text."""
    out = []  # list of (text, label-or-None)
    pos = 0
    for m in MARK.finditer(src):
        if m.start() > pos:
            out.append((src[pos:m.start()], None))
        # statement text runs from m.end() to the sentence end
        i = m.end()
        j = i
        while j < len(src) and src[j] not in ENDS and src[j] not in "\t\n" and src[j] != "«":
            j += 1
        if j < len(src) and src[j] in ENDS:
            j += 1
        out.append((src[i:j], (m.group(1).strip(), (m.group(2) or "").strip())))
        pos = j
    out.append((src[pos:], None))
    return out


def pick_snippet(text, start, end):
    stmt = text[start:end]
    for length in (12, 11, 13, 10, 14, 15, 16):
        for off in range(0, max(1, len(stmt) - length + 1)):
            cand = stmt[off:off + length]
            if len(cand) < length:
                continue
            if cand[0] in PUNCT or cand[-1] in PUNCT:
                continue
            if any(c in "\t\r\n" for c in cand):
                continue
            if text.find(cand) == start + off:
                return cand
    return None


def render(path):
    """Return (meta, decoded text, statements) for one source, without writing."""
    raw = path.read_text(encoding="utf-8")
    header, body = raw.split("\n", 1)
    meta = dict(kv.split("=", 1) for kv in header[2:].split())
    segs = parse(body)
    if meta.get("script") == "t":
        import opencc
        conv = opencc.OpenCC("s2t")
        segs = [(conv.convert(t), lab if lab is None else (lab[0], lab[1])) for t, lab in segs]
    if meta.get("eol") == "crlf":
        segs = [(t.replace("\n", "\r\n"), lab) for t, lab in segs]
    text = ""
    stmts = []
    for t, lab in segs:
        if lab is not None:
            stmts.append((len(text), len(text) + len(t), lab, t))
        text += t
    return meta, text, stmts


def build(path):
    meta, text, stmts = render(path)
    labels = []
    for start, end, (task, note), t in stmts:
        snip = pick_snippet(text, start, end)
        if snip is None:
            sys.exit(f"{path.name}: no unique snippet for statement: {t}")
        labels.append((snip, task, note))
    enc = meta["enc"]
    if enc == "utf-8":
        data = text.encode("utf-8")
    elif enc == "utf-8-sig":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    elif enc == "utf-16le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    elif enc == "gb18030":
        data = text.encode("gb18030")
    else:
        sys.exit(f"{path.name}: unknown enc {enc}")
    fname = meta["file"]
    (HERE / "docs" / fname).write_bytes(data)
    lines = [f'seed = "{fname}"', ""]
    for snip, task, note in labels:
        lines.append("[[label]]")
        lines.append(f'snippet = "{snip}"')
        lines.append(f'task = "{task}"')
        if note:
            lines.append('note = "' + note.replace('\\', '\\\\').replace('"', '\\"') + '"')
        lines.append("")
    (HERE / "labels" / (pathlib.Path(fname).stem + ".toml")).write_text("\n".join(lines), encoding="utf-8")
    ext = sum(1 for _, t, _ in labels if t == "extension")
    print(f"{fname}: {len(labels)} labels, {ext} extension, {len(data)} bytes, enc {enc}")


def main():
    for p in sorted((HERE / "src").glob("*.src")):
        build(p)


if __name__ == "__main__":
    main()
