"""Regenerate every set-a document and label file from src/ (deterministic).

    python3 make_docs.py

For each source in DOCUMENTS: strip the label tags, lay the text out,
encode it and write docs/<file> and labels/<stem>.toml (see devlib.py).
Layouts:
  prose        the source as written (headings on their own lines);
  runon        lines run together: only every second area heading (一、 …)
               starts a new line (devlib.run_together);
  table        the source as written: a tab-separated task table whose
               shifted cells were typed by hand;
  pdf          the clean tab table of the source, damaged as naive PDF text
               extraction damages it (devlib.pdf_interleave, seeded by the
               file name).
"""

from __future__ import annotations

import devlib

# (source, document file, layout, encoding[, requirement column of a pdf table])
DOCUMENTS = [
    ("a_01_henan.txt", "a_01_henan.txt", "prose", "utf-8"),
    ("a_02_yichang.txt", "a_02_yichang.txt", "runon", "gbk"),
    ("a_03_jiangxi.txt", "a_03_jiangxi.txt", "table", "gb18030"),
    ("a_04_tianshui.txt", "a_04_tianshui.txt", "pdf", "utf-8"),
    ("a_05_wenzhou.txt", "a_05_wenzhou.txt", "prose", "utf-8-bom"),
    ("a_06_guangxi.txt", "a_06_guangxi.txt", "pdf", "gbk", 3),
    ("a_07_yantai.txt", "a_07_yantai.txt", "table", "utf-8"),
    ("a_08_heilongjiang.txt", "a_08_heilongjiang.txt", "runon", "gb18030"),
    ("a_09_sichuan.txt", "a_09_sichuan.txt", "prose", "gbk"),
    ("a_10_guiyang.txt", "a_10_guiyang.txt", "pdf", "utf-8-bom"),
]


def build(src: str, layout: str, seed: str, req_col: int = 2) -> devlib.Doc:
    doc = devlib.load(src)
    if layout in ("prose", "table"):
        return doc
    if layout == "runon":
        return devlib.run_together(doc)
    if layout == "pdf":
        return devlib.pdf_interleave(doc, seed, req_col)
    raise ValueError(layout)


def main() -> None:
    for src, file, layout, enc, *opt in DOCUMENTS:
        doc = build(src, layout, file, *opt)
        nat, ext = devlib.write(doc, file, enc)
        total = nat + ext
        print(f"{file:28} {layout:6} {enc:10} labels {total:3}  national {nat:3}  extension {ext:3} ({ext / total:.0%})")


if __name__ == "__main__":
    main()
