#!/usr/bin/env python3
"""Check set b's labels against the document files, decoding them as luoshi
does: a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE); otherwise
strict UTF-8; otherwise strict GB18030.

For every label: the snippet occurs in the decoded text; its FIRST
occurrence is the offset the source marks (make_docs.render), i.e. inside
the intended statement; it is 8-20 characters and holds no sentence end;
no two labels fall in the same statement.
Also checks that the decoded file equals a fresh rendering of its source,
and prints counts per document (labels, national, extension, boilerplate).
Exit status 1 on any failure.  Usage: python3 check_labels.py
"""
import os
import sys
import tomllib

import make_docs

HERE = os.path.dirname(os.path.abspath(__file__))


def decode(data):
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                     (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(enc), enc + "+bom"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def main():
    with open(os.path.join(HERE, "regions.toml"), "rb") as f:
        manifest = {d["file"]: d for d in tomllib.load(f)["document"]}
    bad = 0
    totals = [0, 0, 0, 0]
    print(f"{'file':28} {'enc':14} {'chars':>6} {'labels':>6} {'nat':>4} "
          f"{'ext':>4} {'bp':>3} {'ext%':>5}")
    for name, src, script, enc, eol in make_docs.DOCS:
        path = os.path.join(HERE, "docs", name)
        if not os.path.exists(path):
            continue
        if name not in manifest:
            print(f"FAIL {name}: not in regions.toml")
            bad += 1
        with open(path, "rb") as f:
            text, found_enc = decode(f.read())
        expect_text, marks = make_docs.render(src, script, eol)
        if text != expect_text:
            print(f"FAIL {name}: file differs from its source; rerun make_docs.py")
            bad += 1
        with open(os.path.join(HERE, "labels", name[:-4] + ".toml"), "rb") as f:
            lf = tomllib.load(f)
        if lf["seed"] != name:
            print(f"FAIL {name}: label file names {lf['seed']}")
            bad += 1
        labels = lf["label"]
        if len(labels) != len(marks):
            print(f"FAIL {name}: {len(labels)} labels, source marks {len(marks)}")
            bad += 1
        for l, m in zip(labels, marks):
            s = l["snippet"]
            at = text.find(s)
            where = f"{name} (src line {m['line']}) {s!r}"
            if at < 0:
                print(f"FAIL {where}: not in text")
                bad += 1
            elif at != m["at"]:
                line = text.count("\n", 0, at) + 1
                print(f"FAIL {where}: first occurrence at text line {line}, "
                      f"not the marked statement")
                bad += 1
            if not 8 <= len(s) <= 20:
                print(f"WARN {where}: {len(s)} characters")
            if any(c in s for c in "。；！？\n\t"):
                print(f"FAIL {where}: crosses a statement boundary")
                bad += 1
            if l["task"] != m["task"]:
                print(f"FAIL {where}: task {l['task']} vs source {m['task']}")
                bad += 1
        # one label per statement: no two snippets in the same sentence
        # (a sentence ends at 。；！？, a line break or a table cell's tab)
        seen = {}
        for l, m in zip(labels, marks):
            a = m["at"]
            start = max(text.rfind(c, 0, a) for c in "。；！？\n\t") + 1
            if start in seen:
                print(f"FAIL {name} (src line {m['line']}): {l['snippet']!r} shares "
                      f"a statement with {seen[start]!r}")
                bad += 1
            seen[start] = l["snippet"]
        nat = sum(1 for l in labels if l["task"] not in ("extension", "boilerplate"))
        ext = sum(1 for l in labels if l["task"] == "extension")
        bp = sum(1 for l in labels if l["task"] == "boilerplate")
        share = 100 * ext / max(1, nat + ext)
        print(f"{name:28} {found_enc:14} {len(text):6} {len(labels):6} {nat:4} "
              f"{ext:4} {bp:3} {share:5.1f}")
        for i, v in enumerate((len(labels), nat, ext, bp)):
            totals[i] += v
    share = 100 * totals[2] / max(1, totals[1] + totals[2])
    print(f"{'total':28} {'':14} {'':6} {totals[0]:6} {totals[1]:4} "
          f"{totals[2]:4} {totals[3]:3} {share:5.1f}")
    if bad:
        print(f"{bad} failure(s)")
        sys.exit(1)
    print("all snippets found at their marked statements")


if __name__ == "__main__":
    main()
