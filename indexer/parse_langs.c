/*
 * parse_langs.c — the grammar table and the one-time compilation of its
 * queries (captures classified, predicates and properties decoded).
 */
#include "indexer/parse_langs.h"

#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

const TSLanguage *tree_sitter_bash(void);
const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_cpp(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_java(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_ruby(void);
const TSLanguage *tree_sitter_rust(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_typescript(void);

/* Adding a language: a row here, its grammar in grammars/package.json and
 * mk/grammars.mk, and grammars/queries/<name>.scm. */
static const parse_lang langs[] = {
    {"bash", tree_sitter_bash, "bash", NULL, 0},
    {"c", tree_sitter_c, "cfamily c", "::", 1},
    {"cpp", tree_sitter_cpp, "cfamily cpp", "::", 1},
    {"go", tree_sitter_go, "go", ".", 0},
    {"java", tree_sitter_java, "java", ".", 0},
    {"javascript", tree_sitter_javascript, "ecma javascript", ".", 0},
    {"python", tree_sitter_python, "python", ".", 0},
    {"ruby", tree_sitter_ruby, "ruby", "::", 0},
    {"rust", tree_sitter_rust, "rust", "::", 0},
    {"tsx", tree_sitter_tsx, "ecma typescript", ".", 0},
    {"typescript", tree_sitter_typescript, "ecma typescript", ".", 0},
};
#define NLANGS (sizeof langs / sizeof langs[0])

static const char *const def_kinds[] = {
    "function", "method", "class", "struct", "union", "enum", "interface", "trait",
    "impl", "type", "macro", "constant", "module", "namespace", "variable", NULL,
};
static const char *const ref_kinds[] = {"call", "type", "import", "include", "inherit", NULL};

enum pred_op { PRED_EQ, PRED_EQ_CAPTURE, PRED_MATCH, PRED_ANY_OF };

struct parse_pred {
    enum pred_op op;
    int negate;
    uint32_t cap;                /* capture tested */
    uint32_t cap2;               /* PRED_EQ_CAPTURE: the other capture */
    uint32_t first_str, nstr;    /* PRED_EQ, PRED_ANY_OF: into parse_query.strs */
    regex_t *re;                 /* PRED_MATCH: its own allocation, as preds moves when it grows */
};

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;
/* Per row: 0 not compiled yet, 1 compiled, or the negative error it failed with. */
static int compile_state[NLANGS];
static char compile_error[NLANGS][256];
static parse_query compiled[NLANGS];

const parse_lang *parse_lang_find(const char *lang)
{
    if (!lang)
        return NULL;
    for (size_t i = 0; i < NLANGS; i++)
        if (strcmp(langs[i].name, lang) == 0)
            return &langs[i];
    return NULL;
}

static const char *static_kind(const char *const *table, const char *kind)
{
    for (size_t i = 0; table[i]; i++)
        if (strcmp(table[i], kind) == 0)
            return table[i];
    return NULL;
}

static int classify_captures(const parse_lang *l, parse_query *q)
{
    uint32_t n = ts_query_capture_count(q->ts);
    q->roles = calloc(n ? n : 1, 1);
    q->kinds = calloc(n ? n : 1, sizeof *q->kinds);
    if (!q->roles || !q->kinds)
        return err_set(CAIRN_ERR_NOMEM, "query for %s: out of memory", l->name);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t len;
        const char *c = ts_query_capture_name_for_id(q->ts, i, &len);
        uint8_t role = PCAP_OTHER;
        if (strncmp(c, "definition.", 11) == 0 || strncmp(c, "reference.", 10) == 0) {
            int def = c[0] == 'd';
            const char *kind = static_kind(def ? def_kinds : ref_kinds, c + (def ? 11 : 10));
            if (!kind)
                return err_set(CAIRN_ERR_INVALID, "query for %s: unknown kind in @%s", l->name, c);
            role = def ? PCAP_DEF : PCAP_REF;
            q->kinds[i] = kind;
        } else if (strcmp(c, "name") == 0) {
            role = PCAP_NAME;
        } else if (strcmp(c, "scope") == 0) {
            role = PCAP_SCOPE;
        } else if (strcmp(c, "body") == 0) {
            role = PCAP_BODY;
        } else if (strcmp(c, "doc") == 0) {
            role = PCAP_DOC;
        } else if (strcmp(c, "qualifier") == 0) {
            role = PCAP_QUALIFIER;
        } else if (strcmp(c, "package") == 0) {
            role = PCAP_PACKAGE;
        } else if (c[0] != '_') {
            return err_set(CAIRN_ERR_INVALID, "query for %s: unknown capture @%s", l->name, c);
        }
        q->roles[i] = role;
    }
    return CAIRN_OK;
}

/* Append one predicate string argument to q->strs. */
static int push_str(parse_query *q, size_t *cap, const char *s)
{
    if (q->nstrs == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        const char **p = realloc(q->strs, ncap * sizeof *p);
        if (!p)
            return CAIRN_ERR_NOMEM;
        q->strs = p;
        *cap = ncap;
    }
    q->strs[q->nstrs++] = s;
    return CAIRN_OK;
}

/* Decode one predicate, steps[0] being its name and steps[n] its Done. */
static int decode_predicate(const parse_lang *l, parse_query *q, uint32_t pattern,
                            const TSQueryPredicateStep *steps, uint32_t n, size_t *preds_cap,
                            size_t *strs_cap)
{
    uint32_t len;
    const char *op = ts_query_string_value_for_id(q->ts, steps[0].value_id, &len);
    if (strcmp(op, "set!") == 0) {
        if (n != 3 || steps[1].type != TSQueryPredicateStepTypeString ||
            steps[2].type != TSQueryPredicateStepTypeString)
            return err_set(CAIRN_ERR_INVALID, "query for %s: pattern %u: #set! takes a key and a value",
                           l->name, pattern);
        const char *key = ts_query_string_value_for_id(q->ts, steps[1].value_id, &len);
        const char *value = ts_query_string_value_for_id(q->ts, steps[2].value_id, &len);
        if (strcmp(key, "name.sep") == 0)
            q->patterns[pattern].name_sep = value;
        else if (strcmp(key, "outside") == 0)
            q->patterns[pattern].outside = value;
        else
            return err_set(CAIRN_ERR_INVALID, "query for %s: pattern %u: unknown property %s",
                           l->name, pattern, key);
        return CAIRN_OK;
    }
    int negate = strncmp(op, "not-", 4) == 0;
    const char *base = negate ? op + 4 : op;
    enum pred_op kind;
    if (strcmp(base, "eq?") == 0)
        kind = PRED_EQ;
    else if (strcmp(base, "match?") == 0)
        kind = PRED_MATCH;
    else if (strcmp(base, "any-of?") == 0)
        kind = PRED_ANY_OF;
    else
        return err_set(CAIRN_ERR_INVALID, "query for %s: pattern %u: unknown predicate #%s", l->name,
                       pattern, op);
    if (n < 3 || steps[1].type != TSQueryPredicateStepTypeCapture)
        return err_set(CAIRN_ERR_INVALID, "query for %s: pattern %u: #%s needs a capture and a value",
                       l->name, pattern, op);
    if (q->npreds == *preds_cap) {
        size_t ncap = *preds_cap ? *preds_cap * 2 : 16;
        parse_pred *p = realloc(q->preds, ncap * sizeof *p);
        if (!p)
            return err_set(CAIRN_ERR_NOMEM, "query for %s: out of memory", l->name);
        q->preds = p;
        *preds_cap = ncap;
    }
    parse_pred *pr = &q->preds[q->npreds];
    memset(pr, 0, sizeof *pr);
    pr->op = kind;
    pr->negate = negate;
    pr->cap = steps[1].value_id;
    pr->first_str = (uint32_t)q->nstrs;
    if (kind == PRED_EQ && n == 3 && steps[2].type == TSQueryPredicateStepTypeCapture) {
        pr->op = PRED_EQ_CAPTURE;
        pr->cap2 = steps[2].value_id;
    } else {
        if (kind != PRED_ANY_OF && n != 3)
            return err_set(CAIRN_ERR_INVALID, "query for %s: pattern %u: #%s takes one value",
                           l->name, pattern, op);
        for (uint32_t i = 2; i < n; i++) {
            if (steps[i].type != TSQueryPredicateStepTypeString)
                return err_set(CAIRN_ERR_INVALID, "query for %s: pattern %u: #%s takes strings",
                               l->name, pattern, op);
            if (push_str(q, strs_cap, ts_query_string_value_for_id(q->ts, steps[i].value_id, &len)))
                return err_set(CAIRN_ERR_NOMEM, "query for %s: out of memory", l->name);
        }
        pr->nstr = n - 2;
        if (kind == PRED_MATCH) {
            pr->re = malloc(sizeof *pr->re);
            if (!pr->re)
                return err_set(CAIRN_ERR_NOMEM, "query for %s: out of memory", l->name);
            if (regcomp(pr->re, q->strs[pr->first_str], REG_EXTENDED | REG_NOSUB) != 0) {
                free(pr->re);
                pr->re = NULL;
                return err_set(CAIRN_ERR_INVALID, "query for %s: pattern %u: bad regular expression %s",
                               l->name, pattern, q->strs[pr->first_str]);
            }
        }
    }
    q->npreds++;
    q->patterns[pattern].npreds++;
    return CAIRN_OK;
}

static int decode_patterns(const parse_lang *l, parse_query *q)
{
    uint32_t np = ts_query_pattern_count(q->ts);
    size_t preds_cap = 0, strs_cap = 0;
    q->patterns = calloc(np ? np : 1, sizeof *q->patterns);
    if (!q->patterns)
        return err_set(CAIRN_ERR_NOMEM, "query for %s: out of memory", l->name);
    for (uint32_t p = 0; p < np; p++) {
        uint32_t nsteps;
        const TSQueryPredicateStep *steps = ts_query_predicates_for_pattern(q->ts, p, &nsteps);
        q->patterns[p].first_pred = (uint32_t)q->npreds;
        uint32_t start = 0;
        for (uint32_t i = 0; i < nsteps; i++) {
            if (steps[i].type != TSQueryPredicateStepTypeDone)
                continue;
            int rc = decode_predicate(l, q, p, steps + start, i - start, &preds_cap, &strs_cap);
            if (rc)
                return rc;
            start = i + 1;
        }
    }
    return CAIRN_OK;
}

static const char *query_text(const char *name)
{
    for (const parse_query_src *s = parse_query_srcs; s->name; s++)
        if (strcmp(s->name, name) == 0)
            return s->text;
    return NULL;
}

static int compile(const parse_lang *l, parse_query *q)
{
    buf src;
    buf_init(&src, 0);
    int rc = CAIRN_OK;
    for (const char *p = l->queries; *p && rc == CAIRN_OK;) {
        size_t n = strcspn(p, " ");
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)n, p);
        const char *text = query_text(name);
        if (!text)
            rc = err_set(CAIRN_ERR_INVALID, "query for %s: no file grammars/queries/%s.scm", l->name, name);
        else if (buf_puts(&src, text))
            rc = err_wrap(CAIRN_ERR_NOMEM, "query for %s", l->name);
        p += n;
        while (*p == ' ')
            p++;
    }
    if (rc == CAIRN_OK) {
        uint32_t off = 0;
        TSQueryError e = TSQueryErrorNone;
        q->ts = ts_query_new(l->grammar(), buf_str(&src), (uint32_t)src.len, &off, &e);
        if (!q->ts) {
            const char *s = buf_str(&src);
            size_t line = 1;
            for (uint32_t i = 0; i < off && s[i]; i++)
                line += s[i] == '\n';
            rc = err_set(CAIRN_ERR_INVALID, "query for %s: error %d at line %zu of \"%s\" near \"%.40s\"",
                         l->name, (int)e, line, l->queries, s + off);
        }
    }
    buf_release(&src);
    if (rc == CAIRN_OK)
        rc = classify_captures(l, q);
    if (rc == CAIRN_OK)
        rc = decode_patterns(l, q);
    return rc;
}

int parse_lang_query(const parse_lang *l, const parse_query **out)
{
    size_t i = (size_t)(l - langs);
    *out = NULL;
    int state = __atomic_load_n(&compile_state[i], __ATOMIC_ACQUIRE);
    if (state == 0) {
        pthread_mutex_lock(&compile_lock);
        state = compile_state[i];
        if (state == 0) {
            state = compile(l, &compiled[i]);
            /* A failed query keeps what it allocated: the failure is final for
             * the process and every later call reports it again. */
            if (state != CAIRN_OK)
                snprintf(compile_error[i], sizeof compile_error[i], "%s", err_msg());
            __atomic_store_n(&compile_state[i], state == CAIRN_OK ? 1 : state, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&compile_lock);
    }
    if (state < 0)
        return err_set(state, "%s", compile_error[i]);
    *out = &compiled[i];
    return CAIRN_OK;
}

static const TSNode *capture_node(const TSQueryMatch *m, uint32_t cap)
{
    for (uint16_t i = 0; i < m->capture_count; i++)
        if (m->captures[i].index == cap)
            return &m->captures[i].node;
    return NULL;
}

static int node_text_eq(TSNode n, const char *text, const char *s)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    size_t len = strlen(s);
    return b - a == len && memcmp(text + a, s, len) == 0;
}

static int pred_holds(const parse_query *q, const parse_pred *pr, const TSQueryMatch *m,
                      const char *text)
{
    const TSNode *n = capture_node(m, pr->cap);
    if (!n)
        return 1; /* an optional capture that is absent constrains nothing */
    switch (pr->op) {
    case PRED_EQ:
        return node_text_eq(*n, text, q->strs[pr->first_str]);
    case PRED_EQ_CAPTURE: {
        const TSNode *o = capture_node(m, pr->cap2);
        if (!o)
            return 1;
        uint32_t a = ts_node_start_byte(*n), b = ts_node_end_byte(*n);
        uint32_t c = ts_node_start_byte(*o), d = ts_node_end_byte(*o);
        return b - a == d - c && memcmp(text + a, text + c, b - a) == 0;
    }
    case PRED_ANY_OF:
        for (uint32_t i = 0; i < pr->nstr; i++)
            if (node_text_eq(*n, text, q->strs[pr->first_str + i]))
                return 1;
        return 0;
    case PRED_MATCH: {
        /* Predicates test names and keywords: a longer text is tested by its
         * head.  A copy rather than REG_STARTEND, whose "^" glibc anchors at
         * the start of the whole text. */
        char s[256];
        uint32_t a = ts_node_start_byte(*n), len = ts_node_end_byte(*n) - a;
        if (len >= sizeof s)
            len = sizeof s - 1;
        memcpy(s, text + a, len);
        s[len] = '\0';
        return regexec(pr->re, s, 0, NULL, 0) == 0;
    }
    }
    return 0;
}

int parse_query_accepts(const parse_query *q, const TSQueryMatch *m, const char *text)
{
    const parse_pattern *pat = &q->patterns[m->pattern_index];
    for (uint32_t i = 0; i < pat->npreds; i++) {
        const parse_pred *pr = &q->preds[pat->first_pred + i];
        if (pred_holds(q, pr, m, text) == pr->negate)
            return 0;
    }
    return 1;
}
