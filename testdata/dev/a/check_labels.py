"""Check set a's labels against its documents (run: python3 check_labels.py).

1. Decodes each document as luoshi's ingester does (BOM → UTF-8 / UTF-16;
   else UTF-8; else GB18030) and checks that every label's snippet occurs,
   is 8–20 characters long, and has a valid task.
2. Checks that the snippet's FIRST occurrence lies inside the statement the
   label was written for: the document is rebuilt from its tagged source
   (make_docs.build) and the first occurrence must fall inside the span of
   the statement with the same position in the label file and the same task.
3. Checks that the rebuilt document is byte-identical to docs/<file>
   (the generators are deterministic) and that labels in regions.toml are
   unique across every testdata/dev/*/regions.toml and seeds/regions.toml.
Prints per-document counts; exits 1 on any failure.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import devlib
import make_docs

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def main() -> int:
    fails = 0
    manifest = tomllib.loads((HERE / "regions.toml").read_text(encoding="utf-8"))
    files = [d["file"] for d in manifest["document"]]
    sources = {row[1]: row for row in make_docs.DOCUMENTS}
    totals = {"labels": 0, "national": 0, "extension": 0, "boilerplate": 0}
    print(f"{'file':24} {'enc':10} {'layout':6} {'labels':>6} {'nat':>4} {'ext':>4} {'ext%':>5} {'multi':>5}")
    for file in files:
        data = (HERE / "docs" / file).read_bytes()
        text = devlib.decode(data)
        labels = tomllib.loads((HERE / "labels" / (Path(file).stem + ".toml")).read_text(encoding="utf-8"))
        if labels.get("seed") != file:
            print(f"FAIL {file}: label file seed = {labels.get('seed')!r}")
            fails += 1
        row = sources.get(file)
        if row is None:
            print(f"FAIL {file}: not in make_docs.DOCUMENTS")
            fails += 1
            continue
        src, _, layout, enc, *opt = row
        doc = make_docs.build(src, layout, file, *opt)
        rebuilt = doc.text() if doc.text().endswith("\n") else doc.text() + "\n"
        if devlib.encode(rebuilt, enc) != data:
            print(f"FAIL {file}: docs/ file differs from a fresh build (run make_docs.py)")
            fails += 1
        spans = devlib.spans(doc)
        n = {"national": 0, "extension": 0, "boilerplate": 0}
        multi = 0
        lab = labels.get("label", [])
        if len(lab) != len(doc.stmts):
            print(f"FAIL {file}: {len(lab)} labels for {len(doc.stmts)} tagged statements")
            fails += 1
        for k, lb in enumerate(lab):
            snip, task = lb["snippet"], lb["task"]
            kind = task if task in ("extension", "boilerplate") else "national"
            if kind == "national" and task not in devlib.TASKS:
                print(f"FAIL {file}: label {k}: unknown task {task!r}")
                fails += 1
            n[kind] += 1
            if not 8 <= len(snip) <= 20:
                print(f"FAIL {file}: label {k}: snippet length {len(snip)}: {snip!r}")
                fails += 1
            f = text.find(snip)
            if f < 0:
                print(f"FAIL {file}: label {k}: snippet not found: {snip!r}")
                fails += 1
                continue
            if text.count(snip) > 1:
                multi += 1
            if k < len(spans):
                lo, hi = spans[k]
                if not (lo <= f < hi) or doc.stmts[k].task != task:
                    print(f"FAIL {file}: label {k}: first occurrence of {snip!r} at {f} is not in its statement [{lo},{hi})")
                    fails += 1
        total = sum(n.values())
        for key in n:
            totals[key] += n[key]
        totals["labels"] += total
        print(f"{file:24} {enc:10} {layout:6} {total:6} {n['national']:4} {n['extension']:4} {n['extension'] / max(total, 1):5.0%} {multi:5}")
    print(f"{'total':24} {'':10} {'':6} {totals['labels']:6} {totals['national']:4} {totals['extension']:4} "
          f"{totals['extension'] / max(totals['labels'], 1):5.0%}   boilerplate {totals['boilerplate']}")
    # label uniqueness across all manifests
    seen: dict[str, str] = {}
    for reg in [ROOT / "seeds" / "regions.toml", *sorted((ROOT / "testdata" / "dev").glob("*/regions.toml"))]:
        m = tomllib.loads(reg.read_text(encoding="utf-8"))
        for d in m.get("document", []):
            if d["label"] in seen:
                print(f"FAIL label {d['label']!r} in {reg} also in {seen[d['label']]}")
                fails += 1
            seen[d["label"]] = str(reg)
    print("multi = snippets that occur more than once (first occurrence still checked)")
    print("OK" if not fails else f"{fails} failure(s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
