#!/usr/bin/env python3
"""Every table of a coverage output read the way a researcher reads it
first: pandas' read_csv with its defaults (issue 21).

Usage: pandas_ids.py OUT_DIR

For every CSV file under OUT_DIR, every column that holds taxonomy ids
(area, task and requirement ids, written with their level's letter: A1,
T1.10, R1.1.2) or item text hashes must come back from
pandas.read_csv(path) as text, cell for cell as the file has it: no id
read as a number (1.10 as 1.1, 1 as 1.0), no hash as a number. Ids
must have the table form. Prints what it checked; exits 1 naming each
cell that does not survive, 2 when pandas is missing.
"""

import csv
import pathlib
import re
import sys

try:
    import pandas as pd
except ImportError:
    print("pandas is not installed", file=sys.stderr)
    sys.exit(2)

# Columns that hold taxonomy ids, and the words that may stand beside ids
# in them.
ID_COLUMNS = {
    "requirement_id": set(),
    "task_id": set(),
    "area_id": set(),
    "runner_up_id": set(),
    "nearest_id": set(),
    "heading_task_id": set(),
    "decision_id": set(),
    "focus_area": set(),
    "covers": set(),
    "requirement_id_a": set(),
    "requirement_id_b": set(),
    "task_id_a": set(),
    "task_id_b": set(),
    "alternative": {"extension"},
    "correct": {"extension", "ok"},
}
# Columns of other text that a default read must keep as text.
TEXT_COLUMNS = {"text_hash"}
TABLE_ID = re.compile(r"^[ATR][0-9]+(\.[0-9]+)*$")
HASH = re.compile(r"^sha256:[0-9a-f]{16}$")


def raw_rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def check(path, problems):
    header, rows = raw_rows(path)
    frame = pd.read_csv(path)
    checked = 0
    for j, name in enumerate(header):
        task_keys = name == "key" and "group" in header
        if name not in ID_COLUMNS and name not in TEXT_COLUMNS and not task_keys:
            continue
        # label_metrics has a `correct` column too: a count.
        if name == "correct" and path.stem != "review":
            continue
        column = frame[name]
        raw = [r[j] if j < len(r) else "" for r in rows]
        if any(raw) and pd.api.types.is_numeric_dtype(column):
            problems.append(f"{path}: column {name} read as {column.dtype}")
        group = header.index("group") if task_keys else None
        for i, cell in enumerate(raw):
            if cell == "":
                continue
            value = column.iloc[i]
            if not isinstance(value, str) or value != cell:
                problems.append(
                    f"{path}: row {i + 2} column {name}: {cell!r} read as {value!r}"
                )
            if name in TEXT_COLUMNS:
                if not HASH.match(cell):
                    problems.append(f"{path}: row {i + 2} column {name}: {cell!r} is no hash")
            elif task_keys:
                if rows[i][group] == "task" and cell != "extension" and not TABLE_ID.match(cell):
                    problems.append(f"{path}: row {i + 2} key: {cell!r} is no task id")
            else:
                for part in cell.split("|"):
                    if part not in ID_COLUMNS[name] and not TABLE_ID.match(part):
                        problems.append(
                            f"{path}: row {i + 2} column {name}: {part!r} is not a table id"
                        )
            checked += 1
    return checked


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    out = pathlib.Path(sys.argv[1])
    tables = sorted(out.rglob("*.csv"))
    if not tables:
        print(f"{out}: no CSV table", file=sys.stderr)
        sys.exit(1)
    problems = []
    cells = sum(check(t, problems) for t in tables)
    for p in problems[:50]:
        print(p, file=sys.stderr)
    print(
        f"pandas {pd.__version__}: {len(tables)} tables, {cells} id and hash cells checked"
        + (f"; {len(problems)} problems" if problems else "")
    )
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
