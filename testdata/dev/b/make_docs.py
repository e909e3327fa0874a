#!/usr/bin/env python3
"""Render set b's development documents and their label files.

Each document is written once, in simplified script, as a marked-up source
file under src/.  A labelled statement carries its snippet inline:

    «TASK|snippet text»          or   «TASK|snippet text|note»

TASK is a national task id (1.1 … 6.5), `x` for a local addition
(`extension`) or `bp` for a site-furniture line (`boilerplate`).  The
character `⇥` stands for a tab (table layouts).  This script strips the
markers, converts the script (opencc s2t, s2tw or s2hk) where the document
is traditional, joins the lines with the document's line ending, encodes
the bytes (UTF-8 with BOM, UTF-16LE with BOM, GB18030) and writes
docs/NAME and labels/NAME.toml.  The output is deterministic: rerunning rewrites the same
bytes.  Requires: pip install opencc-python-reimplemented.

Usage: python3 make_docs.py          (writes docs/ and labels/)
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# name, source, script (s = simplified as written, else an opencc
# config: s2t, s2tw, s2hk), encoding, line ending
DOCS = [
    ("b_01_anji.txt", "b_01_anji.src", "s", "utf-8-bom", "\n"),
    ("b_02_hunan_env.txt", "b_02_hunan_env.src", "s", "gb18030", "\r\n"),
    ("b_03_haizhu.txt", "b_03_haizhu.src", "s", "utf-16le-bom", "\r\n"),
    ("b_04_shenzhen_health.txt", "b_04_shenzhen_health.src", "s2t", "utf-8-bom", "\n"),
    ("b_05_sichuan_finance.txt", "b_05_sichuan_finance.src", "s", "utf-8-bom", "\n"),
    ("b_06_dali.txt", "b_06_dali.src", "s2tw", "utf-16le-bom", "\n"),
    ("b_07_luoyang_housing.txt", "b_07_luoyang_housing.src", "s", "gb18030", "\n"),
    ("b_08_qingdao_edu.txt", "b_08_qingdao_edu.src", "s2hk", "utf-8-bom", "\r\n"),
    ("b_09_fuping.txt", "b_09_fuping.src", "s", "gb18030", "\r\n"),
    ("b_10_kunshan.txt", "b_10_kunshan.src", "s2t", "utf-16le-bom", "\r\n"),
]

MARK = re.compile(r"«([^|«»]+)\|([^|«»]+)(?:\|([^«»]+))?»")
TASK_ID = re.compile(r"^[1-6]\.[1-8]$")
CODES = {"x": "extension", "bp": "boilerplate"}

_cc = None


def to_traditional(s, config):
    """Converts simplified text with opencc: `s2t` (OpenCC standard forms,
    as many mainland sites' 繁體 toggles serve), `s2tw` or `s2hk`."""
    global _cc
    if _cc is None:
        _cc = {}
    if config not in _cc:
        import opencc

        _cc[config] = opencc.OpenCC(config)
    return _cc[config].convert(s)


def render(src_name, script, eol):
    """Returns (text, labels); each label is a dict with snippet, task,
    note and `at`, the intended character offset of the snippet."""
    path = os.path.join(HERE, "src", src_name)
    with open(path, encoding="utf-8") as f:
        raw_lines = f.read().rstrip("\n").split("\n")
    out_lines, labels, offset = [], [], 0
    for n, raw in enumerate(raw_lines, 1):
        line, marks, pos = "", [], 0
        for m in MARK.finditer(raw):
            line += raw[pos:m.start()]
            code, snip, note = m.group(1).strip(), m.group(2), m.group(3)
            task = CODES.get(code, code)
            if task not in CODES.values() and not TASK_ID.match(task):
                sys.exit(f"{src_name}:{n}: unknown task code {code!r}")
            marks.append((len(line), len(line) + len(snip), task, note, snip))
            line += snip
            pos = m.end()
        line += raw[pos:]
        if marks and "|" in line:
            sys.exit(f"{src_name}:{n}: '|' outside a label marker (misplaced note?)")
        if "«" in line or "»" in line:
            sys.exit(f"{src_name}:{n}: unbalanced label marker")
        line = line.replace("⇥", "\t")
        if script != "s":
            conv = to_traditional(line, script)
            if len(conv) != len(line):
                sys.exit(f"{src_name}:{n}: conversion changed the line length")
            line = conv
        for a, b, task, note, _ in marks:
            labels.append(dict(snippet=line[a:b], task=task, note=note,
                               at=offset + a, line=n))
        out_lines.append(line)
        offset += len(line) + len(eol)
    return eol.join(out_lines) + eol, labels


def encode(text, enc):
    if enc == "utf-8-bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if enc == "utf-16le-bom":
        return b"\xff\xfe" + text.encode("utf-16-le")
    if enc == "gb18030":
        return text.encode("gb18030")
    if enc == "utf-8":
        return text.encode("utf-8")
    raise ValueError(enc)


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def label_toml(name, labels):
    out = [f"seed = {toml_str(name)}", ""]
    for l in labels:
        out.append("[[label]]")
        out.append(f"snippet = {toml_str(l['snippet'])}")
        out.append(f"task = {toml_str(l['task'])}")
        if l["note"]:
            out.append(f"note = {toml_str(l['note'].strip())}")
        out.append("")
    return "\n".join(out)


def main():
    only = set(sys.argv[1:])
    for name, src, script, enc, eol in DOCS:
        if only and name not in only:
            continue
        if not os.path.exists(os.path.join(HERE, "src", src)):
            print(f"skip {name}: no source yet")
            continue
        text, labels = render(src, script, eol)
        with open(os.path.join(HERE, "docs", name), "wb") as f:
            f.write(encode(text, enc))
        with open(os.path.join(HERE, "labels", name[:-4] + ".toml"), "w",
                  encoding="utf-8") as f:
            f.write(label_toml(name, labels))
        print(f"wrote {name}: {len(labels)} labels")


if __name__ == "__main__":
    main()
