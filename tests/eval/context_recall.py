#!/usr/bin/env python3
"""context_recall.py — how much of the code a task needs ends up in the
context an agent is given, for `cairn pack` versus the simple alternative:
the top search results concatenated up to the same budget.

For each query of a development set (JSON lines {"query", "relevant":
[{"path", "symbol"?}]}) and each budget, the share of answer definitions
(or files, when an answer names no symbol) whose code appears in the
context: a definition appears when a body or signature item covers its
first line, a file when any of its lines appears.

  context_recall.py CAIRN INDEX QUERIES.jsonl [--budgets 2000,8000,32000] [--json]

Tokens of the baseline are counted with build/tokcount (query/tokens.c,
the same count the pack obeys), so both sides spend the same budget.
"""
import json
import os
import subprocess
import sys
import tempfile


def run_json_lines(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    return [json.loads(l) for l in p.stdout.splitlines() if l.strip()]


def definition_lines(cairn, index, symbol, path, cache):
    key = (symbol, path)
    if key not in cache:
        rows = run_json_lines([cairn, "symbol", "--index", index, "--json", "-k", "50", symbol])
        hit = [r for r in rows if r["path"] == path and r.get("match") == "exact"]
        cache[key] = (hit[0]["start_line"], hit[0]["end_line"]) if hit else None
    return cache[key]


def token_counts(tokcount, texts):
    """Token counts of many texts with one run of build/tokcount."""
    with tempfile.TemporaryDirectory() as d:
        names = []
        for i, t in enumerate(texts):
            name = os.path.join(d, f"{i}.txt")
            with open(name, "w") as f:
                f.write(t)
            names.append(name)
        counts = {}
        if names:
            out = subprocess.run([tokcount] + names, capture_output=True, text=True).stdout
            for line in out.splitlines():
                n, _, name = line.split("\t")
                counts[name] = int(n)
        return [counts.get(n, 0) for n in names]


def baseline(cairn, index, query, budget, tokcount, root_files):
    """Top search results, whole chunks, in rank order, while they fit."""
    hits = run_json_lines([cairn, "search", "--index", index, "--json",
                           "-k", "200", "--per-doc", "0", query])
    hits = [h for h in hits if root_files(h["root"], h["path"]) is not None]
    # The same framing a pack spends per item: a heading and a fence.
    texts = [f"{h['path']} lines {h['start_line']}-{h['end_line']}:\n```\n" +
             "".join(root_files(h["root"], h["path"])[h["start_line"] - 1:h["end_line"]]) + "```\n"
             for h in hits]
    items, used = [], 0
    for h, cost in zip(hits, token_counts(tokcount, texts)):
        if used + cost > budget:
            continue
        used += cost
        items.append({"path": h["path"], "start_line": h["start_line"], "end_line": h["end_line"],
                      "kind": "body"})
    return items


def covered(items, path, line):
    return any(i["path"] == path and i["start_line"] <= line <= i["end_line"] and
               i["kind"] in ("body", "signature") for i in items)


def main():
    args = sys.argv[1:]
    as_json = "--json" in args
    budgets = [2000, 8000, 32000]
    if "--budgets" in args:
        budgets = [int(b) for b in args[args.index("--budgets") + 1].split(",")]
    cairn, index, queries = [a for a in args if not a.startswith("--") and "," not in a][:3]
    tokcount = os.path.join(os.path.dirname(os.path.abspath(cairn)), "build", "tokcount")
    qs = [json.loads(l) for l in open(queries) if l.strip()]
    file_cache, def_cache = {}, {}

    def root_files(root, path):
        key = (root, path)
        if key not in file_cache:
            try:
                with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                    file_cache[key] = f.read().splitlines(keepends=True)
            except OSError:
                file_cache[key] = None
        return file_cache[key]

    results = {}
    for budget in budgets:
        got = {"pack": 0, "search": 0}
        total = 0
        over = 0
        for q in qs:
            p = subprocess.run([cairn, "pack", "--index", index, "--json", "--budget", str(budget),
                                q["query"]], capture_output=True, text=True)
            pack = json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else {"items": [], "tokens": 0}
            over += pack["tokens"] > budget
            base = baseline(cairn, index, q["query"], budget, tokcount, root_files)
            for ans in q["relevant"]:
                total += 1
                sym = ans.get("symbol")
                lines = definition_lines(cairn, index, sym, ans["path"], def_cache) if sym else None
                for name, items in (("pack", pack["items"]), ("search", base)):
                    if lines:
                        hit = covered(items, ans["path"], lines[0])
                    else:
                        hit = any(i["path"] == ans["path"] for i in items)
                    got[name] += hit
        results[budget] = {"answers": total, "pack": got["pack"] / max(total, 1),
                           "search": got["search"] / max(total, 1), "packs_over_budget": over}
    if as_json:
        print(json.dumps(results))
    else:
        print(f"{'budget':>8} {'answers':>8} {'pack':>8} {'top search':>11}")
        for b, r in results.items():
            print(f"{b:>8} {r['answers']:>8} {r['pack']:>8.3f} {r['search']:>11.3f}")


if __name__ == "__main__":
    main()
