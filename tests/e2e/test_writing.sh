#!/bin/bash
# End-to-end: writing archives.  The real TIL archive plus a blog of every
# format and every kind of bad input, indexed together; then document
# metadata, links, related documents and quotes, checked against the files
# themselves.
. "$(dirname "$0")/lib.sh"

[ -d "$TIL" ] || { echo "missing $TIL"; exit 1; }
IDX="$T/idx"
mkdir -p "$T/til"
(cd "$TIL" && tar -cf - .) | tar -xf - -C "$T/til"

# ---- a blog with every format and every kind of bad input ----
B="$T/blog"
mkdir -p "$B/posts" "$B/pages" "$B/notes"
cat >"$B/posts/fm-yaml.md" <<'EOF'
---
title: Sourdough starter diary
date: 2020-04-12
tags: [Baking, bread]
url: https://blog.example/2020/sourdough
---
Feeding the starter twice a day with rye flour made it bubbly within a week.

## Week two

The levain doubled in four hours. See [[Bread basics]] and [the TOML post](fm-toml.md).
EOF
cat >"$B/posts/fm-toml.md" <<'EOF'
+++
title = "Bread basics"
date = 2019-02-03T08:00:00Z
[taxonomies]
tags = ["baking"]
+++
Flour, water, salt and time: hydration decides the crumb.
EOF
printf -- '---\ntitle: Broken "front matter\ndate: 2018-06-07\ntags: [oops\n---\nThe kneading text survives broken YAML.\n' >"$B/posts/bad-yaml.md"
printf -- '---\ntitle: Only metadata here\ntags: [placeholder]\n---\n' >"$B/posts/only-fm.md"
printf '# Unclosed fence\n\nProofing baskets matter.\n\n```\ncode that never closes\n' >"$B/posts/unclosed.md"
printf '# Bread basics\n\nA second note with the same title, about banneton care.\n' >"$B/notes/dup-title.md"
printf '# Caf\xe9 cr\xe8me\r\n\r\n\x93Smart quotes\x94 from an old editor about croissants.\r\n' >"$B/notes/cp1252.md"
cat >"$B/pages/about.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>About this baker</title>
<meta name="keywords" content="Baking, About">
<meta property="article:published_time" content="2017-01-02">
<script>var hidden = "scriptword";</script>
<style>.x { color: red }</style>
</head><body>
<h1>About</h1>
<p>I bake <b>baguettes</b> and write about <a href="../posts/fm-yaml.md">my starter</a>.
<p class="broken>unterminated attribute but the pastry text stays
<div <span>stray brackets</span>
</body></html>
EOF
cat >"$B/notes/journal.org" <<'EOF'
#+TITLE: Oven journal
#+DATE: <2016-05-06 Fri>
#+FILETAGS: :oven:

* Temperatures
Preheat the dutch oven for [[file:../posts/fm-yaml.md][the starter loaf]].
EOF
printf 'Release notes\n=============\n\n:date: 2015-01-01\n\nThe brioche recipe changed.\n' >"$B/notes/changes.rst"
printf 'plain text about focaccia and rosemary\nhttps://example.org/focaccia\n' >"$B/notes/plain.txt"
python3 -c "import sys; sys.stdout.write('ciabatta ' * 600000)" >"$B/notes/huge-paragraph.md"   # 5.4 MB
printf 'binary\x00junk' >"$B/notes/blob.dat"
printf '' >"$B/notes/empty.md"

ok "index the blog and the TIL archive" "$CAIRN" index --index "$IDX" --max-size 8000000 --json "$B" "$T/til"
cp "$T/.out" "$T/index.out"
contains "invalid YAML named with the file" "$T/index.out" "bad-yaml.md: front matter is not valid YAML \(line [0-9]+"
contains "only-front-matter named" "$T/index.out" "only-fm.md: has only front matter"
contains "broken HTML named" "$T/index.out" "about.html: broken HTML"
contains "Windows-1252 named" "$T/index.out" "cp1252.md as windows-1252"
contains "empty document named" "$T/index.out" "empty.md: is empty"
contains "binary file named" "$T/index.out" "blob.dat"

# No document silently disappears: documents = files found - files skipped.
summary=$(grep '^{' "$T/index.out" | tail -n 1)
seen=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['seen'])" "$summary")
skipped=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['skipped'])" "$summary")
docs=$(sqlite3 "$IDX/index.db" "SELECT count(*) FROM docs")
equal "documents indexed = found - skipped" "$docs" "$((seen - skipped))"
equal "exactly the binary file was skipped" "$skipped" 1
til_notes=$(find "$TIL" -name '*.md' | wc -l)
til_docs=$(sqlite3 "$IDX/index.db" "SELECT count(*) FROM docs d JOIN files f ON f.id = d.file_id JOIN roots r ON r.id = f.root_id WHERE r.path = '$T/til' AND f.lang = 'markdown'")
equal "every TIL note is a document" "$til_docs" "$til_notes"

q() { sqlite3 -separator '|' "$IDX/index.db" "$1"; }
doc() { q "SELECT d.title, d.date, d.date_source, coalesce((SELECT group_concat(tag, ',') FROM (SELECT tag FROM doc_tags t WHERE t.file_id = f.id ORDER BY tag)), '') FROM docs d JOIN files f ON f.id = d.file_id WHERE f.path = '$1'"; }
equal "YAML front matter" "$(doc posts/fm-yaml.md)" "Sourdough starter diary|2020-04-12|document|baking,bread"
equal "TOML front matter" "$(doc posts/fm-toml.md)" "Bread basics|2019-02-03T08:00:00Z|document|baking"
equal "broken YAML still gives title and date" "$(doc posts/bad-yaml.md | cut -d'|' -f2,3)" "2018-06-07|document"
equal "HTML title, date, keywords" "$(doc pages/about.html)" "About this baker|2017-01-02|document|about,baking"
equal "Org title, date, tags" "$(doc notes/journal.org)" "Oven journal|2016-05-06|document|oven"
equal "rst title and date" "$(doc notes/changes.rst | cut -d'|' -f1,2)" "Release notes|2015-01-01"
equal "no date of its own: mtime" "$(doc notes/plain.txt | cut -d'|' -f1,3)" "plain|mtime"
equal "TIL title from the first heading" "$(doc sqlite/enabling-wal-mode.md | cut -d'|' -f1)" "Enabling WAL mode for SQLite database files"
words=$(q "SELECT words FROM docs d JOIN files f ON f.id = d.file_id WHERE f.path = 'notes/huge-paragraph.md'")
equal "5 MB paragraph: every word counted" "$words" 600000

ok "HTML text is searchable, scripts are not" "$CAIRN" search --index "$IDX" --json baguettes
contains "baguettes found in about.html" "$T/.out" '"path":"pages/about.html"'
contains "heading path starts with the <title>" "$T/.out" '"context":"About this baker > About"'
fails "script text not indexed" "$CAIRN" search --index "$IDX" --path 'pages/*' scriptword
ok "text after broken tags is searchable" "$CAIRN" search --index "$IDX" --path 'pages/*' pastry
ok "broken-YAML body searchable" "$CAIRN" search --index "$IDX" --path 'posts/*' kneading
ok "only-front-matter document findable by its title" "$CAIRN" search --index "$IDX" --json "only metadata here"
contains "only-fm.md found" "$T/.out" 'only-fm.md'
ok "Windows-1252 text searchable" "$CAIRN" search --index "$IDX" --json croissants
contains "cp1252 context decoded" "$T/.out" '"context":"Café crème"'

# ---- links ----
ok "links of a blog post" "$CAIRN" links --index "$IDX" --json "$B/posts/fm-yaml.md"
cp "$T/.out" "$T/links.json"
ok "links JSON: outgoing and incoming resolved" python3 - "$T/links.json" <<'PY'
import json, sys
o = json.load(open(sys.argv[1]))
assert o["path"] == "posts/fm-yaml.md" and o["title"] == "Sourdough starter diary", o
out = {l["target"]: l for l in o["outgoing"]}
# [[Bread basics]]: two documents carry that title; the nearer one wins.
assert out["Bread basics"]["path"] == "posts/fm-toml.md", out["Bread basics"]
assert out["Bread basics"]["resolved_by"] == "title" and out["Bread basics"]["line"] == 11
assert out["fm-toml.md"]["path"] == "posts/fm-toml.md" and out["fm-toml.md"]["resolved_by"] == "path"
inc = {(l["path"], l["kind"]) for l in o["incoming"]}
assert ("pages/about.html", "html") in inc, inc
assert ("notes/journal.org", "org") in inc, inc
PY
ok "links of a TIL note (relative cwd path)" bash -c "cd '$T/til' && '$CAIRN' links --index '$IDX' llms/openai-embeddings-related-content.md"
contains "outgoing TIL URL resolved to the note" "$T/.out" "^ +[0-9]+  observable-plot/wider-tooltip-areas.md  Wider tooltip areas"
contains "incoming from the README index" "$T/.out" "^  README.md:[0-9]+"
ok "incoming links of a linked TIL note" "$CAIRN" links --index "$IDX" --json "$T/til/sqlite/related-content.md"
contains "openai embeddings note links to it" "$T/.out" '"path":"llms/openai-embeddings-related-content.md"'
fails "links of a file outside every root" "$CAIRN" links --index "$IDX" /etc/hostname
fails "links with no FILE is a usage error" "$CAIRN" links --index "$IDX"

# ---- related ----
ok "related to a TIL note" "$CAIRN" related --index "$IDX" --json -k 5 "$T/til/sqlite/one-line-csv-operations.md"
cp "$T/.out" "$T/rel.json"
equal "five related documents" "$(wc -l <"$T/rel.json")" 5
lacks "the note itself is left out" "$T/rel.json" '"path":"sqlite/one-line-csv-operations.md"'
contains "a CSV-and-SQLite note is related" "$T/rel.json" '"path":"sqlite/(import-csv|function-list|trying-macos-extensions)\.md"'
printf 'Our starter needs feeding with rye flour, and the levain should double before baking bread.\n' >"$T/draft.txt"
ok "related to a draft on stdin" bash -c "'$CAIRN' related --index '$IDX' --json -k 3 - <'$T/draft.txt'"
head -n 1 "$T/.out" >"$T/rel-top.json"
contains "the sourdough post ranks first for the draft" "$T/rel-top.json" '"path":"posts/fm-yaml.md"'
contains "results carry title and date" "$T/rel-top.json" '"title":"Sourdough starter diary","date":"2020-04-12"'
ok "related human output" "$CAIRN" related --index "$IDX" -k 2 "$T/til/sqlite/enabling-wal-mode.md"
contains "path:lines score title" "$T/.out" '^[^ ]+\.md:[0-9]+-[0-9]+  [0-9.]+  .+'
fails "related: unknown words only" bash -c "echo zzxqj qqzzv | '$CAIRN' related --index '$IDX' -"
fails "related: -k 0 is a usage error" "$CAIRN" related --index "$IDX" -k 0 -

# ---- quote ----
ok "quote --json" "$CAIRN" quote --index "$IDX" --json -k 3 "turn WAL mode off again and go back to the default"
cp "$T/.out" "$T/quotes.json"
ok "every quote is the exact text at its lines" python3 - "$T/quotes.json" "$T/til" "$B" <<'PY'
import json, sys
roots = sys.argv[2:]
n = 0
for line in open(sys.argv[1]):
    o = json.loads(line)
    root = [r for r in roots if o["root"].endswith(r.rstrip("/").split("/")[-1])][0]
    lines = open("%s/%s" % (root, o["path"]), encoding="utf-8").read().split("\n")
    span = "\n".join(lines[o["start_line"] - 1:o["end_line"]])
    assert o["quote"] in span, (o["quote"], span)
    assert o["quote"].strip() == o["quote"] and o["quote"]
    assert o["title"] and o["date"]
    n += 1
assert n >= 1
PY
head -n 1 "$T/quotes.json" >"$T/q1.json"
contains "best quote from the WAL note" "$T/q1.json" '"path":"sqlite/enabling-wal-mode.md"'
contains "the sentence itself, not the whole chunk" "$T/q1.json" '"quote":"If you want to turn WAL mode off and go back to the SQLite default, the unintuitive way to do that is:"'
ok "quote human output" "$CAIRN" quote --index "$IDX" -k 1 "preheat the dutch oven"
contains "quote line" "$T/.out" '^  > Preheat the dutch oven for \[\[file:'
contains "source line" "$T/.out" '^[^ ]*journal.org:6-6  Oven journal  \(2016-05-06\)'
fails "quote with no query" "$CAIRN" quote --index "$IDX"

# ---- dates from git ----
if command -v git >/dev/null; then
    G="$T/gitnotes"
    mkdir -p "$G"
    git -C "$G" init -q
    printf '# First idea\n\nAbout pretzels and lye.\n' >"$G/idea.md"
    git -C "$G" add idea.md
    GIT_AUTHOR_DATE='2014-03-15T12:00:00Z' GIT_COMMITTER_DATE='2014-03-15T12:00:00Z' \
        git -C "$G" -c user.name=t -c user.email=t@example.com commit -q -m idea
    ok "index a git work tree" "$CAIRN" index --index "$T/gidx" "$G"
    equal "date of the first commit" \
        "$(sqlite3 "$T/gidx/index.db" "SELECT date || '|' || date_source FROM docs")" "2014-03-15T12:00:00Z|git"
else
    _report 1 "git is installed (mk/writing.mk installs it)"
fi

# ---- the in-process benchmark driver runs ----
printf 'sourdough starter\n@posts/fm-yaml.md\n' >"$T/bench-queries"
ok "bench driver" "$ROOT/build/bench_writing" "$T/bidx" "$B" "$T/bench-queries" 1
contains "bench reports index throughput" "$T/.out" '^index [0-9]+ files'
contains "bench reports related-doc latency" "$T/.out" '^related-doc +1 '

finish
