/*
 * search.c — validating a search and running it against the store.
 */
#include "query/search.h"
#include "indexer/lang.h"
#include "indexer/prose.h"
#include "store/fts.h"
#include "store/symbols.h"
#include "util/buf.h"
#include "util/err.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fusion, within each kind of chunk: weighted reciprocal ranks,
 * score = 1 / (k_lexical + lexical rank) + w_dense / (k_dense + dense rank),
 * ranks counted among the kind's hits.  BM25 keeps deciding how code and
 * prose interleave: the places its list gives code are filled with code in
 * code's fused order, those it gives prose with prose.  The constants come
 * from the development sets (local embedder; README "Semantic search"):
 *   prose, TIL notes (tests/eval/til.jsonl): k 60 on both sides and dense
 *     0.2 lift MRR@10 from 0.873 to 0.913 (vague recollections 0.863 ->
 *     0.920); a sharper lexical k loses most of that;
 *   code, stdlib: with k 60 every dense weight lowered the set, because
 *     BM25's first ranks sit too close together for a weaker signal not to
 *     reorder them.  A sharp lexical k of 5 lets the dense side move a hit
 *     a place or two where it is confident.  Chosen on a seed-2 set of
 *     1,200 queries among 18 settings (MRR@10 0.748 -> 0.750, concept-style
 *     0.614 -> 0.616, definitions 0.428 -> 0.430) as the one that lost
 *     nothing on any measure; on the committed seed-1 set
 *     (tests/eval/stdlib.jsonl): 0.758 -> 0.759, concept-style 0.540 ->
 *     0.552, definitions 0.412 -> 0.413. */
typedef struct fusion {
    const char *kind;
    double k_lexical, k_dense, w_dense;
} fusion;

static const fusion FUSION[] = {
    {"code", 5, 10, 0.3},
    {"prose", 60, 60, 0.2},
};
#define NKINDS (sizeof FUSION / sizeof FUSION[0])

/* The dense side is asked for at least this many chunks. */
#define DENSE_MIN 50
/* Cosine a dense hit needs when no word of the query matched anything. */
#define DENSE_ALONE_MIN 0.5

/* Identifiers in a query whose definitions are looked up, and how many
 * definitions of each go to the top of the results. */
#define MAX_IDENTIFIERS 4
#define DEFS_PER_IDENTIFIER 3
#define IDENT_MAX 128

/* Rows fetched per result wanted, so that per-file grouping still fills k. */
#define OVERFETCH 4

/* YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by a time: what ISO
 * dates in front matter look like and what compares as text. */
static int valid_date(const char *d)
{
    static const char shape[] = "dddd-dd-dd";
    size_t n = strlen(d);
    if (n != 4 && n != 7 && n < 10)
        return 0;
    for (size_t i = 0; i < n && i < 10; i++) {
        if (shape[i] == 'd' ? (d[i] < '0' || d[i] > '9') : d[i] != '-')
            return 0;
    }
    return n <= 10 || d[10] == 'T' || d[10] == ' ';
}

/* Keep hits in rank order, at most per_doc of any one file, at most k. */
static void group_per_file(store_hit *hits, size_t *n, int per_doc, int k)
{
    size_t kept = 0;
    for (size_t i = 0; i < *n; i++) {
        int seen = 0;
        for (size_t j = 0; j < kept; j++)
            if (strcmp(hits[j].path, hits[i].path) == 0 && strcmp(hits[j].root, hits[i].root) == 0)
                seen++;
        if ((per_doc < 0 || seen < per_doc) && kept < (size_t)k) {
            store_hit tmp = hits[kept];
            hits[kept] = hits[i];
            hits[i] = tmp;
            kept++;
        }
    }
    /* The dropped rows stay past `kept`; the caller frees all of them. */
    for (size_t i = kept; i < *n; i++)
        store_hits_free_one(&hits[i]);
    *n = kept;
}

/* A word names an identifier when it could only be code: it has an
 * underscore, a capital after its first letter next to small letters, or
 * a '.'/'::' between names — or when it is the whole query. */
static int names_identifier(const char *w, size_t n, int whole_query)
{
    int alpha = 0;
    for (size_t i = 0; i < n; i++)
        if ((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= 'A' && w[i] <= 'Z'))
            alpha = 1;
    if (!alpha || n < 2)
        return 0;
    if (whole_query)
        return 1;
    int upper_inside = 0, lower = 0;
    for (size_t i = 0; i < n; i++) {
        upper_inside |= i > 0 && w[i] >= 'A' && w[i] <= 'Z';
        lower |= w[i] >= 'a' && w[i] <= 'z';
    }
    /* getUserName, HTTPServer, JSONDecoder: a capital past the first letter
     * in a word that also has small letters. */
    if (upper_inside && lower)
        return 1;
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '_')
            return 1;
        if (i > 0 && i + 1 < n && (w[i] == '.' || w[i] == ':') && w[i + 1] != '.' && w[i + 1] != ':')
            return 1;
    }
    return 0;
}

static int is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '$' || (unsigned char)c >= 0x80;
}

static int hit_passes(const search_opts *o, const store_sym *y)
{
    if (o->kind && strcmp(o->kind, "code") != 0)
        return 0;
    if (o->lang && strcmp(o->lang, y->lang) != 0)
        return 0;
    if (o->path_glob && fnmatch(o->path_glob, y->path, 0) != 0)
        return 0;
    /* Dates and tags describe documents, not definitions. */
    return !o->since && !o->until && !o->tag;
}

/* word in the other common spelling: getUserName <-> get_user_name.
 * Returns 0 when there is none (no case or underscore boundary). */
static int respell(const char *word, char *out, size_t n)
{
    size_t w = 0;
    int changed = 0;
    if (strchr(word, '_')) {
        int up = 0;
        for (const char *p = word; *p && w + 1 < n; p++) {
            if (*p == '_' && p != word && p[1]) {
                up = 1;
                changed = 1;
                continue;
            }
            out[w++] = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
            up = 0;
        }
    } else {
        for (const char *p = word; *p && w + 2 < n; p++) {
            if (p != word && *p >= 'A' && *p <= 'Z' && p[-1] >= 'a' && p[-1] <= 'z') {
                out[w++] = '_';
                changed = 1;
            }
            out[w++] = *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p;
        }
    }
    out[w] = '\0';
    return changed;
}

/* Definitions of word as typed, else in any case, else respelled. */
static int find_spellings(store *s, const char *word, store_sym_list *defs)
{
    char other[IDENT_MAX * 2];
    int rc = store_symbols_find(s, word, STORE_SYM_EXACT, NULL, 16, defs);
    if (!rc && defs->n == 0)
        rc = store_symbols_find(s, word, STORE_SYM_NOCASE, NULL, 16, defs);
    if (!rc && defs->n == 0 && respell(word, other, sizeof other))
        rc = store_symbols_find(s, other, STORE_SYM_NOCASE, NULL, 16, defs);
    return rc;
}

/* A boosted hit is about the definition: name it, and let its snippet
 * start at the definition rather than wherever the query's words fall. */
#define DEF_SNIPPET_LINES 4
static int show_definition(store *s, const store_sym *y, store_hit *h)
{
    buf b;
    buf_init(&b, 0);
    int rc = store_file_lines(s, y->file_id, y->start_line, y->start_line + DEF_SNIPPET_LINES - 1, &b);
    char *sym = strdup(y->qualname);
    if (!rc && !sym)
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory");
    if (!rc) {
        if (b.len) {
            free(h->snippet);
            h->snippet = buf_detach(&b);
        }
        free(h->symbol);
        h->symbol = sym;
        sym = NULL;
    }
    free(sym);
    buf_release(&b);
    return rc;
}

/* Put the chunks that define identifiers named in the query ahead of the
 * BM25 ranking: someone typing HTTPServer wants the class first. */
static int boost_definitions(store *s, const search_opts *o, store_hit **hits, size_t *n)
{
    const char *q = o->query;
    size_t qlen = strlen(q);
    size_t start = 0, words = 0;
    while (start < qlen) {
        while (start < qlen && !is_ident_char(q[start]))
            start++;
        size_t end = start;
        while (end < qlen && is_ident_char(q[end]))
            end++;
        if (end > start)
            words++;
        start = end;
    }
    store_hit boosted[MAX_IDENTIFIERS * DEFS_PER_IDENTIFIER];
    size_t nb = 0;
    int idents = 0, rc = CAIRN_OK;
    for (start = 0; start < qlen && idents < MAX_IDENTIFIERS && !rc;) {
        while (start < qlen && !is_ident_char(q[start]))
            start++;
        size_t end = start;
        while (end < qlen && is_ident_char(q[end]))
            end++;
        size_t wn = end - start;
        while (wn > 0 && (q[start + wn - 1] == '.' || q[start + wn - 1] == ':'))
            wn--;
        if (wn > 0 && wn < IDENT_MAX && names_identifier(q + start, wn, words == 1)) {
            char word[IDENT_MAX];
            memcpy(word, q + start, wn);
            word[wn] = '\0';
            idents++;
            store_sym_list defs;
            store_sym_list_init(&defs);
            rc = find_spellings(s, word, &defs);
            for (size_t i = 0, taken = 0; !rc && i < defs.n && taken < DEFS_PER_IDENTIFIER; i++) {
                if (!hit_passes(o, &defs.items[i]))
                    continue;
                store_hit h;
                int hrc = store_hit_at(s, defs.items[i].file_id, defs.items[i].start_line, &h);
                if (hrc == CAIRN_ERR_NOTFOUND)
                    continue;
                if ((rc = hrc))
                    break;
                int dup = 0;
                for (size_t j = 0; j < nb; j++)
                    dup |= boosted[j].chunk_id == h.chunk_id;
                if (dup) {
                    store_hits_free_one(&h);
                    continue;
                }
                if ((rc = show_definition(s, &defs.items[i], &h))) {
                    store_hits_free_one(&h);
                    break;
                }
                boosted[nb++] = h;
                taken++;
            }
            store_sym_list_release(&defs);
        }
        start = end;
    }
    if (rc || nb == 0) {
        for (size_t i = 0; i < nb; i++)
            store_hits_free_one(&boosted[i]);
        return rc;
    }
    store_hit *all = calloc(nb + *n, sizeof *all);
    if (!all) {
        for (size_t i = 0; i < nb; i++)
            store_hits_free_one(&boosted[i]);
        return err_set(CAIRN_ERR_NOMEM, "out of memory ranking definitions");
    }
    double top = *n ? (*hits)[0].score : 0;
    size_t m = 0;
    for (size_t i = 0; i < nb; i++) {
        all[m] = boosted[i];
        all[m].score = top + (double)(nb - i);
        all[m].rank_definition = (int)i + 1;
        /* The definition's chunk may also have ranked on its own. */
        for (size_t j = 0; j < *n; j++)
            if ((*hits)[j].chunk_id == all[m].chunk_id) {
                all[m].rank_lexical = (*hits)[j].rank_lexical;
                all[m].score_lexical = (*hits)[j].score_lexical;
                all[m].rank_dense = (*hits)[j].rank_dense;
                all[m].score_dense = (*hits)[j].score_dense;
            }
        m++;
    }
    for (size_t i = 0; i < *n; i++) {
        int dup = 0;
        for (size_t j = 0; j < nb; j++)
            dup |= all[j].chunk_id == (*hits)[i].chunk_id;
        if (dup)
            store_hits_free_one(&(*hits)[i]);
        else
            all[m++] = (*hits)[i];
    }
    free(*hits);
    *hits = all;
    *n = m;
    return CAIRN_OK;
}

const char *search_mode_name(enum search_mode m)
{
    return m == SEARCH_LEXICAL ? "lexical" : m == SEARCH_SEMANTIC ? "semantic" : "hybrid";
}

int search_mode_parse(const char *text)
{
    if (!text || strcmp(text, "hybrid") == 0)
        return SEARCH_HYBRID;
    if (strcmp(text, "lexical") == 0)
        return SEARCH_LEXICAL;
    if (strcmp(text, "semantic") == 0)
        return SEARCH_SEMANTIC;
    return -1;
}

static void warn(const search_opts *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void warn(const search_opts *o, const char *fmt, ...)
{
    if (!o->warn)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->warn(o->warn_ctx, msg);
}

/* The dense side's hits for the query, nearest first, filtered like the
 * lexical side. */
static int dense_hits(store *s, const search_opts *o, const store_query *q, size_t want, store_hit **out,
                      size_t *n)
{
    int64_t *ids = NULL;
    float *scores = NULL;
    size_t nids = 0;
    int rc = semantic_search(o->sem, o->query, want, &ids, &scores, &nids);
    if (!rc)
        rc = store_hits_by_ids(s, ids, nids, q, out, n);
    for (size_t i = 0; !rc && i < *n; i++) {
        for (size_t j = 0; j < nids; j++)
            if (ids[j] == (*out)[i].chunk_id) {
                (*out)[i].score_dense = scores[j];
                break;
            }
        (*out)[i].rank_dense = (int)i + 1;
        (*out)[i].score = (*out)[i].score_dense;
    }
    free(ids);
    free(scores);
    return rc;
}

static int cmp_score(const void *a, const void *b)
{
    const store_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->chunk_id > y->chunk_id) - (x->chunk_id < y->chunk_id);
}

static size_t kind_of(const store_hit *h)
{
    for (size_t i = 1; i < NKINDS; i++)
        if (h->kind && strcmp(h->kind, FUSION[i].kind) == 0)
            return i;
    return 0;
}

/* One kind's hits, best first: fused score, then chunk id. */
typedef struct kind_list {
    store_hit *h;
    size_t n, next;
} kind_list;

/* Fuse the lexical and dense lists, kind by kind (see FUSION), into *lex,
 * which takes over the dense hits it did not have.  A hit's score becomes
 * its fused score over the best its kind can get (1: first on both sides),
 * so that the tail past BM25's list, where kinds meet without it, merges
 * on one scale. */
static int fuse(store_hit **lex, size_t *nlex, store_hit *dense, size_t ndense)
{
    size_t nl = *nlex;
    store_hit *all = calloc(nl + ndense + 1, sizeof *all);
    store_hit *by_kind = calloc(nl + ndense + 1, sizeof *by_kind);
    unsigned char *slot = malloc(nl + 1);
    if (!all || !by_kind || !slot) {
        free(all);
        free(by_kind);
        free(slot);
        return err_set(CAIRN_ERR_NOMEM, "out of memory fusing results");
    }
    size_t m = 0, seen[NKINDS] = {0};
    for (size_t i = 0; i < nl; i++) {
        size_t k = kind_of(&(*lex)[i]);
        slot[i] = (unsigned char)k;
        all[m] = (*lex)[i];
        all[m].score = 1 / (FUSION[k].k_lexical + (double)++seen[k]);
        m++;
    }
    memset(seen, 0, sizeof seen);
    for (size_t i = 0; i < ndense; i++) {
        size_t k = kind_of(&dense[i]), j = 0;
        double add = FUSION[k].w_dense / (FUSION[k].k_dense + (double)++seen[k]);
        while (j < nl && all[j].chunk_id != dense[i].chunk_id)
            j++;
        if (j == nl && FUSION[k].w_dense == 0) {
            store_hits_free_one(&dense[i]); /* a signal without weight adds nothing */
        } else if (j < nl) {
            all[j].rank_dense = dense[i].rank_dense;
            all[j].score_dense = dense[i].score_dense;
            all[j].score += add;
            store_hits_free_one(&dense[i]);
        } else {
            all[m] = dense[i];
            all[m].score = add;
            m++;
        }
        memset(&dense[i], 0, sizeof dense[i]);
    }
    kind_list lists[NKINDS];
    memset(lists, 0, sizeof lists);
    for (size_t i = 0; i < m; i++) {
        size_t k = kind_of(&all[i]);
        const fusion *f = &FUSION[k];
        all[i].score /= 1 / (f->k_lexical + 1) + f->w_dense / (f->k_dense + 1);
        lists[k].n++;
    }
    qsort(all, m, sizeof *all, cmp_score);
    size_t from = 0;
    for (size_t k = 0; k < NKINDS; k++) {
        lists[k].h = by_kind + from;
        from += lists[k].n;
        lists[k].n = 0;
    }
    for (size_t i = 0; i < m; i++) {
        kind_list *l = &lists[kind_of(&all[i])];
        l->h[l->n++] = all[i];
    }
    /* BM25's places first, each to the best of its kind not yet placed;
     * then the rest, whichever kind scores better. */
    size_t at = 0;
    for (size_t i = 0; i < nl; i++) {
        kind_list *l = &lists[slot[i]];
        all[at++] = l->h[l->next++];
    }
    while (at < m) {
        kind_list *best = NULL;
        for (size_t k = 0; k < NKINDS; k++) {
            kind_list *l = &lists[k];
            if (l->next < l->n && (!best || cmp_score(&l->h[l->next], &best->h[best->next]) < 0))
                best = l;
        }
        all[at++] = best->h[best->next++];
    }
    free(by_kind);
    free(slot);
    free(*lex);
    *lex = all;
    *nlex = m;
    return CAIRN_OK;
}

/* The ranked list before definitions and grouping, by mode. */
static int ranked(store *s, const search_opts *o, const store_query *q, store_hit **hits, size_t *n)
{
    if (o->mode == SEARCH_SEMANTIC && !o->sem)
        return err_set(CAIRN_ERR_INVALID, "this index has no embeddings for a semantic search; "
                       "index it with --embedder, or use --mode lexical");
    int rc = CAIRN_OK;
    if (o->mode != SEARCH_SEMANTIC) {
        rc = store_search(s, q, hits, n);
        for (size_t i = 0; !rc && i < *n; i++) {
            (*hits)[i].rank_lexical = (int)i + 1;
            (*hits)[i].score_lexical = (*hits)[i].score;
        }
        if (rc || o->mode == SEARCH_LEXICAL || !o->sem)
            return rc;
    }
    store_hit *dense = NULL;
    size_t ndense = 0;
    size_t want = (size_t)q->limit > DENSE_MIN ? (size_t)q->limit : DENSE_MIN;
    int drc = dense_hits(s, o, q, want, &dense, &ndense);
    if (drc) {
        if (o->mode == SEARCH_SEMANTIC)
            return drc;
        /* Hybrid carries on lexically: a down embedder must not cost the
         * answer. */
        warn(o, "semantic side unavailable (%s); lexical results only", err_msg());
        return CAIRN_OK;
    }
    if (o->mode == SEARCH_SEMANTIC) {
        *hits = dense;
        *n = ndense;
        return CAIRN_OK;
    }
    /* When the words match nothing, nearness alone must be strong to be
     * shown: every query has nearest neighbours, and "no results" is an
     * answer people and scripts rely on. */
    if (*n == 0) {
        size_t keep = 0;
        while (keep < ndense && dense[keep].score_dense >= DENSE_ALONE_MIN)
            keep++;
        for (size_t i = keep; i < ndense; i++)
            store_hits_free_one(&dense[i]);
        ndense = keep;
    }
    rc = fuse(hits, n, dense, ndense);
    /* After a fusion the hits moved out; the array goes either way. */
    store_hits_free(dense, rc ? ndense : 0);
    return rc;
}

int search_run(store *s, const search_opts *o, store_hit **hits, size_t *n)
{
    *hits = NULL;
    *n = 0;
    if (!o->query)
        return err_set(CAIRN_ERR_INVALID, "no query given");
    size_t qlen = strlen(o->query);
    if (qlen > SEARCH_MAX_QUERY_BYTES)
        return err_set(CAIRN_ERR_INVALID, "query of %zu bytes is over the %d-byte limit", qlen,
                       SEARCH_MAX_QUERY_BYTES);
    if (o->k < 0 || o->k > SEARCH_MAX_K)
        return err_set(CAIRN_ERR_INVALID, "k must be between 1 and %d, not %d", SEARCH_MAX_K, o->k);
    if (o->kind && strcmp(o->kind, "code") != 0 && strcmp(o->kind, "prose") != 0)
        return err_set(CAIRN_ERR_INVALID, "kind must be 'code' or 'prose', not '%s'", o->kind);
    if (o->lang && !lang_by_name(o->lang))
        return err_set(CAIRN_ERR_INVALID,
                       "unknown language '%s' (run 'cairn status' to see the indexed ones)",
                       o->lang);
    if ((o->since && !valid_date(o->since)) || (o->until && !valid_date(o->until)))
        return err_set(CAIRN_ERR_INVALID, "dates look like 2024, 2024-05 or 2024-05-17, not '%s'",
                       o->since && !valid_date(o->since) ? o->since : o->until);
    int k = o->k ? o->k : SEARCH_DEFAULT_K;
    int per_doc = o->per_doc ? o->per_doc : SEARCH_DEFAULT_PER_DOC;
    buf match;
    buf_init(&match, 0);
    char *tag = NULL;
    int rc = o->tag ? prose_tag_fold(o->tag, strlen(o->tag), &tag) : CAIRN_OK;
    if (rc == CAIRN_OK && o->tag && !tag)
        rc = err_set(CAIRN_ERR_INVALID, "--tag is blank");
    if (rc == CAIRN_OK)
        rc = fts_query_build(o->query, &match);
    if (rc == CAIRN_OK) {
        store_query q = {
            .match = buf_str(&match),
            .path_glob = o->path_glob,
            .lang = o->lang,
            .kind = o->kind,
            .since = o->since,
            .until = o->until,
            .tag = tag,
            .limit = per_doc < 0 ? k : k * OVERFETCH,
        };
        rc = ranked(s, o, &q, hits, n);
        if (rc == CAIRN_OK && o->mode != SEARCH_SEMANTIC)
            rc = boost_definitions(s, o, hits, n);
        if (rc == CAIRN_OK)
            group_per_file(*hits, n, per_doc, k);
        if (rc == CAIRN_OK && !o->no_snippets)
            rc = store_hits_snippets(s, q.match, *hits, *n);
    }
    buf_release(&match);
    free(tag);
    return rc;
}
