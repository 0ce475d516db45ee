/*
 * eval.c — judged query sets, the ranking metrics, and the loop that runs
 * a set through search_run.
 */
#include "query/eval.h"
#include "store/symbols.h"
#include "util/buf.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EVAL_MAX_FILE ((size_t)256 << 20)

/* ---- the set ---- */

static void answer_release(eval_answer *a)
{
    free(a->path);
    free(a->symbol);
    free(a->def_lines);
}

static void query_release(eval_query *q)
{
    free(q->text);
    free(q->type);
    for (size_t i = 0; i < q->nanswers; i++)
        answer_release(&q->answers[i]);
    free(q->answers);
}

void eval_set_release(eval_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        query_release(&set->q[i]);
    free(set->q);
    set->q = NULL;
    set->n = 0;
}

static const char *string_field(const cJSON *o, const char *key, int *bad)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    if (!cJSON_IsString(v)) {
        *bad = 1;
        return NULL;
    }
    return v->valuestring;
}

/* One line's object into q; a message naming what is wrong on failure. */
static int parse_query(const cJSON *o, eval_query *q, const char *name, size_t line)
{
    int bad = 0;
    if (!cJSON_IsObject(o))
        return err_set(CAIRN_ERR_INVALID, "%s:%zu: not a JSON object", name, line);
    const char *text = string_field(o, "query", &bad);
    const char *type = string_field(o, "type", &bad);
    const cJSON *rel = cJSON_GetObjectItemCaseSensitive(o, "relevant");
    if (bad || !text || !*text)
        return err_set(CAIRN_ERR_INVALID, "%s:%zu: \"query\" must be a non-empty string", name,
                       line);
    int nrel = cJSON_IsArray(rel) ? cJSON_GetArraySize(rel) : 0;
    if (nrel < 1 || nrel > (int)EVAL_MAX_ANSWERS)
        return err_set(CAIRN_ERR_INVALID, "%s:%zu: \"relevant\" must be an array of 1 to %d answers",
                       name, line, (int)EVAL_MAX_ANSWERS);
    q->text = strdup(text);
    q->type = type ? strdup(type) : NULL;
    q->answers = calloc((size_t)nrel, sizeof *q->answers);
    if (!q->text || (type && !q->type) || !q->answers)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", name);
    const cJSON *a;
    cJSON_ArrayForEach(a, rel)
    {
        eval_answer *ans = &q->answers[q->nanswers];
        const char *path = cJSON_IsObject(a) ? string_field(a, "path", &bad) : NULL;
        const char *sym = cJSON_IsObject(a) ? string_field(a, "symbol", &bad) : NULL;
        const cJSON *g = cJSON_IsObject(a) ? cJSON_GetObjectItemCaseSensitive(a, "grade") : NULL;
        double grade = g ? (cJSON_IsNumber(g) ? g->valuedouble : -1) : 1;
        if (bad || !path || !*path || grade != floor(grade) || grade < 1 || grade > EVAL_MAX_GRADE)
            return err_set(CAIRN_ERR_INVALID,
                           "%s:%zu: answer %zu needs a \"path\", an optional \"symbol\" string "
                           "and a \"grade\" of 1 or 2",
                           name, line, q->nanswers + 1);
        ans->path = strdup(path);
        ans->symbol = sym && *sym ? strdup(sym) : NULL;
        ans->grade = (int)grade;
        q->nanswers++;
        if (!ans->path || (sym && *sym && !ans->symbol))
            return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", name);
    }
    return CAIRN_OK;
}

int eval_set_parse(const char *text, size_t len, const char *name, eval_set *out)
{
    out->q = NULL;
    out->n = 0;
    size_t cap = 0, line = 0;
    int rc = CAIRN_OK;
    for (size_t at = 0; at < len && !rc;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        line++;
        size_t n = end - at;
        const char *s = text + at;
        at = end + 1;
        while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
            n--;
        while (n && (*s == ' ' || *s == '\t')) {
            s++;
            n--;
        }
        if (!n)
            continue;
        if (n > EVAL_MAX_LINE) {
            rc = err_set(CAIRN_ERR_TOOBIG, "%s:%zu: line over %zu bytes", name, line,
                         EVAL_MAX_LINE);
            break;
        }
        if (out->n == EVAL_MAX_QUERIES) {
            rc = err_set(CAIRN_ERR_TOOBIG, "%s: more than %d queries", name, EVAL_MAX_QUERIES);
            break;
        }
        if (out->n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            eval_query *q = realloc(out->q, ncap * sizeof *q);
            if (!q) {
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", name);
                break;
            }
            out->q = q;
            cap = ncap;
        }
        cJSON *o = cJSON_ParseWithLength(s, n);
        if (!o) {
            rc = err_set(CAIRN_ERR_INVALID, "%s:%zu: not valid JSON", name, line);
            break;
        }
        eval_query *q = &out->q[out->n];
        memset(q, 0, sizeof *q);
        rc = parse_query(o, q, name, line);
        cJSON_Delete(o);
        out->n++; /* counted even when half-read, so that release frees it */
    }
    if (!rc && out->n == 0)
        rc = err_set(CAIRN_ERR_INVALID, "%s: no queries", name);
    if (rc)
        eval_set_release(out);
    return rc;
}

int eval_set_load(const char *path, eval_set *out)
{
    out->q = NULL;
    out->n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(errno == ENOENT ? CAIRN_ERR_NOTFOUND : CAIRN_ERR_IO, "open %s: %s", path,
                       strerror(errno));
    buf b;
    buf_init(&b, EVAL_MAX_FILE);
    char chunk[65536];
    size_t got;
    int rc = CAIRN_OK;
    while (!rc && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(&b, chunk, got);
    if (!rc && ferror(f))
        rc = err_set(CAIRN_ERR_IO, "read %s: %s", path, strerror(errno));
    else if (rc == CAIRN_ERR_TOOBIG)
        rc = err_set(rc, "%s is over %zu MiB", path, EVAL_MAX_FILE >> 20);
    fclose(f);
    if (!rc)
        rc = eval_set_parse(buf_str(&b), b.len, path, out);
    buf_release(&b);
    return rc;
}

int eval_resolve(store *s, eval_set *set, size_t *unresolved)
{
    size_t missing = 0;
    int rc = CAIRN_OK;
    for (size_t i = 0; i < set->n && !rc; i++) {
        for (size_t j = 0; j < set->q[i].nanswers && !rc; j++) {
            eval_answer *a = &set->q[i].answers[j];
            if (!a->symbol)
                continue;
            free(a->def_lines);
            a->def_lines = NULL;
            a->ndef_lines = 0;
            store_sym_list defs;
            store_sym_list_init(&defs);
            rc = store_symbols_find(s, a->symbol, STORE_SYM_EXACT, NULL, 1000, &defs);
            size_t n = 0;
            for (size_t k = 0; !rc && k < defs.n; k++)
                n += strcmp(defs.items[k].path, a->path) == 0 &&
                     strcmp(defs.items[k].qualname, a->symbol) == 0;
            if (!rc && n) {
                a->def_lines = malloc(n * sizeof *a->def_lines);
                if (!a->def_lines)
                    rc = err_set(CAIRN_ERR_NOMEM, "out of memory resolving answers");
            }
            for (size_t k = 0; !rc && k < defs.n; k++)
                if (strcmp(defs.items[k].path, a->path) == 0 &&
                    strcmp(defs.items[k].qualname, a->symbol) == 0)
                    a->def_lines[a->ndef_lines++] = defs.items[k].start_line;
            if (!rc && !n)
                missing++;
            store_sym_list_release(&defs);
        }
    }
    if (unresolved)
        *unresolved = missing;
    return rc;
}

/* ---- metrics ---- */

/* Scores of a ranking given, for each of its first places, the grade it
 * earns (0: not relevant) and how many answers it is the first to find,
 * against the grades of every answer. */
static void score_places(const int *gained, const int *nfound, size_t nplaces, const int *grades,
                         size_t nanswers, eval_scores *out)
{
    memset(out, 0, sizeof *out);
    if (!nanswers)
        return;
    double dcg = 0, idcg = 0;
    for (size_t i = 0; i < nplaces && i < EVAL_K; i++) {
        if (!gained[i])
            continue;
        if (out->mrr == 0)
            out->mrr = 1.0 / (double)(i + 1);
        dcg += (pow(2, gained[i]) - 1) / log2((double)i + 2);
        if (i < 1)
            out->r1 += nfound[i];
        if (i < 5)
            out->r5 += nfound[i];
        out->r10 += nfound[i];
    }
    int sorted[EVAL_K];
    size_t ns = 0;
    for (int g = EVAL_MAX_GRADE; g >= 1 && ns < EVAL_K; g--)
        for (size_t i = 0; i < nanswers && ns < EVAL_K; i++)
            if (grades[i] == g)
                sorted[ns++] = g;
    for (size_t i = 0; i < ns; i++)
        idcg += (pow(2, sorted[i]) - 1) / log2((double)i + 2);
    out->ndcg = idcg > 0 ? dcg / idcg : 0;
    out->r1 /= (double)nanswers;
    out->r5 /= (double)nanswers;
    out->r10 /= (double)nanswers;
}

void eval_score_files(const eval_query *q, const eval_hit *hits, size_t n, eval_scores *out)
{
    /* The answers' distinct paths, each with its best grade. */
    int grades[EVAL_MAX_ANSWERS];
    const char *paths[EVAL_MAX_ANSWERS];
    unsigned char used[EVAL_MAX_ANSWERS];
    size_t na = 0;
    for (size_t i = 0; i < q->nanswers; i++) {
        size_t j = 0;
        while (j < na && strcmp(paths[j], q->answers[i].path) != 0)
            j++;
        if (j == na) {
            paths[na] = q->answers[i].path;
            grades[na++] = q->answers[i].grade;
        } else if (q->answers[i].grade > grades[j]) {
            grades[j] = q->answers[i].grade;
        }
    }
    memset(used, 0, na);
    /* The ranking's distinct files, best first. */
    int gained[EVAL_K], nfound[EVAL_K];
    const char *files[EVAL_K];
    size_t nf = 0;
    for (size_t i = 0; i < n && nf < EVAL_K; i++) {
        size_t j = 0;
        while (j < nf && strcmp(files[j], hits[i].path) != 0)
            j++;
        if (j < nf)
            continue;
        files[nf] = hits[i].path;
        gained[nf] = nfound[nf] = 0;
        for (size_t a = 0; a < na; a++) {
            if (!used[a] && strcmp(paths[a], hits[i].path) == 0) {
                used[a] = 1;
                gained[nf] = grades[a];
                nfound[nf] = 1;
            }
        }
        nf++;
    }
    score_places(gained, nfound, nf, grades, na, out);
}

static int hit_finds(const eval_hit *h, const eval_answer *a)
{
    if (strcmp(h->path, a->path) != 0)
        return 0;
    if (h->symbol && strcmp(h->symbol, a->symbol) == 0)
        return 1;
    for (size_t i = 0; i < a->ndef_lines; i++)
        if (h->start_line <= a->def_lines[i] && a->def_lines[i] <= h->end_line)
            return 1;
    return 0;
}

int eval_score_defs(const eval_query *q, const eval_hit *hits, size_t n, eval_scores *out)
{
    int grades[EVAL_MAX_ANSWERS];
    const eval_answer *defs[EVAL_MAX_ANSWERS];
    unsigned char used[EVAL_MAX_ANSWERS];
    size_t nd = 0;
    for (size_t i = 0; i < q->nanswers; i++) {
        if (q->answers[i].symbol) {
            defs[nd] = &q->answers[i];
            grades[nd++] = q->answers[i].grade;
        }
    }
    memset(out, 0, sizeof *out);
    if (!nd)
        return 0;
    memset(used, 0, nd);
    /* A place earns the best grade among the definitions it is the first
     * to find; a chunk holding several small definitions finds them all. */
    int gained[EVAL_K], nfound[EVAL_K];
    size_t np = 0;
    for (size_t i = 0; i < n && np < EVAL_K; i++, np++) {
        gained[np] = nfound[np] = 0;
        for (size_t d = 0; d < nd; d++) {
            if (!used[d] && hit_finds(&hits[i], defs[d])) {
                used[d] = 1;
                nfound[np]++;
                if (grades[d] > gained[np])
                    gained[np] = grades[d];
            }
        }
    }
    score_places(gained, nfound, np, grades, nd, out);
    return 1;
}

/* ---- reports ---- */

void eval_report_init(eval_report *r) { memset(r, 0, sizeof *r); }

void eval_report_release(eval_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ngroups; i++)
        free(r->groups[i].type);
    free(r->groups);
    free(r->latency);
    memset(r, 0, sizeof *r);
}

static void sum_add(eval_sum *s, const eval_scores *x)
{
    s->sum.mrr += x->mrr;
    s->sum.ndcg += x->ndcg;
    s->sum.r1 += x->r1;
    s->sum.r5 += x->r5;
    s->sum.r10 += x->r10;
    s->n++;
}

eval_scores eval_mean(const eval_sum *s)
{
    eval_scores m = {0, 0, 0, 0, 0};
    if (!s->n)
        return m;
    double n = (double)s->n;
    m.mrr = s->sum.mrr / n;
    m.ndcg = s->sum.ndcg / n;
    m.r1 = s->sum.r1 / n;
    m.r5 = s->sum.r5 / n;
    m.r10 = s->sum.r10 / n;
    return m;
}

int eval_report_add(eval_report *r, const eval_query *q, const eval_hit *hits, size_t n)
{
    const char *type = q->type ? q->type : "";
    size_t g = 0;
    while (g < r->ngroups && strcmp(r->groups[g].type, type) != 0)
        g++;
    if (g == r->ngroups) {
        eval_group *groups = realloc(r->groups, (r->ngroups + 1) * sizeof *groups);
        if (!groups)
            return err_set(CAIRN_ERR_NOMEM, "out of memory scoring queries");
        r->groups = groups;
        memset(&groups[g], 0, sizeof groups[g]);
        if (!(groups[g].type = strdup(type)))
            return err_set(CAIRN_ERR_NOMEM, "out of memory scoring queries");
        r->ngroups++;
    }
    eval_scores sc;
    eval_score_files(q, hits, n, &sc);
    sum_add(&r->file, &sc);
    sum_add(&r->groups[g].file, &sc);
    if (eval_score_defs(q, hits, n, &sc)) {
        sum_add(&r->def, &sc);
        sum_add(&r->groups[g].def, &sc);
    }
    return CAIRN_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double eval_latency_ms(const eval_report *r, double p)
{
    if (!r->nlatency)
        return 0;
    double *v = malloc(r->nlatency * sizeof *v);
    if (!v)
        return 0;
    memcpy(v, r->latency, r->nlatency * sizeof *v);
    qsort(v, r->nlatency, sizeof *v, cmp_double);
    size_t rank = (size_t)ceil(p / 100 * (double)r->nlatency);
    double ms = v[rank ? rank - 1 : 0] * 1000;
    free(v);
    return ms;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct warn_ctx {
    const search_opts *base;
    int warned;
} warn_ctx;

static void on_warn(void *ctx, const char *msg)
{
    warn_ctx *w = ctx;
    w->warned = 1;
    if (w->base->warn)
        w->base->warn(w->base->warn_ctx, msg);
}

int eval_run(store *s, const eval_set *set, const search_opts *base, eval_report *r,
             size_t *failed)
{
    size_t nfailed = 0;
    eval_hit places[EVAL_FETCH];
    int rc = CAIRN_OK;
    if (base->k < 0 || base->k > EVAL_FETCH)
        return err_set(CAIRN_ERR_INVALID, "results per query must be 1 to %d, not %d", EVAL_FETCH,
                       base->k);
    double *lat = realloc(r->latency, (r->nlatency + set->n + 1) * sizeof *lat);
    if (!lat)
        return err_set(CAIRN_ERR_NOMEM, "out of memory timing %zu queries", set->n);
    r->latency = lat;
    for (size_t i = 0; i < set->n && !rc; i++) {
        search_opts o = *base;
        warn_ctx w = {base, 0};
        o.query = set->q[i].text;
        o.k = base->k ? base->k : EVAL_FETCH;
        o.warn = on_warn;
        o.warn_ctx = &w;
        store_hit *hits = NULL;
        size_t n = 0;
        double t0 = now();
        int src = search_run(s, &o, &hits, &n);
        double took = now() - t0;
        r->seconds += took;
        r->latency[r->nlatency++] = took;
        r->warned += (size_t)w.warned;
        if (src == CAIRN_ERR_INVALID) {
            nfailed++;
            n = 0;
        } else if (src) {
            return err_wrap(src, "query %zu (%s)", i + 1, set->q[i].text);
        }
        for (size_t j = 0; j < n && j < EVAL_FETCH; j++) {
            places[j].path = hits[j].path;
            places[j].symbol = hits[j].symbol;
            places[j].start_line = hits[j].start_line;
            places[j].end_line = hits[j].end_line;
        }
        rc = eval_report_add(r, &set->q[i], places, n < EVAL_FETCH ? n : EVAL_FETCH);
        store_hits_free(hits, n);
    }
    if (failed)
        *failed = nfailed;
    return rc;
}
