#!/usr/bin/env python3
"""Issue 5's figure: the whole-city bulletin at 100k projects written in < 2 s.

  hezuo:  `hezuo report bulletin --period 2024-06` on a `hezuo bench-data` database: every
          figure read through the store (the cockpit's queries), the sentences, the tables,
          the three charts rasterised, the .docx written.
  peer:   python-docx writing the same document (the same paragraphs and tables, read back
          from hezuo's file beforehand; the pictures re-inserted from it) — the document part
          alone, with every number already in hand.

Each side runs in its own process, wall clock, median of --runs. Usage:

  target/release/hezuo --db sqlite:///work/benchdb/b100k.db bench-data --projects 100000
  python3 bench/bulletin.py --db /work/benchdb/b100k.db [--runs 5]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HEZUO = os.path.join(HERE, "..", "target", "release", "hezuo")

PEER = r"""
import docx, io, sys, time, zipfile
from docx.shared import Pt, Cm
src = docx.Document(sys.argv[1])
paragraphs = [(p.style.name if p.style is not None else "", p.text) for p in src.paragraphs]
tables = [[[c.text for c in r.cells] for r in t.rows] for t in src.tables]
z = zipfile.ZipFile(sys.argv[1])
pictures = [z.read(n) for n in sorted(z.namelist()) if n.startswith("word/media/") and n.endswith(".png")]
t = time.perf_counter()
d = docx.Document()
s = d.sections[0]
s.page_width, s.page_height = Cm(21), Cm(29.7)
s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
ti = pi = 0
for style, text in paragraphs:
    if style == "图表标题" and text.startswith("表") and ti < len(tables):
        d.add_paragraph(text)
        rows = tables[ti]; ti += 1
        table = d.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                table.cell(r, c).text = v
    elif style == "图表标题" and text.startswith("图") and pi < len(pictures):
        d.add_picture(io.BytesIO(pictures[pi]), width=Cm(16)); pi += 1
        d.add_paragraph(text)
    else:
        p = d.add_paragraph(text)
        for run in p.runs:
            run.font.size = Pt(16)
d.save(sys.argv[2])
sys.stderr.write("%f\n" % (time.perf_counter() - t))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True, help="SQLite file filled by hezuo bench-data")
    ap.add_argument("--period", default="2024-06")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="hezuo-bulletin-bench-")
    out = os.path.join(work, "bulletin.docx")
    ours, peer = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        p = subprocess.run(
            [HEZUO, "--db", f"sqlite://{args.db}", "report", "bulletin", "--period", args.period, "--out", out],
            capture_output=True, text=True,
        )
        ours.append(time.perf_counter() - t)
        if p.returncode:
            sys.exit(p.stderr)
        q = subprocess.run([sys.executable, "-c", PEER, out, os.path.join(work, "peer.docx")],
                           capture_output=True, text=True)
        if q.returncode:
            sys.exit(q.stderr)
        peer.append(float(q.stderr.strip().splitlines()[-1]))
    o, r = statistics.median(ours), statistics.median(peer)
    print(f"全市工作简报 {args.period}，{args.runs} 次取中位数")
    print("| figure | hezuo s (whole job) | peer s (document only) | peer / hezuo | goal |")
    print("|---|---:|---:|---:|---|")
    print(f"| whole-city bulletin: figures + 3 charts + .docx, vs python-docx writing the same text, "
          f"tables and pictures already in hand | {o:.2f} | {r:.2f} | {r / o:.2f} | "
          f"< 2 s {'met' if o < 2 else 'MISSED'} |")


if __name__ == "__main__":
    main()
