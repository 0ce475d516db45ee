#!/usr/bin/env python3
"""ctags_compare.py — compare cairn's definitions with Universal Ctags' on the same files.

    ctags_compare.py --lang LANG --ctags-lang CTAGSLANG --kinds K1,K2 \
        [--info-kinds K3,K4] [--ctags-opt OPT]... [--min 97] --dump build/parse_dump LISTFILE

LISTFILE holds one path per line.  ctags runs with --language-force and JSON
output, build/parse_dump with --lang.  A ctags tag of a compared kind (--kinds)
is found when cairn has a definition in the same file whose name line is the
tag's line and whose name is the tag's name (cairn's "Trait for T" impl names
and "A::b"-style names count when the tag's name is one of their words).
Left out: anonymous tags, C and C++ functions or prototypes named in
capitals only, which ctags makes of macro invocations at file scope, and tags of a kind given
to --require KIND=REGEX whose line does not match REGEX (ctags' JavaScript
parser calls every object literal a class: --require 'class=\bclass\b'), and
tags whose name matches --skip-name.
Prints one summary line per language:

    LANG: cairn N defs, ctags M defs (kinds), found F = P%

then the tags cairn missed (up to 25), the informational kinds' figures, and
what cairn finds that ctags does not (counts by kind, a few examples).  Exits 1
when P is below --min.
"""
import argparse
import collections
import json
import re
import subprocess
import sys

MACRO = re.compile(r"^[A-Z][A-Z0-9_]*$")
WORD = re.compile(r"[A-Za-z0-9_$~!=<>+\-*/%&|^\[\]()]+")


def run_ctags(args, files):
    cmd = ["ctags", "--output-format=json", "--fields=+nKSse", "-f", "-",
           "--language-force=" + args.ctags_lang] + args.ctags_opt + ["-L", "-"]
    out = subprocess.run(cmd, input="\n".join(files) + "\n", capture_output=True,
                         text=True, errors="replace", check=True).stdout
    tags = []
    for line in out.splitlines():
        try:
            t = json.loads(line)
        except json.JSONDecodeError:
            continue
        if t.get("_type") == "tag":
            tags.append(t)
    return tags


def run_cairn(args, files):
    cmd = [args.dump, "--lang", args.lang] + files
    res = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    if res.returncode != 0:
        sys.stderr.write("".join(res.stderr.splitlines(True)[:5]))
        sys.exit("parse_dump failed (exit %d)" % res.returncode)
    return [json.loads(line) for line in res.stdout.splitlines() if line.strip()]


def names_match(tag_name, sym):
    # ctags writes "operator !", cairn "operator!"
    if tag_name.replace(" ", "") == sym["name"].replace(" ", ""):
        return True
    words = set(WORD.findall(sym["name"])) | set(sym["qualname"].split("."))
    return tag_name in words


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", required=True)
    ap.add_argument("--ctags-lang", required=True)
    ap.add_argument("--kinds", required=True)
    ap.add_argument("--info-kinds", default="")
    ap.add_argument("--ctags-opt", action="append", default=[])
    ap.add_argument("--min", type=float, default=97.0)
    ap.add_argument("--skip-name", default=None,
                    help="REGEX: leave out ctags tags whose name matches (ctags' Sh parser makes "
                         "functions of array assignments, 'COMPREPLY=()')")
    ap.add_argument("--require", action="append", default=[],
                    help="KIND=REGEX: compare tags of KIND only when their line matches REGEX")
    ap.add_argument("--dump", required=True)
    ap.add_argument("listfile")
    args = ap.parse_args()
    with open(args.listfile) as f:
        files = [l.strip() for l in f if l.strip()]
    kinds = set(args.kinds.split(","))
    info_kinds = set(k for k in args.info_kinds.split(",") if k)

    syms = run_cairn(args, files)
    tags = run_ctags(args, files)
    at = collections.defaultdict(list)
    for s in syms:
        at[(s["file"], s["line"])].append(s)

    def found(t):
        return any(names_match(t["name"], s) for s in at.get((t["path"], t["line"]), []))

    def anonymous(t):
        return t["name"].startswith("__anon") or t["name"].startswith("AnonymousFunction")

    def macro_call(t):
        # ctags takes a macro invocation at file scope, "GMOCK_DECLARE_KIND_(bool, kBool);"
        # or "TYPED_TEST_SUITE(T, Types) { ... }", for a prototype or a function
        return (args.ctags_lang in ("C", "C++") and t.get("kind") in ("function", "prototype")
                and MACRO.match(t["name"]))

    required = {}
    for r in args.require:
        k, _, rx = r.partition("=")
        required[k] = re.compile(rx)

    def heuristic(t):
        # e.g. ctags' JavaScript parser makes a "class" of every object literal
        rx = required.get(t.get("kind"))
        return rx is not None and not rx.search(t.get("pattern", ""))

    skip_name = re.compile(args.skip_name) if args.skip_name else None
    compared = [t for t in tags if t.get("kind") in kinds and not anonymous(t)
                and not macro_call(t) and not heuristic(t)
                and not (skip_name and skip_name.search(t["name"]))]
    missed = [t for t in compared if not found(t)]
    n = len(compared)
    pct = 100.0 * (n - len(missed)) / n if n else 100.0
    print("%s: cairn %d defs, ctags %d defs (%s), found %d = %.1f%%"
          % (args.lang, len(syms), n, ",".join(sorted(kinds)), n - len(missed), pct))
    for t in missed[:int(__import__("os").environ.get("SHOW", "25"))]:
        print("    missed %s %s at %s:%d" % (t["kind"], t["name"], t["path"], t["line"]))
    if len(missed) > 25:
        print("    ... and %d more" % (len(missed) - 25))
    for k in sorted(info_kinds):
        ts = [t for t in tags if t.get("kind") == k and not anonymous(t)]
        if ts:
            got = sum(1 for t in ts if found(t))
            print("    info: ctags %s %d, cairn has %d = %.1f%%" % (k, len(ts), got, 100.0 * got / len(ts)))
    tagged = collections.defaultdict(set)
    for t in tags:
        tagged[(t["path"], t["line"])].add(t["name"])
    extra = [s for s in syms
             if not any(names_match(name, s) for name in tagged.get((s["file"], s["line"]), ()))]
    by_kind = collections.Counter(s["kind"] for s in extra)
    print("    cairn only: %d (%s)" % (len(extra), ", ".join("%s %d" % kv for kv in by_kind.most_common())))
    shown = collections.Counter()
    for s in extra:
        if shown[s["kind"]] < 2:
            shown[s["kind"]] += 1
            print("      e.g. %s %s at %s:%d" % (s["kind"], s["qualname"], s["file"], s["line"]))
    return 0 if pct >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
