#!/usr/bin/env python3
"""make_stdlib_set.py — a CodeSearchNet-style evaluation set on the Python
standard library.

usage: make_stdlib_set.py TREE QUERIES.jsonl [--seed N] [--count N]
                          [--stdlib DIR] [--only NAME,...]

Copies the standard library's .py files (no site-packages, no test, tests or
idle_test directories, no config-* build directory) to TREE, samples
--count documented functions and methods with a fixed --seed, deletes the
docstrings of THOSE definitions only (every other definition keeps its
docstring, as in a real repository), and writes one JSON line per sampled
definition to QUERIES.jsonl:

    {"query": "Return the number of items in the queue.",
     "type": "concept" | "literal",
     "relevant": [{"path": "queue.py", "symbol": "Queue.qsize", "grade": 2}]}

The query is the first sentence of the deleted docstring and the answer the
definition it documented (its qualified name as cairn records it: classes
and the method, "Queue.qsize").  A query is "concept" (paraphrased) when
none of its content words occurs in the definition as it is left — name,
signature, body, comments — so that only something that knows what the
code means can find it; "literal" otherwise.

Candidates are functions and methods (not functions nested in functions)
whose docstring stands on its own lines, that have code besides it, and
whose first sentence has 3 to 30 content words and is unique in the
library.  --only copies just the named top-level modules and packages
(json,email,...), for a quick run.  The same Python version and arguments
always give the same set.
"""
import argparse
import ast
import inspect
import json
import os
import random
import re
import shutil
import sys
import sysconfig

SKIP_DIRS = {"site-packages", "test", "tests", "idle_test", "__pycache__"}

STOPWORDS = set("""
a about above after again against all also am an and any are as at be because been
before being below between both but by can could did do does doing down during each
else few for from further had has have having he her here hers him his how i if in
into is it its itself just may me might more most must my no nor not now of off on
once only or other our out over own same shall she should so some such than that the
their them then there these they this those through to too under until up upon very
was we were what when where which while who whom why will with would you your
return returns given object none true false value values self
""".split())


def stem(w):
    """A crude English stem, enough to tell whether a word reappears."""
    for suf in ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "ly", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def words_of_text(text):
    """Lower-cased word parts, identifiers split at '_' and camelCase."""
    out = []
    for word in re.findall(r"[A-Za-z][A-Za-z0-9_]*", text):
        for part in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", word):
            if part and part[0].isalpha():
                out.append(part.lower())
    return out


def content_words(sentence):
    return [w for w in words_of_text(sentence) if len(w) >= 3 and w not in STOPWORDS]


def first_sentence(doc):
    para = inspect.cleandoc(doc).split("\n\n")[0]
    para = " ".join(para.split())
    m = re.search(r"(?<=[a-z0-9)\]'\"`])[.!?](\s|$)", para)
    return para[: m.end()].strip() if m else para


def copy_tree(src, dst, only):
    n = 0
    for dirpath, dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        top = rel.split(os.sep)[0]
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not (rel == "." and d.startswith("config-")))
        for f in sorted(filenames):
            if not f.endswith(".py"):
                continue
            name = f[:-3] if rel == "." else top
            if only and name not in only:
                continue
            os.makedirs(os.path.join(dst, rel), exist_ok=True)
            shutil.copyfile(os.path.join(dirpath, f), os.path.join(dst, rel, f))
            n += 1
    return n


def definitions(tree):
    """(qualname, node) of functions and methods, classes nested freely,
    functions inside functions left out."""
    out = []

    def walk(body, prefix):
        for node in body:
            if isinstance(node, ast.ClassDef):
                walk(node.body, prefix + node.name + ".")
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append((prefix + node.name, node))
    walk(tree.body, "")
    return out


def docstring_node(fn):
    if not fn.body:
        return None
    first = fn.body[0]
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        return first
    return None


def candidate(lines, qualname, fn):
    """The blanking a definition allows: (first sentence, first line, last
    line) of its docstring, or None."""
    d = docstring_node(fn)
    if d is None or len(fn.body) < 2 or d.end_lineno is None:
        return None
    if lines[d.lineno - 1][: d.col_offset].strip():
        return None  # shares its line with the def
    if lines[d.end_lineno - 1][d.end_col_offset:].strip() not in ("", ";"):
        return None
    sentence = first_sentence(d.value.value)
    n = len(content_words(sentence))
    if n < 3 or n > 30 or ">>>" in sentence or len(sentence) > 300:
        return None
    return sentence, d.lineno, d.end_lineno


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("tree")
    ap.add_argument("queries")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--stdlib", default=sysconfig.get_paths()["stdlib"])
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    only = set(x for x in a.only.split(",") if x)
    if os.path.exists(a.tree):
        sys.exit("make_stdlib_set.py: %s exists; give a new directory" % a.tree)
    nfiles = copy_tree(a.stdlib, a.tree, only)

    files = {}       # rel path -> source lines
    cands = []       # (rel, qualname, sentence, first, last, fn)
    seen = {}        # normalised first sentence -> count over the whole library
    for dirpath, _, filenames in sorted(os.walk(a.tree)):
        for f in sorted(filenames):
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, a.tree).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="surrogateescape") as fh:
                src = fh.read()
            try:
                tree = ast.parse(src)
            except (SyntaxError, ValueError):
                continue
            lines = src.split("\n")
            files[rel] = lines
            for qualname, fn in definitions(tree):
                d = docstring_node(fn)
                if d is not None:
                    key = " ".join(first_sentence(d.value.value).lower().split())
                    seen[key] = seen.get(key, 0) + 1
                c = candidate(lines, qualname, fn)
                if c:
                    cands.append((rel, qualname) + c + (fn,))
    cands = [c for c in cands if seen[" ".join(c[2].lower().split())] == 1]
    # Two definitions of one qualname in a file (redefinitions under `if`)
    # would make the answer ambiguous.
    names = {}
    for c in cands:
        names[(c[0], c[1])] = names.get((c[0], c[1]), 0) + 1
    cands = [c for c in cands if names[(c[0], c[1])] == 1]
    rng = random.Random(a.seed)
    picked = rng.sample(cands, min(a.count, len(cands)))
    picked.sort(key=lambda c: (c[0], c[3]))

    # Blank bottom-up within each file so earlier line numbers hold.
    out = []
    for c in sorted(picked, key=lambda c: (c[0], -c[3])):
        rel, qualname, sentence, first, last, fn = c
        lines = files[rel]
        del lines[first - 1: last]
        body_end = fn.end_lineno - (last - first + 1)
        left = "\n".join(lines[fn.lineno - 1: body_end])
        have = set(stem(w) for w in words_of_text(left))
        words = content_words(sentence)
        found = sum(1 for w in words if stem(w) in have)
        out.append({"query": sentence, "type": "literal" if found else "concept",
                    "relevant": [{"path": rel, "symbol": qualname, "grade": 2}]})
    for rel, lines in files.items():
        with open(os.path.join(a.tree, rel), "w", encoding="utf-8", errors="surrogateescape") as fh:
            fh.write("\n".join(lines))
    out.sort(key=lambda q: (q["relevant"][0]["path"], q["relevant"][0]["symbol"]))
    with open(a.queries, "w", encoding="utf-8") as fh:
        for q in out:
            fh.write(json.dumps(q) + "\n")
    nconcept = sum(1 for q in out if q["type"] == "concept")
    print("%d files copied, %d candidates, %d queries (%d concept) -> %s"
          % (nfiles, len(cands), len(out), nconcept, a.queries))


if __name__ == "__main__":
    main()
