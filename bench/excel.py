#!/usr/bin/env python3
"""Issue 4's figures, side by side with the Python tools offices' scripts use.

  import: `hezuo import projects BIG.xlsx` (read, validate, store all-or-nothing in SQLite)
          vs pandas.read_excel(engine="openpyxl") + DataFrame.to_sql in one transaction
          vs python-calamine parse only (the floor: calamine is the parser hezuo uses too)
  export: `hezuo export projects OUT.xlsx` (all rows of the database, streamed)
          vs XlsxWriter in constant_memory mode writing the same rows (already in memory)

The workbook is the export of a `hezuo bench-data` database, so it is the shape an office
would send back. Each side runs in its own process; times are wall clock, peak RSS is the
process's maximum resident set (getrusage). Usage:

  target/release/hezuo --db sqlite:///work/benchdb/b100k.db bench-data --projects 100000
  python3 bench/excel.py --db /work/benchdb/b100k.db [--runs 3]
"""

import argparse
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HEZUO = os.path.join(HERE, "..", "target", "release", "hezuo")


def py(code, *args):
    """Runs Python code in a fresh interpreter; returns (seconds, peak RSS MiB)."""
    wrapper = (
        "import resource, sys, time\n"
        "t = time.perf_counter()\n"
        + code
        + "\nsys.stderr.write('%f %d\\n' % (time.perf_counter() - t, "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(proc.stderr[-3000:])
    secs, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(secs), int(rss) / 1024


def hezuo(*args):
    """Runs hezuo from a small Python wrapper; returns (seconds, hezuo's peak RSS MiB)."""
    code = (
        "import subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "if p.returncode: sys.exit(p.stdout[-2000:] + p.stderr[-2000:])\n"
        "t = time.perf_counter() - t\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "sys.stderr.write('%f %d\\n' % (t, rss)); sys.exit(0)\n"
    )
    wrapper = "import resource, sys, time\nt = time.perf_counter()\n" + code
    proc = subprocess.run([sys.executable, "-c", wrapper, HEZUO, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(proc.stderr[-3000:])
    secs, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(secs), int(rss) / 1024


PANDAS = """
import pandas as pd, sqlite3
df = pd.read_excel(sys.argv[1], engine="openpyxl", header=2)
df = df[df.iloc[:, 0] != "合计"]
con = sqlite3.connect(sys.argv[2])
with con:
    df.to_sql("projects", con, if_exists="replace", index=False, chunksize=10000)
con.close()
"""

CALAMINE = """
from python_calamine import CalamineWorkbook
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
assert len(rows) > 3
"""

XLSXWRITER = """
import sqlite3, xlsxwriter
con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
rows = con.execute(
    "SELECT p.name, COALESCE(p.project_code, ''), p.kind, p.stage, p.stage_date, "
    "COALESCE(p.signed_on, ''), d.name, COALESCE(pl.name, ''), p.investor, p.origin, "
    "p.origin_detail, COALESCE(i.name, ''), COALESCE(c.name, ''), p.investment_cny, p.arrived, "
    "COALESCE(p.land_mu_x100, ''), COALESCE(l.name, ''), COALESCE(u.name, '') "
    "FROM projects p JOIN districts d ON d.code = p.district_code "
    "LEFT JOIN platforms pl ON pl.id = p.platform_id LEFT JOIN industries i ON i.id = p.industry_id "
    "LEFT JOIN chains c ON c.id = p.chain_id LEFT JOIN leaders l ON l.id = p.leader_id "
    "LEFT JOIN units u ON u.id = p.unit_id ORDER BY p.updated_at DESC, p.id DESC").fetchall()
t = time.perf_counter()  # the timed part: writing, as for hezuo's writer
wb = xlsxwriter.Workbook(sys.argv[2], {"constant_memory": True})
ws = wb.add_worksheet("项目清单")
money = wb.add_format({"num_format": "#,##0.00", "border": 1})
text = wb.add_format({"border": 1})
ws.write(0, 0, "招商引资项目清单")
ws.write(1, 0, "范围：全市")
ws.freeze_panes(3, 0)
for c in range(19):
    ws.write(2, c, "列%d" % c, text)
for n, r in enumerate(rows):
    ws.write_number(3 + n, 0, n + 1, text)
    for c, v in enumerate(r):
        if c in (13, 14):
            ws.write_number(3 + n, c + 1, v / 10000, money)
        else:
            ws.write_string(3 + n, c + 1, str(v), text)
wb.close()
"""


def med(xs):
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="SQLite file filled by hezuo bench-data")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="hezuo-excel-bench-")
    src = f"sqlite://{args.db}"

    # Export: hezuo vs XlsxWriter constant_memory.
    ours_x, ours_x_rss, peer_x, peer_x_rss = [], [], [], []
    book = os.path.join(work, "projects.xlsx")
    for _ in range(args.runs):
        s, rss = hezuo("--db", src, "export", "projects", book)
        ours_x.append(s)
        ours_x_rss.append(rss)
        s, rss = py(XLSXWRITER, args.db, os.path.join(work, "peer.xlsx"))
        peer_x.append(s)
        peer_x_rss.append(rss)
    rows = sqlite3.connect(args.db).execute("SELECT COUNT(*) FROM projects").fetchone()[0]

    # Import into a database holding the same dictionaries and no projects (the audit log
    # stays: hezuo refuses to delete audit rows younger than the retention period).
    ours_i, peer_i, parse = [], [], []
    for _ in range(args.runs):
        target = os.path.join(work, "target.db")
        for f in os.listdir(work):
            if f.startswith("target.db") or f.startswith("pandas.db"):
                os.remove(os.path.join(work, f))
        shutil.copy(args.db, target)
        con = sqlite3.connect(target)
        con.executescript(
            "DELETE FROM monthly_progress; DELETE FROM annual_plans; DELETE FROM project_list_entries; "
            "DELETE FROM stage_changes; DELETE FROM projects; VACUUM;"
        )
        con.close()
        s, _ = hezuo("--db", f"sqlite://{target}", "import", "projects", book)
        ours_i.append(s)
        s, _ = py(PANDAS, book, os.path.join(work, "pandas.db"))
        peer_i.append(s)
        s, _ = py(CALAMINE, book)
        parse.append(s)
    stored = sqlite3.connect(target).execute("SELECT COUNT(*) FROM projects").fetchone()[0]
    assert stored == rows, f"imported {stored} of {rows}"

    print(f"{rows} 行；每项 {args.runs} 次，取中位数（秒）；峰值内存 MiB\n")
    print("| figure | hezuo s | peer s | ratio | goal | hezuo RSS MiB | peer RSS MiB |")
    print("|---|---:|---:|---:|---|---:|---:|")
    r = med(peer_i) / med(ours_i)
    print(f"| import vs pandas+openpyxl+to_sql | {med(ours_i):.2f} | {med(peer_i):.2f} | {r:.1f}× faster | ≥ 10× {'met' if r >= 10 else 'MISSED'} | | |")
    r = med(ours_i) / med(parse)
    print(f"| import vs python-calamine parse only | {med(ours_i):.2f} | {med(parse):.2f} | {r:.2f}× its time | ≤ 1.5× {'met' if r <= 1.5 else 'MISSED'} | | |")
    r = med(peer_x) / med(ours_x)
    rss = max(ours_x_rss)
    print(f"| export vs XlsxWriter constant_memory | {med(ours_x):.2f} | {med(peer_x):.2f} | {r:.1f}× faster | ≥ 5× {'met' if r >= 5 else 'MISSED'}, RSS < 100 MiB {'met' if rss < 100 else 'MISSED'} | {rss:.0f} | {max(peer_x_rss):.0f} |")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
