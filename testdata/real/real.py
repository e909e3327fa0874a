#!/usr/bin/env python3
"""The real development corpus: real government pages kept as citations.

The repository keeps, for each page, its address, the query that finds it in
the search corpus, its metadata (pages.toml) and its labels as (character
offset, length, SHA-1 of the snippet, kind, task, note) in labels/<id>.toml
(primary labeller) and second/<id>.toml (the independent second labeller).
The page texts are third-party copies and stay out of git: they live in
texts/<id>.txt (ignored), put there when a page is collected (`add`) or
re-fetched (`fetch`).

Commands (run from anywhere; paths are relative to this folder):
  add      keep a page: check it is not held out, store its text, record it
  segment  split texts into statements for labelling: work/statements/<id>.tsv
  import   labeller TSVs (sid, kind, task, note) -> labels/ or second/ TOML
  verify   check every stored text and every label's hash
  fetch    re-fetch pages from the live web and relocate every label by hash
  build    a labelled set luoshi calibrates on: build/regions.toml, docs/, labels/
  agree    agreement of the two labellers (raw, Cohen's kappa, confusions)
  stats    counts per page kind, task, label
"""
from __future__ import annotations

import argparse
import fcntl
import hashlib
import html
import json
import re
import signal
import subprocess
import sys
import tomllib
import unicodedata
import urllib.request
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PAGES = HERE / "pages.toml"
TEXTS = HERE / "texts"
WORK = HERE / "work"
CHECK = ROOT.parent / "shared" / "heldout" / "check_page.py"

KINDS = ("regional", "department", "news", "middle")
LEVELS = ("national", "province", "prefecture", "county", "township", "ministry", "department")
TASKS = {
    "1": ["1.1", "1.2", "1.3", "1.4"],
    "2": ["2.1", "2.2", "2.3", "2.4"],
    "3": ["3.1", "3.2", "3.3"],
    "4": ["4.1", "4.2", "4.3", "4.4"],
    "5": ["5.1", "5.2", "5.3"],
    "6": ["6.1", "6.2", "6.3", "6.4", "6.5"],
}
ALL_TASKS = [t for ts in TASKS.values() for t in ts]
STATEMENT_LABELS = set(ALL_TASKS) | {"extension", "other"}
HEADING_LABELS = set(ALL_TASKS) | set(TASKS) | {"none"}


def sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def load_pages() -> list[dict]:
    if not PAGES.exists():
        return []
    return tomllib.loads(PAGES.read_text(encoding="utf-8")).get("page", [])


def write_pages(pages: list[dict]) -> None:
    keys = ["id", "url", "query", "kind", "level", "region", "year", "title", "script", "chars", "sha1", "collected_by", "note"]
    out = ["# Real pages of the development corpus: citations only (README.md).", ""]
    for p in pages:
        out.append("[[page]]")
        for k in keys:
            if k in p and p[k] != "":
                v = p[k]
                out.append(f"{k} = {v}" if isinstance(v, int) else f"{k} = {toml_str(str(v))}")
        out.append("")
    PAGES.write_text("\n".join(out), encoding="utf-8")


def text_of(pid: str) -> str:
    return (TEXTS / f"{pid}.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- segment

END = set("。；！？;!?")
OPEN = "（(《“‘【〔["
CLOSE = "）)》”’】〕]"


def statements(text: str) -> list[tuple[int, int]]:
    """(offset, length) in characters of each statement: a line, split after
    。；！？ outside brackets and quotes; surrounding spaces trimmed."""
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        depth = 0
        start = pos
        for i, ch in enumerate(line):
            at = pos + i
            if ch in OPEN:
                depth += 1
            elif ch in CLOSE:
                depth = max(0, depth - 1)
            elif ch in END and depth == 0:
                out.append((start, at + 1 - start))
                start = at + 1
        end = pos + len(line.rstrip("\r\n"))
        if end > start:
            out.append((start, end - start))
        pos += len(line)
    trimmed = []
    for off, ln in out:
        s = text[off : off + ln]
        lead = len(s) - len(s.lstrip())
        s2 = s.strip()
        if s2 and any(ch.isalnum() for ch in s2):
            trimmed.append((off + lead, len(s2)))
    return trimmed


def cmd_segment(args) -> int:
    out = WORK / "statements"
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for p in load_pages():
        if args.ids and p["id"] not in args.ids:
            continue
        text = text_of(p["id"])
        with open(out / f"{p['id']}.tsv", "w", encoding="utf-8") as f:
            f.write("sid\toffset\tlength\ttext\n")
            for i, (off, ln) in enumerate(statements(text), 1):
                f.write(f"{i}\t{off}\t{ln}\t{text[off:off + ln].replace(chr(9), ' ')}\n")
                n += 1
    print(f"{n} statements written to {out}")
    return 0


# ---------------------------------------------------------------- add

def windows(text: str) -> set[str]:
    """16-character windows of letters and digits after NFKC (as the
    held-out check reads pages), to recognize one document kept twice."""
    c = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())
    return {c[i:i + 16] for i in range(0, max(1, len(c) - 15))}


def held_out(url: str | None, file: Path | None) -> bool:
    if not CHECK.exists():
        sys.exit(f"cannot check held-out pages: {CHECK} is missing")
    cmd = [sys.executable, str(CHECK)]
    if url:
        cmd += ["--url", url]
    if file:
        cmd.append(str(file))
    r = subprocess.run(cmd, capture_output=True, text=True)
    print(r.stdout.strip())
    return r.returncode != 0


def cmd_add(args) -> int:
    lock = open(HERE / ".pages.lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)  # collectors add pages at the same time
    pages = load_pages()
    if any(p["id"] == args.id for p in pages):
        sys.exit(f"page id {args.id} already exists")
    if any(p["url"] == args.url for p in pages):
        sys.exit(f"address {args.url} already kept")
    if args.kind not in KINDS or args.level not in LEVELS:
        sys.exit(f"kind must be one of {KINDS}, level one of {LEVELS}")
    src = Path(args.file)
    text = src.read_text(encoding="utf-8").replace("\r\n", "\n")
    if held_out(args.url, src):
        sys.exit(f"{args.url} is held out: not kept")
    mine = windows(text)
    for p in pages:
        f = TEXTS / f"{p['id']}.txt"
        if f.exists():
            theirs = windows(f.read_text(encoding="utf-8"))
            share = len(mine & theirs) / max(1, min(len(mine), len(theirs)))
            if share >= 0.5:
                sys.exit(f"{args.url} repeats page {p['id']} ({share:.0%} of its text): not kept")
    TEXTS.mkdir(exist_ok=True)
    (TEXTS / f"{args.id}.txt").write_text(text, encoding="utf-8")
    pages.append(dict(id=args.id, url=args.url, query=args.query, kind=args.kind, level=args.level,
                      region=args.region, year=args.year, title=args.title, script=args.script,
                      chars=len(text), sha1=sha1(text), collected_by=args.by, note=args.note or ""))
    write_pages(pages)
    print(f"kept {args.id}: {len(text)} characters, {len(statements(text))} statements")
    return 0


# ---------------------------------------------------------------- labels

def label_dir(which: str) -> Path:
    return HERE / ("labels" if which == "primary" else "second")


def load_labels(which: str) -> dict[str, dict]:
    d = label_dir(which)
    out = {}
    for f in sorted(d.glob("*.toml")) if d.exists() else []:
        lf = tomllib.loads(f.read_text(encoding="utf-8"))
        out[lf["page"]] = lf
    return out


def cmd_import(args) -> int:
    pages = {p["id"]: p for p in load_pages()}
    d = label_dir(args.which)
    d.mkdir(exist_ok=True)
    bad = 0
    for f in args.files:
        f = Path(f)
        pid = f.stem.split(".")[0]
        if pid not in pages:
            print(f"{f}: no page {pid}"); bad += 1; continue
        text = text_of(pid)
        segs = statements(text)
        rows = []
        for ln, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("sid"):
                continue
            cells = line.split("\t")
            if len(cells) < 3:
                print(f"{f}:{ln}: expected sid<TAB>kind<TAB>label[<TAB>note]"); bad += 1; continue
            sid, kind, task = cells[0].strip(), cells[1].strip(), cells[2].strip()
            note = cells[3].strip() if len(cells) > 3 else ""
            if not sid.isdigit() or not 1 <= int(sid) <= len(segs):
                print(f"{f}:{ln}: statement id {sid} out of range 1..{len(segs)}"); bad += 1; continue
            kind = {"s": "statement", "h": "heading"}.get(kind, kind)
            ok = (kind == "statement" and task in STATEMENT_LABELS) or (kind == "heading" and task in HEADING_LABELS)
            if not ok:
                print(f"{f}:{ln}: bad kind/label {kind!r} {task!r}"); bad += 1; continue
            off, length = segs[int(sid) - 1]
            rows.append((int(sid), off, length, kind, task, note))
        out = [f"page = {toml_str(pid)}", f"labeller = {toml_str(args.labeller)}", ""]
        for sid, off, length, kind, task, note in sorted(rows):
            out += ["[[label]]", f"sid = {sid}", f"offset = {off}", f"length = {length}",
                    f"sha1 = {toml_str(sha1(text[off:off + length]))}", f"kind = {toml_str(kind)}",
                    f"task = {toml_str(task)}"]
            if note:
                out.append(f"note = {toml_str(note)}")
            out.append("")
        (d / f"{pid}.toml").write_text("\n".join(out), encoding="utf-8")
        print(f"{pid}: {len(rows)} labels ({args.which})")
    return 1 if bad else 0


def cmd_verify(args) -> int:
    texts = Path(args.texts) if args.texts else TEXTS
    bad = missing = 0
    for p in load_pages():
        f = texts / f"{p['id']}.txt"
        if not f.exists():
            missing += 1; continue
        text = f.read_text(encoding="utf-8")
        if sha1(text) != p["sha1"]:
            print(f"{p['id']}: text hash differs"); bad += 1
        for which in ("primary", "second"):
            lf = load_labels(which).get(p["id"])
            for l in (lf or {}).get("label", []):
                if sha1(text[l["offset"]: l["offset"] + l["length"]]) != l["sha1"]:
                    print(f"{p['id']} {which} sid {l.get('sid')}: label hash differs"); bad += 1
    print(f"{len(load_pages())} pages, {missing} texts missing, {bad} mismatches")
    return 1 if bad else 0


# ---------------------------------------------------------------- fetch

def html_to_text(raw: bytes, declared: str | None) -> str:
    enc = None
    m = re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', raw[:4096])
    for cand in filter(None, [declared, m.group(1).decode() if m else None, "utf-8", "gb18030", "big5"]):
        try:
            s = raw.decode(cand)
            enc = cand
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if enc is None:
        s = raw.decode("utf-8", errors="replace")
    s = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1>", "", s)
    s = re.sub(r"(?i)<br\s*/?>|</(p|div|h[1-6]|li|tr|table|section)>", "\n", s)
    s = re.sub(r"(?s)<[^>]+>", "", s)
    s = html.unescape(s).replace("\xa0", " ")
    lines = [l.strip() for l in s.splitlines()]
    return "\n".join(l for l in lines if l)


def relocate(text: str, length: int, digest: str, near: int) -> int | None:
    """The start of a window of `length` characters with SHA-1 `digest`, the
    one nearest `near`."""
    best = None
    for i in range(0, max(0, len(text) - length) + 1):
        if sha1(text[i:i + length]) == digest:
            if best is None or abs(i - near) < abs(best - near):
                best = i
    return best


def cmd_fetch(args) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    found = lost = failed = 0
    for p in load_pages():
        if args.ids and p["id"] not in args.ids:
            continue
        try:
            req = urllib.request.Request(p["url"], headers={"User-Agent": "Mozilla/5.0 (luoshi corpus check)"})
            with urllib.request.urlopen(req, timeout=args.timeout) as r:
                raw = r.read()
                declared = r.headers.get_content_charset()
        except Exception as e:  # noqa: BLE001 - a page that cannot be fetched is reported, not fatal
            print(f"{p['id']}: cannot fetch {p['url']}: {e}"); failed += 1; continue
        text = html_to_text(raw, declared)
        (out / f"{p['id']}.txt").write_text(text, encoding="utf-8")
        for which in ("primary", "second"):
            lf = load_labels(which).get(p["id"])
            for l in (lf or {}).get("label", []):
                at = relocate(text, l["length"], l["sha1"], l["offset"])
                if at is None:
                    lost += 1
                    print(f"{p['id']} {which} sid {l.get('sid')}: not found in the fetched text")
                else:
                    found += 1
    print(f"labels found {found}, not found {lost}; pages not fetched {failed}")
    return 1 if lost or failed else 0


# ---------------------------------------------------------------- build

def cmd_build(args) -> int:
    out = Path(args.out)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "labels").mkdir(exist_ok=True)
    labels = load_labels("primary")
    manifest = ["# Built by testdata/real/real.py build from the real corpus (not in git).", ""]
    n = 0
    for p in load_pages():
        if p["id"] not in labels or not (TEXTS / f"{p['id']}.txt").exists():
            continue
        if args.kinds and p["kind"] not in args.kinds:
            continue
        text = text_of(p["id"])
        if sha1(text) != p["sha1"]:
            print(f"{p['id']}: text hash differs, skipped"); continue
        fname = f"{p['id']}.txt"
        (out / "docs" / fname).write_text(text, encoding="utf-8")
        manifest += ["[[document]]", f"file = {toml_str(fname)}", f"label = {toml_str('R ' + p['id'] + ' ' + p['region'])}",
                     f"region = {toml_str(p['region'])}"]
        level = {"ministry": "national", "township": "county"}.get(p["level"], p["level"])
        if level in ("national", "province", "prefecture", "county"):
            manifest.append(f"level = {toml_str(level)}")
        manifest += [f"year = {int(p['year'])}", f"title = {toml_str(p['title'])}", f"kind = {toml_str(p['kind'])}", ""]
        lab = [f"seed = {toml_str(fname)}", ""]
        for l in labels[p["id"]]["label"]:
            snippet = text[l["offset"]: l["offset"] + l["length"]]
            if sha1(snippet) != l["sha1"]:
                print(f"{p['id']} sid {l['sid']}: label hash differs, skipped"); continue
            byte = len(text[: l["offset"]].encode("utf-8"))
            lab += ["[[label]]", f"snippet = {toml_str(snippet)}", f"byte_offset = {byte}",
                    f"kind = {toml_str(l['kind'])}", f"task = {toml_str(l['task'])}"]
            if l.get("note"):
                lab.append(f"note = {toml_str(l['note'])}")
            lab.append("")
            n += 1
        (out / "labels" / f"{p['id']}.toml").write_text("\n".join(lab), encoding="utf-8")
    (out / "regions.toml").write_text("\n".join(manifest), encoding="utf-8")
    inspected = HERE / "INSPECTED"
    if inspected.exists():
        ids = [l.strip() for l in inspected.read_text(encoding="utf-8").splitlines() if l.strip() and not l.startswith("#")]
        (out / "inspected.txt").write_text("".join(f"{i}.txt\n" for i in ids), encoding="utf-8")
    print(f"built {out}: {n} labels")
    return 0


# ---------------------------------------------------------------- agreement

def kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    if n == 0:
        return float("nan")
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else 1.0


def cmd_agree(args) -> int:
    a, b = load_labels("primary"), load_labels("second")
    pages = {p["id"]: p for p in load_pages()}
    groups: dict[str, list[tuple[str, str]]] = {"all": [], "statement": [], "heading": [], "decision": []}
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for pid in sorted(set(a) & set(b)):
        la = {l["sid"]: l for l in a[pid]["label"]}
        lb = {l["sid"]: l for l in b[pid]["label"]}
        for sid in sorted(set(la) & set(lb)):
            x, y = la[sid], lb[sid]
            groups["all"].append((x["kind"] + ":" + x["task"], y["kind"] + ":" + y["task"]))
            if x["kind"] == y["kind"]:
                groups[x["kind"]].append((x["task"], y["task"]))
            if x["kind"] == "statement" and x["task"] != "other":
                groups["decision"].append((x["task"], y["task"] if y["kind"] == "statement" else "heading"))
                by_kind.setdefault(pages[pid]["kind"], []).append((x["task"], y["task"] if y["kind"] == "statement" else "heading"))
    print(f"pages labelled twice: {len(set(a) & set(b))}")
    for g, pairs in list(groups.items()) + [(f"decision, {k} pages", v) for k, v in sorted(by_kind.items())]:
        if pairs:
            raw = sum(x == y for x, y in pairs) / len(pairs)
            print(f"{g}: {len(pairs)} statements, raw agreement {raw:.1%}, kappa {kappa(pairs):.3f}")
    conf = Counter(tuple(sorted(p)) for p in groups["all"] if p[0] != p[1])
    print("main confusion pairs:")
    for (x, y), c in conf.most_common(args.top):
        print(f"  {x} <-> {y}: {c}")
    return 0


def cmd_stats(args) -> int:
    pages = load_pages()
    labels = load_labels("primary")
    print(f"pages {len(pages)}; labelled {len(labels)}; second labeller {len(load_labels('second'))}")
    print("kinds:", dict(Counter(p["kind"] for p in pages)))
    print("levels:", dict(Counter(p["level"] for p in pages)))
    print("years:", dict(Counter(p["year"] for p in pages)))
    tasks = Counter()
    kinds = Counter()
    for lf in labels.values():
        for l in lf["label"]:
            kinds[l["kind"]] += 1
            if l["kind"] == "statement":
                tasks[l["task"]] += 1
    print("labels by kind:", dict(kinds))
    dec = sum(v for k, v in tasks.items() if k != "other")
    print(f"decision statements {dec}, extensions {tasks['extension']}, other {tasks['other']}")
    print("by task:", " ".join(f"{t}:{tasks[t]}" for t in ALL_TASKS))
    return 0


def main() -> int:
    # End quietly when the output is closed (`real.py agree | head`).
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("add")
    for k in ("id", "url", "query", "kind", "level", "region", "title", "by"):
        a.add_argument(f"--{k}", required=True)
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--script", default="simplified", choices=("simplified", "traditional"))
    a.add_argument("--note")
    a.add_argument("file")
    s = sub.add_parser("segment"); s.add_argument("ids", nargs="*")
    i = sub.add_parser("import")
    i.add_argument("--which", choices=("primary", "second"), required=True)
    i.add_argument("--labeller", required=True)
    i.add_argument("files", nargs="+")
    v = sub.add_parser("verify"); v.add_argument("--texts")
    f = sub.add_parser("fetch"); f.add_argument("--out", default=str(WORK / "fetched")); f.add_argument("--timeout", type=float, default=20); f.add_argument("ids", nargs="*")
    b = sub.add_parser("build"); b.add_argument("--out", default=str(HERE / "build")); b.add_argument("--kinds", nargs="*")
    g = sub.add_parser("agree"); g.add_argument("--top", type=int, default=15)
    sub.add_parser("stats")
    args = ap.parse_args()
    return {"add": cmd_add, "segment": cmd_segment, "import": cmd_import, "verify": cmd_verify, "fetch": cmd_fetch,
            "build": cmd_build, "agree": cmd_agree, "stats": cmd_stats}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
