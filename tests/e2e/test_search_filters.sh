#!/bin/bash
# End-to-end: search filters over a writing archive — dates from front
# matter, from git history and from mtime; tags (Unicode-folded); titles,
# dates and heading paths in results; at most --per-doc chunks per note.
. "$(dirname "$0")/lib.sh"

A="$T/blog"
mkdir -p "$A/posts" "$A/notes"
cat >"$A/posts/sourdough.md" <<'MD'
---
title: Sourdough, finally
date: 2021-03-14
tags: [baking, Bread]
---
# Sourdough, finally

## The starter
Feeding the starter twice a day made the loaves rise.

## The bake
A hot dutch oven gives the crust its blisters.
MD
cat >"$A/posts/pizza.md" <<'MD'
---
title: Pizza in a home oven
date: 2023-07-02
tags: baking, École
---
# Pizza in a home oven

A baking steel and the broiler make a home oven behave like a pizza oven.
MD
cat >"$A/notes/undated.md" <<'MD'
# An undated note about baking bread

Bread flour, water, salt and patience: baking notes without a date.
MD
# Git history dates the undated note.
(cd "$A" && git init -q && git add notes/undated.md &&
    GIT_AUTHOR_DATE=2019-05-05T10:00:00 GIT_COMMITTER_DATE=2019-05-05T10:00:00 \
    git -c user.email=t@t -c user.name=t commit -qm first) || echo "    (git unavailable)"
IDX="$T/idx"
ok "index the archive" "$CAIRN" index -q --index "$IDX" "$A"

ok "search with --since" "$CAIRN" search --index "$IDX" --json --since 2022 baking
contains "2023 post found" "$T/.out" '"path":"posts/pizza.md"'
lacks "2021 post filtered out" "$T/.out" 'sourdough'
lacks "2019 note filtered out" "$T/.out" 'undated'
contains "results carry the title" "$T/.out" '"title":"Pizza in a home oven"'
contains "results carry the date" "$T/.out" '"date":"2023-07-02'

ok "search with --until" "$CAIRN" search --index "$IDX" --json --until 2021 baking
contains "2021 post found with --until 2021" "$T/.out" 'sourdough'
contains "git-dated note found" "$T/.out" 'undated'
lacks "2023 post filtered out" "$T/.out" 'pizza'
contains "git date used for the undated note" "$T/.out" '"date":"2019-05-05'

ok "search with a date range" "$CAIRN" search --index "$IDX" --json --since 2021-01 --until 2021-12 baking
contains "only 2021" "$T/.out" 'sourdough'
lacks "not 2019" "$T/.out" 'undated'

ok "search with --tag" "$CAIRN" search --index "$IDX" --json --tag bread baking
contains "tag matches whatever its case" "$T/.out" 'sourdough'
lacks "untagged notes out" "$T/.out" 'pizza'
ok "search with a non-ASCII tag in another case" "$CAIRN" search --index "$IDX" --json --tag ÉCOLE oven
contains "Unicode-folded tag" "$T/.out" 'pizza'

ok "heading paths carry the title" "$CAIRN" search --index "$IDX" --json dutch oven crust
contains "heading path" "$T/.out" '"context":"Sourdough, finally > The bake"'

ok "--per-doc 1" "$CAIRN" search --index "$IDX" --json --per-doc 1 -k 10 baking starter crust
n=$(grep -c '"path":"posts/sourdough.md"' "$T/.out")
equal "one chunk per note" "$n" 1
ok "--per-doc 0 (no limit)" "$CAIRN" search --index "$IDX" --json --per-doc 0 -k 10 starter crust sourdough
n=$(grep -c '"path":"posts/sourdough.md"' "$T/.out")
[ "$n" -ge 2 ]; _report $? "several chunks of one note without a limit ($n)"

fails "a malformed date is refused" "$CAIRN" search --index "$IDX" --since yesterday baking
contains "the message shows the date forms" "$T/.out" "2024-05-17"
fails "a blank tag is refused" "$CAIRN" search --index "$IDX" --tag " " baking
finish
