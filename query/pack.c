/*
 * pack.c — choosing, merging and rendering the items of a context pack.
 *
 * Candidates come in priority order: search hits (bodies), the definitions
 * each hit uses, then the repo map.  Each stage may spend its share of the
 * budget and hands what it leaves to the next; a final pass renders the
 * pack and drops the lowest-priority items until the rendering fits.
 */
#include "query/pack.h"
#include "indexer/lang.h"
#include "query/repomap.h"
#include "query/search.h"
#include "query/tokens.h"
#include "store/symbols.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Search hits considered: enough to fill the budget with ~150-token
 * chunks, within bounds. */
#define SEARCH_K_MIN 40
#define SEARCH_K_MAX 400
#define TOKENS_PER_HIT 150
#define HOP_FROM_HITS 12       /* hits whose references are followed */
#define HOP_REFS_PER_HIT 24
#define HOP_MAX_HOMONYMS 3     /* names defined more often are too vague */
#define BODY_MAX_LINES 400     /* a one-hop body longer than this goes as a signature */
#define LEAD_LINES 8           /* what a prose section that did not fit offers */
#define SHARE_SEARCH 0.50
#define SHARE_HOP 0.20
#define SHARE_MAP 0.10         /* then signatures of the hits that did not fit */
#define CODE_SAMPLE 10         /* hits whose kinds set the shares */
#define BODY_SHARE 0.75        /* of the search stage's room, for bodies first */
/* For prose, the dense side's nearest chunks join the search hits, one
 * after the first DENSE_FROM and then one after every DENSE_EVERY: a pack
 * is judged by what it holds, and for writing the two rankings find
 * different notes (TIL context recall at 8k 0.912 -> 0.930, at 32k 0.982
 * -> 1.000).  For code they did not help (search gives dense code hits no
 * weight either). */
#define DENSE_HITS 12
#define DENSE_FROM 4
#define DENSE_EVERY 3
#define STAGE_SATURATE 4000    /* room past which the shares stop growing */
/* A map is for finding one's way: past a page or two, the next search
 * hits say more about the task than more of the map. */
#define MAP_MAX_TOKENS 1000
#define ITEM_OVERHEAD 9        /* fence and range header tokens per item */
#define SIGNATURE_PRIORITY 2000.0 /* after bodies, definitions used and the map */
#define FILE_OVERHEAD 8        /* a file's heading */
#define OMITTED_MAX 8
#define OMITTED_MIN 2
#define OMITTED_PER_TOKENS 1000 /* one left-out entry per this many tokens of budget */
/* Builds of a pack, each given the room the last one left unused, while
 * more than 1/FILL_SLACK_DIV of the budget is unused. */
#define FILL_ATTEMPTS 4
#define MAP_SEEDS 64
#define FILL_SLACK_DIV 40

const char *pack_kind_name(pack_kind k)
{
    return k == PACK_BODY ? "body" : k == PACK_SIGNATURE ? "signature" : "map";
}

typedef struct cand {
    pack_item it;      /* text filled when chosen */
    double priority;   /* lower is more important */
    size_t tokens;
    int chosen;
} cand;

typedef struct packer {
    store *s;
    const pack_opts *o;
    repomap_memo *memo; /* the map's ranking, kept across build attempts */
    cand *c;
    size_t n, cap;
    size_t used; /* tokens of chosen candidates, with overheads */
} packer;

static void item_release(pack_item *it)
{
    free(it->root);
    free(it->path);
    free(it->lang);
    free(it->symbol);
    free(it->text);
    memset(it, 0, sizeof *it);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int add_cand(packer *p, const char *root, const char *path, const char *lang, int64_t file_id,
                    int start, int end, const char *symbol, pack_kind kind, const char *text,
                    double priority)
{
    /* The same range twice (a hit and a one-hop body) is one candidate. */
    for (size_t i = 0; i < p->n; i++) {
        const pack_item *q = &p->c[i].it;
        if (q->file_id == file_id && q->start_line == start && q->end_line == end && q->kind == kind)
            return CAIRN_OK;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        cand *np = realloc(p->c, cap * sizeof *np);
        if (!np)
            return err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
        p->c = np;
        p->cap = cap;
    }
    cand *c = &p->c[p->n];
    memset(c, 0, sizeof *c);
    c->it.root = strdup(root);
    c->it.path = strdup(path);
    c->it.lang = strdup(lang ? lang : "text");
    c->it.symbol = dup_or_null(symbol);
    c->it.file_id = file_id;
    c->it.start_line = start;
    c->it.end_line = end;
    c->it.kind = kind;
    c->it.text = dup_or_null(text);
    c->priority = priority;
    if (!c->it.root || !c->it.path || !c->it.lang || (symbol && !c->it.symbol) || (text && !c->it.text)) {
        item_release(&c->it);
        return err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    }
    p->n++;
    return CAIRN_OK;
}

static int load_text(packer *p, cand *c)
{
    if (c->it.text)
        return CAIRN_OK;
    buf b;
    buf_init(&b, 0);
    int rc = store_file_lines(p->s, c->it.file_id, c->it.start_line, c->it.end_line, &b);
    if (!rc && !(c->it.text = buf_detach(&b)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    buf_release(&b);
    return rc;
}

static size_t cost(const cand *c)
{
    return tokens_count(c->it.text ? c->it.text : "", c->it.text ? strlen(c->it.text) : 0) + ITEM_OVERHEAD;
}

/* Choose c if it fits under limit; returns 1 when chosen. */
static int try_choose(packer *p, cand *c, size_t limit, int *err)
{
    if ((*err = load_text(p, c)))
        return 0;
    c->tokens = cost(c);
    if (p->used + c->tokens > limit)
        return 0;
    c->chosen = 1;
    p->used += c->tokens;
    return 1;
}

/* The signatures of the definitions starting inside a hit, as candidates:
 * what a body shrinks to. */
static int add_signatures(packer *p, const cand *body, double priority)
{
    store_sym_list l;
    store_sym_list_init(&l);
    int rc = store_symbols_in_lines(p->s, body->it.file_id, body->it.start_line, body->it.end_line, &l);
    for (size_t i = 0; i < l.n && !rc; i++) {
        const store_sym *y = &l.items[i];
        if (!y->signature)
            continue;
        char line[1024];
        snprintf(line, sizeof line, "%s\n", y->signature);
        rc = add_cand(p, y->root, y->path, y->lang, y->file_id, y->start_line, y->start_line,
                      y->qualname, PACK_SIGNATURE, line, priority);
    }
    store_sym_list_release(&l);
    return rc;
}

static int stage_search(packer *p, store_hit *hits, size_t nhits, size_t limit)
{
    int rc = CAIRN_OK;
    for (size_t i = 0; i < nhits && !rc; i++) {
        const store_hit *h = &hits[i];
        size_t at = p->n;
        rc = add_cand(p, h->root, h->path, h->lang, h->file_id, h->start_line, h->end_line, h->symbol,
                      PACK_BODY, NULL, (double)i);
        if (rc || p->n == at)
            continue;
        /* Past BODY_SHARE of the room, further code hits come as the
         * signatures of what they define — several hits for the price of
         * one body — and get their bodies back only if room is left.
         * Prose has no signatures: a note is offered whole. */
        int tail = strcmp(h->kind, "code") == 0 && (double)p->used > (double)limit * BODY_SHARE;
        /* Notes go breadth first: a second section of a note waits for
         * the room left at the end, after the first sections of the
         * others (TIL context recall at 2k 0.842 -> 0.877). */
        int again = 0;
        for (size_t j = 0; j < at && strcmp(h->kind, "prose") == 0; j++)
            again |= p->c[j].chosen && p->c[j].it.file_id == h->file_id;
        if (again)
            continue;
        if ((tail || !try_choose(p, &p->c[at], limit, &rc)) && !rc) {
            size_t first = p->n;
            rc = add_signatures(p, &p->c[at], (double)i + 0.25);
            for (size_t k = first; k < p->n && !rc; k++)
                try_choose(p, &p->c[k], limit, &rc);
        }
    }
    return rc;
}

/* Whether def y may be what reference x, made in file_id, names.  Names
 * are all references carry, so a call through an object (parser.feed())
 * could mean any feed: it is followed only to a definition in the same
 * file, or one whose class or module the qualifier names (Header.encode
 * for header.encode(), email/utils.py for email.utils.formatdate()).
 * self.x and super().x stay in the file. */
static int plausible_target(const store_ref *x, int64_t file_id, const store_sym *y)
{
    if (!x->qualifier || !*x->qualifier || y->file_id == file_id)
        return 1;
    const char *q = x->qualifier;
    if (strcmp(q, "self") == 0 || strcmp(q, "cls") == 0 || strcmp(q, "this") == 0 ||
        strncmp(q, "super", 5) == 0 || strncmp(q, "self.", 5) == 0)
        return 0;
    const char *last = strrchr(q, '.');
    last = last ? last + 1 : q;
    size_t n = strlen(last);
    if (n == 0)
        return 0;
    /* The class: the qualname's part before the name. */
    const char *dot = strrchr(y->qualname, '.');
    if (dot && (size_t)(dot - y->qualname) >= n && strncasecmp(dot - n, last, n) == 0 &&
        (dot - n == y->qualname || dot[-(long)n - 1] == '.'))
        return 1;
    /* The module: the file's name without its extension. */
    const char *base = strrchr(y->path, '/');
    base = base ? base + 1 : y->path;
    return strncmp(base, last, n) == 0 && (base[n] == '.' || base[n] == '\0');
}

/* Definitions used by the chosen hits: bodies when small enough and room
 * allows, else signatures. */
static int stage_hop(packer *p, size_t nhits, size_t limit)
{
    int rc = CAIRN_OK;
    size_t followed = 0;
    size_t n0 = p->n;
    for (size_t i = 0; i < n0 && followed < HOP_FROM_HITS && !rc; i++) {
        if (p->c[i].it.kind != PACK_BODY || !p->c[i].chosen || p->c[i].priority >= (double)nhits)
            continue;
        followed++;
        store_ref_list refs;
        store_ref_list_init(&refs);
        rc = store_refs_in_lines(p->s, p->c[i].it.file_id, p->c[i].it.start_line, p->c[i].it.end_line,
                                 HOP_REFS_PER_HIT * 4, &refs);
        size_t used_refs = 0;
        for (size_t r = 0; r < refs.n && !rc && used_refs < HOP_REFS_PER_HIT; r++) {
            const store_ref *x = &refs.items[r];
            if (strcmp(x->kind, "call") != 0 && strcmp(x->kind, "type") != 0 && strcmp(x->kind, "inherit") != 0)
                continue;
            store_sym_list defs;
            store_sym_list_init(&defs);
            rc = store_symbols_find(p->s, x->name, STORE_SYM_EXACT, NULL, HOP_MAX_HOMONYMS + 1, &defs);
            size_t pick = defs.n;
            for (size_t d = 0; !rc && defs.n <= HOP_MAX_HOMONYMS && d < defs.n; d++)
                if (plausible_target(x, p->c[i].it.file_id, &defs.items[d]) &&
                    (pick == defs.n || defs.items[d].file_id == p->c[i].it.file_id))
                    pick = d;
            if (pick < defs.n) {
                used_refs++;
                const store_sym *y = &defs.items[pick];
                double prio = p->c[i].priority + 0.5;
                size_t at = p->n;
                if (y->end_line - y->start_line < BODY_MAX_LINES)
                    rc = add_cand(p, y->root, y->path, y->lang, y->file_id, y->start_line, y->end_line,
                                  y->qualname, PACK_BODY, NULL, prio);
                int chosen = !rc && p->n > at && try_choose(p, &p->c[at], limit, &rc);
                if (!rc && !chosen && y->signature) {
                    char line[1024];
                    snprintf(line, sizeof line, "%s\n", y->signature);
                    at = p->n;
                    rc = add_cand(p, y->root, y->path, y->lang, y->file_id, y->start_line, y->start_line,
                                  y->qualname, PACK_SIGNATURE, line, prio + 0.1);
                    if (!rc && p->n > at)
                        try_choose(p, &p->c[at], limit, &rc);
                }
            }
            store_sym_list_release(&defs);
        }
        store_ref_list_release(&refs);
    }
    return rc;
}

static int stage_signatures(packer *p, size_t nhits, size_t limit)
{
    int rc = CAIRN_OK;
    size_t n0 = p->n;
    for (size_t i = 0; i < n0 && !rc && p->used < limit; i++) {
        cand *c = &p->c[i];
        if (c->it.kind != PACK_BODY || c->chosen || c->priority >= (double)nhits)
            continue;
        size_t first = p->n;
        rc = add_signatures(p, &p->c[i], SIGNATURE_PRIORITY + c->priority);
        /* Prose has no signatures: a section that did not fit still
         * offers its heading and first lines to the room left. */
        const lang_info *li = lang_by_name(c->it.lang);
        if (!rc && li && li->kind == LANG_PROSE && c->it.end_line - c->it.start_line >= LEAD_LINES)
            rc = add_cand(p, c->it.root, c->it.path, c->it.lang, c->it.file_id, c->it.start_line,
                          c->it.start_line + LEAD_LINES - 1, c->it.symbol, PACK_BODY, NULL,
                          SIGNATURE_PRIORITY + c->priority);
        for (size_t k = first; k < p->n && !rc; k++)
            try_choose(p, &p->c[k], limit, &rc);
    }
    return rc;
}

static int stage_map(packer *p, size_t limit)
{
    if (!p->o->graph || p->used >= limit)
        return CAIRN_OK;
    /* Seeds: the definitions the chosen bodies hold — those of the first
     * attempt, so that later attempts with more room reuse its ranking. */
    int64_t seeds[MAP_SEEDS];
    size_t nseeds = 0;
    int rc = CAIRN_OK;
    if (p->memo->ranked) {
        nseeds = p->memo->nseeds;
        memcpy(seeds, p->memo->seeds, nseeds * sizeof *seeds);
    }
    for (size_t i = 0; i < p->n && !p->memo->ranked && nseeds < MAP_SEEDS && !rc; i++) {
        if (!p->c[i].chosen || p->c[i].it.kind != PACK_BODY || !p->c[i].it.symbol)
            continue;
        store_sym_list l;
        store_sym_list_init(&l);
        rc = store_symbols_find(p->s, p->c[i].it.symbol, STORE_SYM_EXACT, NULL, 2, &l);
        for (size_t k = 0; k < l.n && nseeds < MAP_SEEDS; k++)
            if (l.items[k].file_id == p->c[i].it.file_id)
                seeds[nseeds++] = l.items[k].id;
        store_sym_list_release(&l);
    }
    repomap m = {0};
    repomap_opts mo = {.query = p->o->task, .focus_files = p->o->focus_files, .nfocus = p->o->nfocus,
                       .seeds = seeds, .nseeds = nseeds,
                       .budget = limit - p->used < MAP_MAX_TOKENS ? limit - p->used : MAP_MAX_TOKENS,
                       .memo = p->memo};
    if (!rc)
        rc = repomap_build(p->s, p->o->graph, &mo, &m);
    for (size_t i = 0; i < m.n && !rc; i++) {
        const store_sym *y = &m.items[i].sym;
        char line[1024];
        snprintf(line, sizeof line, "%s\n", y->signature ? y->signature : y->name);
        size_t at = p->n;
        rc = add_cand(p, y->root, y->path, y->lang, y->file_id, y->start_line, y->start_line,
                      y->qualname, PACK_MAP, line, 1000.0 + (double)i);
        if (!rc && p->n > at)
            try_choose(p, &p->c[at], limit, &rc);
    }
    repomap_release(&m);
    return rc;
}

/* ---- merging and rendering ---- */

static int cmp_out(const void *a, const void *b)
{
    const pack_item *x = a, *y = b;
    if (x->file_id != y->file_id)
        return 0; /* files are already grouped in order */
    return x->start_line != y->start_line ? x->start_line - y->start_line : (int)x->kind - (int)y->kind;
}

/* Chosen candidates grouped by file (most important file first), merged
 * and ordered by line, into out->items. */
static int merge(packer *p, pack *out)
{
    size_t nchosen = 0;
    for (size_t i = 0; i < p->n; i++)
        nchosen += p->c[i].chosen;
    out->items = calloc(nchosen ? nchosen : 1, sizeof *out->items);
    if (!out->items)
        return err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    /* Files in order of their best candidate. */
    int64_t *files = malloc((nchosen ? nchosen : 1) * sizeof *files);
    size_t nfiles = 0;
    if (!files)
        return err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    for (;;) {
        double best = 1e300;
        int64_t bf = 0;
        for (size_t i = 0; i < p->n; i++) {
            if (!p->c[i].chosen || p->c[i].priority >= best)
                continue;
            int seen = 0;
            for (size_t f = 0; f < nfiles; f++)
                seen |= files[f] == p->c[i].it.file_id;
            if (!seen) {
                best = p->c[i].priority;
                bf = p->c[i].it.file_id;
            }
        }
        if (best == 1e300)
            break;
        files[nfiles++] = bf;
    }
    int rc = CAIRN_OK;
    for (size_t f = 0; f < nfiles && !rc; f++) {
        size_t start = out->n;
        for (size_t i = 0; i < p->n; i++)
            if (p->c[i].chosen && p->c[i].it.file_id == files[f]) {
                out->items[out->n++] = p->c[i].it;
                memset(&p->c[i].it, 0, sizeof p->c[i].it);
                p->c[i].chosen = 2; /* moved */
            }
        qsort(out->items + start, out->n - start, sizeof *out->items, cmp_out);
        /* Join overlapping or adjacent bodies; drop lines already shown. */
        size_t w = start;
        for (size_t i = start; i < out->n; i++) {
            pack_item *it = &out->items[i];
            pack_item *prev = w > start ? &out->items[w - 1] : NULL;
            if (prev && prev->kind == PACK_BODY && it->start_line <= prev->end_line + 1 &&
                it->kind == PACK_BODY) {
                if (it->end_line > prev->end_line) {
                    prev->end_line = it->end_line;
                    free(prev->text);
                    prev->text = NULL;
                }
                item_release(it);
                continue;
            }
            if (prev && prev->kind == PACK_BODY && it->start_line <= prev->end_line) {
                item_release(it); /* a signature inside a body */
                continue;
            }
            if (prev && prev->kind != PACK_BODY && it->kind != PACK_BODY && it->start_line == prev->start_line) {
                item_release(it);
                continue;
            }
            out->items[w++] = *it;
            if (w - 1 != i)
                memset(it, 0, sizeof *it);
        }
        out->n = w;
        for (size_t i = start; i < out->n && !rc; i++) {
            if (out->items[i].text)
                continue;
            buf b;
            buf_init(&b, 0);
            rc = store_file_lines(p->s, out->items[i].file_id, out->items[i].start_line,
                                  out->items[i].end_line, &b);
            if (!rc && !(out->items[i].text = buf_detach(&b)))
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
            buf_release(&b);
        }
    }
    free(files);
    return rc;
}

/* Fence language: code keeps its name; prose needs none. */
static const char *fence_lang(const pack_item *it)
{
    static const char *const prose[] = {"markdown", "text", "html", "rst", "org", "asciidoc"};
    for (size_t i = 0; i < sizeof prose / sizeof *prose; i++)
        if (strcmp(it->lang, prose[i]) == 0)
            return "";
    return it->lang;
}

static int render(const pack *pk, const char *task, buf *out)
{
    buf_clear(out);
    size_t tl = strcspn(task, "\r\n");
    int rc = buf_printf(out, "# Context: %.*s%s\n", (int)(tl > 60 ? 60 : tl), task, tl > 60 ? "…" : "");
    for (size_t i = 0; i < pk->n && !rc; i++) {
        const pack_item *it = &pk->items[i];
        if (i == 0 || pk->items[i - 1].file_id != it->file_id)
            rc = buf_printf(out, "\n## %s\n", it->path);
        if (rc)
            break;
        const char *what = it->kind == PACK_BODY ? "" : it->kind == PACK_SIGNATURE ? " (signature)" : " (map)";
        if (it->start_line == it->end_line)
            rc = buf_printf(out, "%d%s%s%s:\n```%s\n", it->start_line, what, it->symbol ? " " : "",
                            it->symbol ? it->symbol : "", fence_lang(it));
        else
            rc = buf_printf(out, "%d-%d%s%s%s:\n```%s\n", it->start_line, it->end_line, what,
                            it->symbol ? " " : "", it->symbol ? it->symbol : "", fence_lang(it));
        if (!rc)
            rc = buf_printf(out, "%s```\n", it->text ? it->text : "");
    }
    if (!rc && pk->nomitted) {
        rc = buf_puts(out, "\n## Left out\n");
        for (size_t i = 0; i < pk->nomitted && !rc; i++)
            rc = buf_printf(out, "%s%s%s%s", i ? ", " : "", pk->omitted[i].path,
                            pk->omitted[i].symbol ? " " : "",
                            pk->omitted[i].symbol ? pk->omitted[i].symbol : "");
        if (!rc)
            rc = buf_putc(out, '\n');
    }
    return rc;
}

static int collect_omitted(packer *p, pack *out)
{
    out->omitted = calloc(OMITTED_MAX, sizeof *out->omitted);
    if (!out->omitted)
        return err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    /* The list costs budget too: a short one for a small pack. */
    size_t most = out->budget / OMITTED_PER_TOKENS;
    most = most < OMITTED_MIN ? OMITTED_MIN : most > OMITTED_MAX ? OMITTED_MAX : most;
    for (size_t i = 0; i < p->n && out->nomitted < most; i++) {
        if (p->c[i].chosen || !p->c[i].it.path)
            continue;
        int dup = 0;
        for (size_t k = 0; k < out->nomitted; k++)
            dup |= strcmp(out->omitted[k].path, p->c[i].it.path) == 0 &&
                   ((!out->omitted[k].symbol && !p->c[i].it.symbol) ||
                    (out->omitted[k].symbol && p->c[i].it.symbol &&
                     strcmp(out->omitted[k].symbol, p->c[i].it.symbol) == 0));
        if (dup)
            continue;
        pack_omitted *om = &out->omitted[out->nomitted++];
        om->path = strdup(p->c[i].it.path);
        om->symbol = dup_or_null(p->c[i].it.symbol);
        if (!om->path)
            return err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    }
    return CAIRN_OK;
}

void pack_release(pack *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        item_release(&p->items[i]);
    free(p->items);
    for (size_t i = 0; i < p->nomitted; i++) {
        free(p->omitted[i].path);
        free(p->omitted[i].symbol);
    }
    free(p->omitted);
    free(p->markdown);
    memset(p, 0, sizeof *p);
}

/* Interleave the dense side's nearest prose chunks for query into *hits,
 * leaving out those already there: one after the first DENSE_FROM hits,
 * then one after every DENSE_EVERY.  Without a dense side, or when it
 * fails, the hits stay as they are: the pack is still whole. */
static int add_dense_hits(store *s, semantic *sem, const char *query, store_hit **hits, size_t *n)
{
    int64_t *ids = NULL;
    float *scores = NULL;
    size_t nids = 0, nd = 0;
    store_hit *dense = NULL;
    if (!sem || semantic_search(sem, query, DENSE_HITS, &ids, &scores, &nids))
        return CAIRN_OK;
    store_query q = {.kind = "prose", .limit = DENSE_HITS};
    int rc = store_hits_by_ids(s, ids, nids, &q, &dense, &nd);
    free(ids);
    free(scores);
    if (rc)
        return CAIRN_OK;
    store_hit *all = calloc(*n + nd + 1, sizeof *all);
    if (!all) {
        store_hits_free(dense, nd);
        return err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    }
    size_t m = 0, li = 0;
    for (size_t d = 0; d <= nd; d++) {
        while (li < *n && (d == nd || li < DENSE_FROM + d * DENSE_EVERY))
            all[m++] = (*hits)[li++];
        if (d == nd)
            break;
        int dup = 0;
        for (size_t j = 0; j < *n && !dup; j++)
            dup = (*hits)[j].chunk_id == dense[d].chunk_id;
        if (dup)
            store_hits_free_one(&dense[d]);
        else
            all[m++] = dense[d];
    }
    free(dense);
    free(*hits);
    *hits = all;
    *n = m;
    return CAIRN_OK;
}

/* Render the first n items of out into md; *fits says whether that is
 * within budget, and out->n and out->tokens describe the rendering. */
static int render_fits(pack *out, const char *task, size_t n, size_t budget, buf *md, int *fits)
{
    out->n = n;
    int rc = render(out, task, md);
    out->tokens = rc ? 0 : tokens_count(buf_str(md), md->len);
    *fits = !rc && out->tokens <= budget;
    return rc;
}

/* One selection with `room` tokens for the items, merged and rendered;
 * trimmed from the end until the rendering fits the budget. */
static int build_once(store *s, const pack_opts *o, store_hit *hits, size_t nhits, size_t room,
                      repomap_memo *memo, pack *out)
{
    packer p = {.s = s, .o = o, .memo = memo};
    size_t budget = out->budget;
    /* The later stages follow code (references, the repo map): they get
     * their shares in proportion to the code among the best hits, and a
     * task that prose answers, or an index without definitions, gives
     * search the whole room. */
    size_t sample = nhits < CODE_SAMPLE ? nhits : CODE_SAMPLE, ncode = 0;
    for (size_t i = 0; i < sample; i++)
        ncode += strcmp(hits[i].kind, "code") == 0;
    double code = o->graph && sample ? (double)ncode / (double)sample : 0;
    /* What a task uses and where it sits is finite: past STAGE_SATURATE
     * tokens, more room goes to more of the search ranking. */
    double base = (double)(room < STAGE_SATURATE ? room : STAGE_SATURATE) * code;
    double hop = base * SHARE_HOP, map = base * SHARE_MAP;
    double search = (double)room - base * (1.0 - SHARE_SEARCH);
    int rc = CAIRN_OK;
    if (room > 0) {
        rc = stage_search(&p, hits, nhits, (size_t)search);
        if (!rc)
            rc = stage_hop(&p, nhits, (size_t)(search + hop));
        if (!rc)
            rc = stage_map(&p, (size_t)(search + hop + map));
        /* The hits that did not fit as bodies still say where things are:
         * their signatures are cheap. */
        if (!rc)
            rc = stage_signatures(&p, nhits, room);
        /* Room left over goes to more of what ranked highest. */
        for (size_t i = 0; i < p.n && !rc; i++)
            if (!p.c[i].chosen && p.c[i].it.kind == PACK_BODY)
                try_choose(&p, &p.c[i], room, &rc);
    }
    if (!rc)
        rc = collect_omitted(&p, out);
    if (!rc)
        rc = merge(&p, out);
    buf md;
    buf_init(&md, 0);
    /* The selection's estimates only approximate the rendering: when it
     * is over the budget, the largest prefix of the items that fits is
     * found by bisection (rendering once per item would be quadratic). */
    size_t n = out->n, lo = 0, hi = n;
    int fits = 0;
    if (!rc && (rc = render_fits(out, o->task, n, budget, &md, &fits)) == CAIRN_OK && !fits) {
        hi = n ? n - 1 : 0;
        while (!rc && lo < hi) {
            size_t mid = (lo + hi + 1) / 2;
            rc = render_fits(out, o->task, mid, budget, &md, &fits);
            if (!rc && fits)
                lo = mid;
            else
                hi = mid - 1;
        }
        if (!rc)
            rc = render_fits(out, o->task, lo, budget, &md, &fits);
        for (size_t i = lo; i < n; i++)
            item_release(&out->items[i]);
        if (!rc && !fits) {
            /* Not even the heading fits: an empty pack. */
            buf_clear(&md);
            out->tokens = 0;
        }
    }
    if (!rc && !(out->markdown = buf_detach(&md)))
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory packing context");
    buf_release(&md);
    for (size_t i = 0; i < p.n; i++)
        item_release(&p.c[i].it);
    free(p.c);
    if (rc)
        pack_release(out);
    return rc;
}

int pack_build(store *s, const pack_opts *o, pack *out)
{
    memset(out, 0, sizeof *out);
    if (!o->task || !*o->task)
        return err_set(CAIRN_ERR_INVALID, "no task given");
    size_t budget = o->budget > PACK_MAX_BUDGET ? PACK_MAX_BUDGET : o->budget;
    out->budget = budget;
    /* A long task (a pasted issue) is searched by its first part; the
     * query builder keeps the words that matter. */
    char q[SEARCH_MAX_QUERY_BYTES];
    size_t tl = strlen(o->task);
    if (tl >= sizeof q) {
        tl = sizeof q - 1;
        while (tl > 0 && ((unsigned char)o->task[tl] & 0xc0) == 0x80)
            tl--;
    }
    memcpy(q, o->task, tl);
    q[tl] = '\0';
    store_hit *hits = NULL;
    size_t nhits = 0;
    size_t want = budget / TOKENS_PER_HIT;
    int k = want < SEARCH_K_MIN ? SEARCH_K_MIN : want > SEARCH_K_MAX ? SEARCH_K_MAX : (int)want;
    /* Several chunks of one file merge into one item: no per-file cap. */
    search_opts so = {.query = q, .k = k, .per_doc = -1, .no_snippets = 1, .sem = o->sem};
    int rc = search_run(s, &so, &hits, &nhits);
    if (!rc)
        rc = add_dense_hits(s, o->sem, q, &hits, &nhits);
    size_t header = tokens_count(o->task, tl < 60 ? tl : 60) + 6;
    size_t room = budget > header ? budget - header : 0;
    /* The parts' estimates (item framing, headings, the list of what was
     * left out) only approximate the rendering: build, measure, and build
     * again with the room the first try left unused. */
    repomap_memo memo = {0};
    for (int attempt = 0; !rc && attempt < FILL_ATTEMPTS; attempt++) {
        pack next = {.budget = budget};
        rc = build_once(s, o, hits, nhits, room, &memo, &next);
        if (rc)
            break;
        if (next.tokens <= budget && (attempt == 0 || next.tokens > out->tokens)) {
            pack_release(out);
            *out = next;
        } else {
            pack_release(&next);
        }
        size_t slack = budget - out->tokens;
        if (out->n == 0 || slack * FILL_SLACK_DIV < budget)
            break;
        room += slack;
    }
    repomap_memo_release(&memo);
    store_hits_free(hits, nhits);
    if (rc)
        pack_release(out);
    return rc;
}
