#!/usr/bin/env python3
"""eval.py — file-level retrieval quality of cairn on a query set, next to
plain SQLite FTS5 over the very same chunks.

usage: eval.py CAIRN INDEX QUERIES.jsonl [--json]

QUERIES.jsonl has one object per line:
    {"query": "...", "type": "vague|snippet|draft",
     "relevant": [{"path": "root-relative path", "grade": 1 or 2}]}

Systems compared, each asked for chunks and deduplicated to files in rank
order, the first 10 files kept:
  cairn     `cairn search --json -k 60 QUERY`
  fts5      FTS5 with tokenize='porter unicode61' built here (in memory)
            from the cairn index's own chunks table, the query's words
            joined with OR, ranked by bm25()
  related   `cairn related -` for the pasted drafts (type "draft") only:
            what a writer pasting a draft would run

Metrics, over the queries each system answers: MRR@10 (reciprocal rank of
the first relevant file, any grade) and recall@10 (share of the relevant
files in the top 10).  Prints one line per system and, with --json, a
final JSON object.  Exit status 0; the caller compares the figures.
"""
import json
import re
import sqlite3
import subprocess
import sys

K_FILES = 10
K_CHUNKS = 60


def files_of(paths):
    seen, out = set(), []
    for p in paths:
        if p not in seen:
            seen.add(p)
            out.append(p)
        if len(out) == K_FILES:
            break
    return out


def cairn_search(cairn, index, query):
    r = subprocess.run([cairn, "search", "--index", index, "--json", "-k", str(K_CHUNKS), query],
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("cairn search failed (%d): %s" % (r.returncode, r.stderr))
    return files_of(json.loads(line)["path"] for line in r.stdout.splitlines() if line.strip())


def cairn_related(cairn, index, text):
    r = subprocess.run([cairn, "related", "--index", index, "--json", "-k", str(K_FILES), "-"],
                       input=text, capture_output=True, text=True)
    if r.returncode not in (0, 1):
        raise SystemExit("cairn related failed (%d): %s" % (r.returncode, r.stderr))
    return files_of(json.loads(line)["path"] for line in r.stdout.splitlines() if line.strip())


def baseline_db(index):
    src = sqlite3.connect("file:%s/index.db?mode=ro" % index, uri=True)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE b USING fts5(text, path UNINDEXED, tokenize='porter unicode61')")
    rows = src.execute("SELECT c.text, f.path FROM chunks c JOIN files f ON f.id = c.file_id")
    db.executemany("INSERT INTO b(text, path) VALUES (?, ?)", rows)
    src.close()
    return db


def baseline_search(db, query):
    words = re.findall(r"\w+", query)
    if not words:
        return []
    expr = " OR ".join('"%s"' % w for w in words)
    rows = db.execute("SELECT path FROM b WHERE b MATCH ? ORDER BY bm25(b) LIMIT ?",
                      (expr, K_CHUNKS)).fetchall()
    return files_of(r[0] for r in rows)


def score(ranked, relevant):
    rel = {r["path"] for r in relevant}
    rr = 0.0
    for i, p in enumerate(ranked[:K_FILES]):
        if p in rel:
            rr = 1.0 / (i + 1)
            break
    found = len(rel & set(ranked[:K_FILES]))
    return rr, found / len(rel)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 3:
        raise SystemExit(__doc__)
    cairn, index, qfile = args
    queries = [json.loads(l) for l in open(qfile, encoding="utf-8") if l.strip()]
    db = baseline_db(index)
    totals = {"cairn": [0.0, 0.0, 0], "fts5": [0.0, 0.0, 0], "related": [0.0, 0.0, 0]}
    misses = []
    for q in queries:
        runs = [("cairn", cairn_search(cairn, index, q["query"])),
                ("fts5", baseline_search(db, q["query"]))]
        if q.get("type") == "draft":
            runs.append(("related", cairn_related(cairn, index, q["query"])))
        for name, ranked in runs:
            rr, rec = score(ranked, q["relevant"])
            t = totals[name]
            t[0] += rr
            t[1] += rec
            t[2] += 1
            if name == "cairn" and rr == 0:
                misses.append(q["query"])
    result = {}
    for name, (mrr, rec, n) in totals.items():
        if n:
            result[name] = {"queries": n, "mrr@10": round(mrr / n, 3), "recall@10": round(rec / n, 3)}
            print("%-8s queries %3d  MRR@10 %.3f  recall@10 %.3f" % (name, n, mrr / n, rec / n))
    for m in misses:
        print("cairn missed: %s" % m)
    if "--json" in sys.argv:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
