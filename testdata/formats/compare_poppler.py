#!/usr/bin/env python3
"""Compares luoshi's PDF text with poppler's, the independent reference.

For each PDF: the characters poppler's `pdftotext -bbox-layout` finds in
its words, and those luoshi's extract example prints, compared as
multisets (whitespace left out, radicals folded on both sides with
luoshi's table, so the comparison is of reading, not of folding): how many
of poppler's characters luoshi has, and how many it has that poppler has
not. Then, for a seed whose table cells are known (the seed's tab-separated
lines), the cells that are not whole within one line of each reader's
text: luoshi's lines, and poppler's `-bbox-layout` lines.

    cargo build --release --no-default-features --example extract
    python3 testdata/formats/compare_poppler.py TARGET/release/examples/extract FILE.pdf...

Needs poppler-utils (Debian) for pdftotext.
"""

import re
import subprocess
import sys
from collections import Counter
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fold_table():
    src = (ROOT / "crates/core/src/extract/radicals_table.rs").read_text("utf-8")
    first = int(re.search(r"FIRST: u32 = 0x([0-9A-F]+)", src).group(1), 16)
    body = src[src.index("= [") + 3 : src.index("];")]
    values = [int(v, 16) for v in re.findall(r"0x([0-9A-F]+)", body)]
    return {first + i: v for i, v in enumerate(values) if v}


FOLD = fold_table()


def fold(s):
    return "".join(chr(FOLD.get(ord(c), ord(c))) for c in s if not c.isspace())


def poppler_lines(pdf):
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    lines = []
    for line in re.findall(r"<line[^>]*>(.*?)</line>", xml, re.S):
        lines.append("".join(unescape(w) for w in re.findall(r"<word[^>]*>(.*?)</word>", line, re.S)))
    return lines


def seed_cells(stem):
    seed = ROOT / "seeds" / f"{stem}.txt"
    if not seed.exists():
        return []
    return [fold(c) for l in seed.read_text("utf-8").splitlines() if "\t" in l for c in l.split("\t") if c.strip()]


def cut(lines, cells):
    flat = [fold(l) for l in lines]
    return sum(1 for c in cells if not any(c in l for l in flat))


def main():
    extract, pdfs = sys.argv[1], sys.argv[2:]
    print("file\tpoppler chars\tluoshi has\tluoshi extra\ttable cells\tcut (luoshi)\tcut (poppler)")
    for pdf in pdfs:
        ours = subprocess.run([extract, pdf], capture_output=True, text=True).stdout
        theirs = poppler_lines(pdf)
        a, b = Counter(fold(ours)), Counter(fold("".join(theirs)))
        common = sum((a & b).values())
        cells = seed_cells(Path(pdf).stem)
        print(
            f"{pdf}\t{sum(b.values())}\t{common / max(1, sum(b.values())):.2%}\t{sum((a - b).values())}"
            f"\t{len(cells)}\t{cut(ours.splitlines(), cells)}\t{cut(theirs, cells)}"
        )


if __name__ == "__main__":
    main()
