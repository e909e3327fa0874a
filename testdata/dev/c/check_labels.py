#!/usr/bin/env python3
"""Check development set c's labels against its documents.

Decodes each document as luoshi does (UTF-8 BOM -> UTF-8; UTF-16 BOM ->
UTF-16; else UTF-8; else GB18030), then checks for every label that its
snippet occurs, that it is 8-20 characters long, that its first occurrence is
the statement it was written for (recorded by make_docs.py from the source
markers: the occurrence must lie on a marked statement in src/), that the task
is a known id, and that the manifest lists every document.  Prints counts.
Exit status 1 on any failure.
"""
import pathlib
import re
import sys
import tomllib

import make_docs

HERE = pathlib.Path(__file__).resolve().parent
TASKS = {f"{a}.{b}" for a, n in [(1, 4), (2, 4), (3, 3), (4, 4), (5, 3), (6, 5)] for b in range(1, n + 1)}
TASKS |= {"extension", "boilerplate"}
MARK = re.compile(r"«([^»|]+)(?:\|([^»]*))?»")


def decode(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8 (BOM)"
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le"), "utf-16le (BOM)"
    if data.startswith(b"\xfe\xff"):
        return data[2:].decode("utf-16-be"), "utf-16be (BOM)"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("gb18030"), "gb18030"


def main():
    manifest = tomllib.loads((HERE / "regions.toml").read_text(encoding="utf-8"))
    listed = {d["file"] for d in manifest["document"]}
    bad = 0
    spans = {}
    for src in sorted((HERE / "src").glob("*.src")):
        meta, rendered, stmts = make_docs.render(src)
        spans[meta["file"]] = (rendered, stmts)
    totals = {"labels": 0, "national": 0, "extension": 0, "boilerplate": 0}
    for lab in sorted((HERE / "labels").glob("*.toml")):
        spec = tomllib.loads(lab.read_text(encoding="utf-8"))
        doc = HERE / "docs" / spec["seed"]
        if spec["seed"] not in listed:
            print(f"{lab.name}: {spec['seed']} missing from regions.toml")
            bad += 1
        text, enc = decode(doc.read_bytes())
        counts = {"national": 0, "extension": 0, "boilerplate": 0}
        seen = set()
        for i, l in enumerate(spec["label"]):
            s, t = l["snippet"], l["task"]
            where = text.find(s)
            problems = []
            if where < 0:
                problems.append("snippet not found")
            if not 8 <= len(s) <= 20:
                problems.append(f"snippet has {len(s)} characters")
            if t not in TASKS:
                problems.append(f"unknown task {t}")
            if where in seen:
                problems.append("two labels on one occurrence")
            seen.add(where)
            if problems:
                bad += 1
                print(f"{lab.name} label {i + 1} ({s}): " + "; ".join(problems))
            counts["national" if t not in ("extension", "boilerplate") else t] += 1
        n = len(spec["label"])
        rendered, stmts = spans.get(spec["seed"], (None, []))
        if rendered != text:
            bad += 1
            print(f"{lab.name}: document differs from what src/ renders; run make_docs.py")
        elif len(stmts) != n:
            bad += 1
            print(f"{lab.name}: {n} labels but {len(stmts)} marked statements in src/")
        else:
            for l, (start, end, (task, _), _) in zip(spec["label"], stmts):
                w = text.find(l["snippet"])
                if not start <= w < end or l["task"] != task:
                    bad += 1
                    print(f"{lab.name} ({l['snippet']}): first occurrence is not its statement")
        # statement order: first occurrences must increase (labels are written in document order)
        pos = [text.find(l["snippet"]) for l in spec["label"]]
        if pos != sorted(pos):
            bad += 1
            print(f"{lab.name}: snippets' first occurrences are out of document order")
        print(f"{spec['seed']:28} {enc:15} labels {n:3}  national {counts['national']:3}  "
              f"extension {counts['extension']:3} ({100 * counts['extension'] / n:4.1f}%)")
        totals["labels"] += n
        for k in counts:
            totals[k] += counts[k]
    print(f"total: {totals['labels']} labels, {totals['national']} national, "
          f"{totals['extension']} extension, {totals['boilerplate']} boilerplate")
    for f in listed:
        if not (HERE / "docs" / f).exists():
            print(f"regions.toml lists {f}, which does not exist")
            bad += 1
    if bad:
        print(f"{bad} problem(s)")
        sys.exit(1)
    print("all snippets found at their statements")


if __name__ == "__main__":
    main()
