#!/usr/bin/env python3
"""Summarises one schemathesis run for scripts/reliability.

usage: summarize.py ROLE DIR

DIR holds `schemathesis.txt` (the CLI's output) and the NDJSON event stream
(`ndjson-*.ndjson`). Prints one JSON object on stdout:

  role, operations (tested / selected), test_cases (as schemathesis counts them),
  requests (the test cases' requests recorded in the event stream, stateful steps included;
  the checks' own extra probes are not recorded there),
  statuses (histogram), server_errors (responses >= 500), no_response (requests that got no
  HTTP answer at all: a dropped connection, e.g. a handler that panicked), failures
  ({code+title: count} from the summary), errored scenarios, exit code, and `ok`.

A run is ok only when schemathesis exited 0, no check failed, no scenario errored, no response
was a 5xx and every request got an answer. `mostly_refused_valid_data` lists the operations
that refused most schema-valid test cases (a document looser than its handler): information.
"""

import collections
import glob
import json
import os
import re
import sys


def parse_text(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    out = {"operations": None, "test_cases": None, "failures": {}, "errored": 0, "phases": {}}
    m = re.search(r"Selected:\s*(\d+)/(\d+)", text)
    t = re.search(r"Tested:\s*(\d+)", text)
    if m:
        out["operations"] = {"selected": int(m.group(1)), "total": int(m.group(2)),
                             "tested": int(t.group(1)) if t else None}
    m = re.search(r"Test cases:\s*\n\s*(.+)", text)
    if m:
        line = m.group(1).strip()
        out["test_cases_line"] = line
        g = re.search(r"(\d+) generated", line)
        out["test_cases"] = int(g.group(1)) if g else None
        e = re.search(r"(\d+) errored", line)
        out["errored"] = int(e.group(1)) if e else 0
    sec = re.search(r"Failures:\s*\n((?:\s+\S.*\n)+)", text)
    if sec:
        for line in sec.group(1).splitlines():
            f = re.match(r"\s*\S+\s+(ST\d+ .+?):\s*(\d+)\s*$", line)
            if f:
                out["failures"][f.group(1)] = int(f.group(2))
    # Errors that stop an operation (e.g. a connection dropped mid-request) have their own section.
    if re.search(r"^=+ ERRORS =+$", text, re.M):
        out["error_section"] = True
    for name in ("Examples", "Coverage", "Fuzzing", "Stateful"):
        p = re.search(r"^\s*(\S+)\s+" + name + r"\s*$", text, re.M)
        if p:
            out["phases"][name.lower()] = p.group(1)
    return out


def parse_events(paths):
    statuses = collections.Counter()
    # Per operation, the answers to positive (schema-valid) test cases: an operation that
    # refuses most of them has a document looser than its handler (a warning, not a failure).
    positive = collections.defaultdict(collections.Counter)
    requests = 0
    no_response = 0
    bad = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                event = json.loads(line)
                finished = event.get("ScenarioFinished")
                if not finished:
                    continue
                recorder = finished.get("recorder") or {}
                cases = recorder.get("cases") or {}
                interactions = recorder.get("interactions") or {}
                for case_id, inter in interactions.items():
                    value = (cases.get(case_id) or {}).get("value") or {}
                    mode = ((value.get("meta") or {}).get("generation") or {}).get("mode")
                    if mode == "positive" and inter.get("response"):
                        code = inter["response"].get("status_code")
                        positive[f"{value.get('method')} {value.get('path')}"][str(code)] += 1
                    requests += 1
                    resp = inter.get("response")
                    req = inter.get("request") or {}
                    if not resp:
                        no_response += 1
                        line = f"no response: {req.get('method')} {req.get('uri')}"
                        if len(bad) < 5 and line not in bad:
                            bad.append(line)
                        continue
                    code = resp.get("status_code")
                    statuses[str(code)] += 1
                    line = f"{code}: {req.get('method')} {req.get('uri')}"
                    if isinstance(code, int) and code >= 500 and len(bad) < 5 and line not in bad:
                        bad.append(line)
    refused = {}
    for op, counts in sorted(positive.items()):
        total = sum(counts.values())
        accepted = sum(n for c, n in counts.items() if c.startswith("2"))
        if total and accepted / total < 0.5:
            refused[op] = dict(sorted(counts.items()))
    return requests, statuses, no_response, bad, refused


def main():
    role, directory = sys.argv[1], sys.argv[2]
    text = parse_text(os.path.join(directory, "schemathesis.txt"))
    rc_path = os.path.join(directory, "exit-code")
    rc = int(open(rc_path).read().strip()) if os.path.exists(rc_path) else None
    requests, statuses, no_response, bad, refused = parse_events(
        sorted(glob.glob(os.path.join(directory, "ndjson-*.ndjson"))))
    server_errors = sum(n for code, n in statuses.items() if code.isdigit() and int(code) >= 500)
    failures = sum(text["failures"].values())
    result = {
        "role": role,
        **text,
        "exit_code": rc,
        "requests": requests,
        "statuses": dict(sorted(statuses.items())),
        "server_errors": server_errors,
        "no_response": no_response,
        "examples_of_bad_answers": bad,
        "failure_count": failures,
        "mostly_refused_valid_data": refused,
    }
    result["ok"] = (rc == 0 and failures == 0 and text["errored"] == 0 and server_errors == 0
                    and no_response == 0 and requests > 0)
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
