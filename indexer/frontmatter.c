/*
 * frontmatter.c — YAML (libyaml) and TOML front matter of Markdown posts.
 */
#include "indexer/frontmatter.h"
#include "util/buf.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

/* What a key means to a document, in order of preference within a kind. */
typedef enum key_kind { K_NONE, K_TITLE, K_DATE, K_TAGS, K_URL } key_kind;

static const struct {
    const char *name;
    key_kind kind;
    int rank; /* lower wins when several keys of one kind are present */
} keys[] = {
    {"title", K_TITLE, 0},        {"date", K_DATE, 0},      {"published", K_DATE, 1},
    {"pubdate", K_DATE, 2},       {"created", K_DATE, 3},   {"tags", K_TAGS, 0},
    {"tag", K_TAGS, 0},           {"categories", K_TAGS, 0}, {"category", K_TAGS, 0},
    {"canonical_url", K_URL, 0},  {"canonical", K_URL, 1},  {"url", K_URL, 2},
    {"permalink", K_URL, 3},
};

static key_kind key_find(const char *k, size_t n, int *rank)
{
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        if (strlen(keys[i].name) == n && strncasecmp(keys[i].name, k, n) == 0) {
            *rank = keys[i].rank;
            return keys[i].kind;
        }
    }
    return K_NONE;
}

/* Dates and URLs may come under several keys; the best-ranked one wins
 * whatever the order they are written in.  Values are copied: a TOML
 * string is decoded into a buffer that the next value reuses. */
typedef struct picks {
    char *date, *url;
    int date_rank, url_rank;
    char date_key[32];
} picks;

static int pick(picks *p, key_kind kind, int rank, const char *key, size_t kn, const char *v,
                size_t n)
{
    char **slot = kind == K_DATE ? &p->date : kind == K_URL ? &p->url : NULL;
    int *best = kind == K_DATE ? &p->date_rank : &p->url_rank;
    if (!slot || (*slot && rank >= *best))
        return CAIRN_OK;
    char *copy = strndup(v, n);
    if (!copy)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading front matter");
    free(*slot);
    *slot = copy;
    *best = rank;
    if (kind == K_DATE) {
        size_t k = kn < sizeof p->date_key - 1 ? kn : sizeof p->date_key - 1;
        memcpy(p->date_key, key, k);
        p->date_key[k] = '\0';
    }
    return CAIRN_OK;
}

/* Give the picked values to doc and free them. */
static int apply_picks(prose_doc *doc, picks *p, int rc)
{
    if (!rc && p->date)
        rc = prose_set_date(doc, p->date_key, p->date, strlen(p->date));
    if (!rc && p->url)
        rc = prose_set_url(doc, p->url, strlen(p->url));
    free(p->date);
    free(p->url);
    p->date = p->url = NULL;
    return rc;
}

static int is_line_break(char c) { return c == '\n' || c == '\r'; }

/* Offset of the line after the one starting at i. */
static size_t next_line(const char *t, size_t len, size_t i)
{
    while (i < len && !is_line_break(t[i]))
        i++;
    if (i < len && t[i] == '\r')
        i++;
    else if (i < len && t[i] == '\n')
        return i + 1;
    if (i < len && t[i] == '\n')
        i++;
    return i;
}

/* Is the line at i exactly `mark` (trailing blanks allowed)? */
static int line_is(const char *t, size_t len, size_t i, const char *mark)
{
    size_t m = strlen(mark);
    if (len - i < m || memcmp(t + i, mark, m) != 0)
        return 0;
    for (i += m; i < len && !is_line_break(t[i]); i++)
        if (t[i] != ' ' && t[i] != '\t')
            return 0;
    return 1;
}

/* ---- YAML ---------------------------------------------------------------- */

static int yaml_tags(prose_doc *doc, yaml_document_t *yd, yaml_node_t *v)
{
    if (v->type == YAML_SCALAR_NODE)
        return prose_add_tag_list(doc, (const char *)v->data.scalar.value, v->data.scalar.length);
    if (v->type != YAML_SEQUENCE_NODE)
        return CAIRN_OK;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        yaml_node_t *e = yaml_document_get_node(yd, *it);
        if (e && e->type == YAML_SCALAR_NODE) {
            int rc = prose_add_tag(doc, (const char *)e->data.scalar.value, e->data.scalar.length);
            if (rc)
                return rc;
        }
    }
    return CAIRN_OK;
}

static int yaml_read(prose_doc *doc, yaml_document_t *yd)
{
    yaml_node_t *root = yaml_document_get_root_node(yd);
    if (!root)
        return CAIRN_OK; /* empty front matter */
    if (root->type != YAML_MAPPING_NODE)
        return prose_warn(doc, "front matter is not a list of 'key: value' lines");
    picks p = {0};
    int rc = CAIRN_OK;
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
         pr < root->data.mapping.pairs.top && !rc; pr++) {
        yaml_node_t *k = yaml_document_get_node(yd, pr->key);
        yaml_node_t *v = yaml_document_get_node(yd, pr->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        const char *key = (const char *)k->data.scalar.value;
        size_t kn = k->data.scalar.length;
        int rank = 0;
        key_kind kind = key_find(key, kn, &rank);
        if (kind == K_TAGS) {
            rc = yaml_tags(doc, yd, v);
        } else if (kind != K_NONE && v->type != YAML_SCALAR_NODE) {
            rc = prose_warn(doc, "front matter '%.*s' is not a single value", (int)kn, key);
        } else if (kind == K_TITLE) {
            rc = prose_set_title(doc, (const char *)v->data.scalar.value, v->data.scalar.length);
        } else if (kind != K_NONE) {
            rc = pick(&p, kind, rank, key, kn, (const char *)v->data.scalar.value,
                      v->data.scalar.length);
        }
    }
    return apply_picks(doc, &p, rc);
}

/* What a broken YAML block still says: "key: value" lines at the left
 * margin and "- item" lines under a tags key. */
static int yaml_salvage(prose_doc *doc, const char *t, size_t n)
{
    picks p = {0};
    int rc = CAIRN_OK, in_tags = 0;
    for (size_t i = 0; i < n && !rc; i = next_line(t, n, i)) {
        size_t e = i;
        while (e < n && !is_line_break(t[e]))
            e++;
        if (in_tags && e > i && (t[i] == ' ' || t[i] == '-')) {
            size_t a = i;
            while (a < e && (t[a] == ' ' || t[a] == '\t'))
                a++;
            if (a < e && t[a] == '-') {
                rc = prose_add_tag(doc, t + a + 1, e - a - 1);
                continue;
            }
        }
        in_tags = 0;
        size_t c = i;
        while (c < e && t[c] != ':' && t[c] != ' ')
            c++;
        if (c == i || c >= e || t[c] != ':')
            continue;
        int rank = 0;
        key_kind kind = key_find(t + i, c - i, &rank);
        size_t a = c + 1, b = e;
        while (a < b && (t[a] == ' ' || t[a] == '\t'))
            a++;
        while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t'))
            b--;
        if (b - a >= 2 && (t[a] == '"' || t[a] == '\'') && t[b - 1] == t[a]) {
            a++;
            b--;
        }
        if (kind == K_TAGS) {
            in_tags = a == b;
            if (a < b && t[a] == '[')
                a++;
            if (b > a && t[b - 1] == ']')
                b--;
            if (a < b)
                rc = prose_add_tag_list(doc, t + a, b - a);
        } else if (kind == K_TITLE && a < b) {
            rc = prose_set_title(doc, t + a, b - a);
        } else if (kind != K_NONE && a < b) {
            rc = pick(&p, kind, rank, t + i, c - i, t + a, b - a);
        }
    }
    return apply_picks(doc, &p, rc);
}

static int parse_yaml(prose_doc *doc, const char *t, size_t n, int first_line)
{
    yaml_parser_t parser;
    yaml_document_t yd;
    if (!yaml_parser_initialize(&parser))
        return err_set(CAIRN_ERR_NOMEM, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)t, n);
    int rc;
    if (yaml_parser_load(&parser, &yd)) {
        rc = yaml_read(doc, &yd);
        yaml_document_delete(&yd);
    } else if (parser.error == YAML_MEMORY_ERROR) {
        rc = err_set(CAIRN_ERR_NOMEM, "out of memory reading YAML front matter");
    } else {
        rc = prose_warn(doc, "front matter is not valid YAML (line %d: %s); read what could be read",
                        first_line + (int)parser.problem_mark.line,
                        parser.problem ? parser.problem : "syntax error");
        if (!rc)
            rc = yaml_salvage(doc, t, n);
    }
    yaml_parser_delete(&parser);
    return rc;
}

/* ---- TOML ---------------------------------------------------------------- */

typedef struct toml {
    const char *t;
    size_t n, i;
    int line; /* 1-based file line at i */
    prose_doc *doc;
    int top;  /* before the first [table] */
    picks p;
    buf val;  /* the decoded string being read */
    int bad;  /* a line that could not be read was reported */
} toml;

static void t_skip_blank(toml *x)
{
    while (x->i < x->n && (x->t[x->i] == ' ' || x->t[x->i] == '\t'))
        x->i++;
}

static void t_skip_line(toml *x)
{
    while (x->i < x->n && !is_line_break(x->t[x->i]))
        x->i++;
    if (x->i < x->n) {
        if (x->t[x->i] == '\r' && x->i + 1 < x->n && x->t[x->i + 1] == '\n')
            x->i++;
        x->i++;
        x->line++;
    }
}

/* Skip blanks, line breaks and comments (inside arrays). */
static void t_skip_space(toml *x)
{
    for (;;) {
        t_skip_blank(x);
        if (x->i >= x->n)
            return;
        char c = x->t[x->i];
        if (c == '#') {
            while (x->i < x->n && !is_line_break(x->t[x->i]))
                x->i++;
        } else if (is_line_break(c)) {
            t_skip_line(x);
        } else {
            return;
        }
    }
}

static int t_put_utf8(buf *b, unsigned long cp)
{
    char u[4];
    size_t k;
    if (cp < 0x80) {
        u[0] = (char)cp;
        k = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        k = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        k = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        k = 4;
    }
    return buf_append(b, u, k);
}

/* A quoted string at x->i into x->val.  Returns 1 when read, 0 when it
 * is not closed (x->i is then at the end of the line), <0 on NOMEM. */
static int t_string(toml *x)
{
    buf_clear(&x->val);
    char q = x->t[x->i];
    int multi = x->n - x->i >= 3 && x->t[x->i + 1] == q && x->t[x->i + 2] == q;
    x->i += multi ? 3 : 1;
    if (multi && x->i < x->n && is_line_break(x->t[x->i]))
        t_skip_line(x); /* a newline right after the opening quotes is not content */
    while (x->i < x->n) {
        char c = x->t[x->i];
        if (c == q && (!multi || (x->n - x->i >= 3 && x->t[x->i + 1] == q && x->t[x->i + 2] == q))) {
            x->i += multi ? 3 : 1;
            return 1;
        }
        if (is_line_break(c)) {
            if (!multi)
                return 0;
            if (c == '\n')
                x->line++;
        }
        int rc;
        if (c == '\\' && q == '"' && x->i + 1 < x->n) {
            char e = x->t[x->i + 1];
            x->i += 2;
            /* strchr finds the terminating NUL too: an escaped NUL byte
             * is not a named escape. */
            const char *map = e ? strchr("b\bt\tn\nf\fr\r\"\"\\\\", e) : NULL;
            if (map && ((map - "b\bt\tn\nf\fr\r\"\"\\\\") % 2) == 0) {
                rc = buf_putc(&x->val, map[1]);
            } else if (e == 'u' || e == 'U') {
                size_t nd = e == 'u' ? 4 : 8;
                unsigned long cp = 0;
                size_t k = 0;
                for (; k < nd && x->i < x->n; k++, x->i++) {
                    char h = x->t[x->i];
                    int v = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                                         : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                    if (v < 0)
                        break;
                    cp = cp * 16 + (unsigned long)v;
                }
                rc = k == nd && cp > 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)
                         ? t_put_utf8(&x->val, cp)
                         : buf_putc(&x->val, '?');
            } else {
                rc = buf_putc(&x->val, e);
            }
        } else {
            rc = buf_putc(&x->val, c);
            x->i++;
        }
        if (rc)
            return rc == CAIRN_ERR_NOMEM ? rc : 0; /* TOOBIG: give up on this value */
    }
    return 0;
}

typedef struct t_key {
    char name[64];
    int rank;
    key_kind kind;
} t_key;

static int t_apply(toml *x, const t_key *k, const char *v, size_t n, int in_array)
{
    if (k->kind == K_TAGS)
        return in_array ? prose_add_tag(x->doc, v, n) : prose_add_tag_list(x->doc, v, n);
    if (!x->top || in_array)
        return CAIRN_OK;
    if (k->kind == K_TITLE)
        return prose_set_title(x->doc, v, n);
    return pick(&x->p, k->kind, k->rank, k->name, strlen(k->name), v, n);
}

static int t_value(toml *x, const t_key *k, int depth);

/* [ a, b, ... ] possibly over several lines. */
static int t_array(toml *x, const t_key *k, int depth)
{
    x->i++;
    for (;;) {
        t_skip_space(x);
        if (x->i >= x->n)
            return 0;
        if (x->t[x->i] == ']') {
            x->i++;
            return 1;
        }
        int rc = t_value(x, k, depth + 1);
        if (rc <= 0)
            return rc;
        t_skip_space(x);
        if (x->i < x->n && x->t[x->i] == ',')
            x->i++;
        else if (x->i < x->n && x->t[x->i] != ']')
            return 0;
    }
}

/* One value; 1 read, 0 malformed (x->i somewhere on the value), <0 NOMEM. */
static int t_value(toml *x, const t_key *k, int depth)
{
    if (x->i >= x->n || depth > 8)
        return 0;
    char c = x->t[x->i];
    if (c == '"' || c == '\'') {
        int rc = t_string(x);
        if (rc <= 0)
            return rc;
        rc = t_apply(x, k, x->val.data ? x->val.data : "", x->val.len, depth > 0);
        return rc ? rc : 1;
    }
    if (c == '[')
        return t_array(x, k, depth);
    if (c == '{') { /* an inline table: nothing front matter needs */
        int level = 0;
        for (; x->i < x->n && !is_line_break(x->t[x->i]); x->i++) {
            if (x->t[x->i] == '{')
                level++;
            else if (x->t[x->i] == '}' && --level == 0) {
                x->i++;
                return 1;
            }
        }
        return 0;
    }
    size_t a = x->i;
    while (x->i < x->n && !is_line_break(x->t[x->i]) && x->t[x->i] != '#' &&
           x->t[x->i] != ',' && x->t[x->i] != ']')
        x->i++;
    size_t b = x->i;
    while (b > a && (x->t[b - 1] == ' ' || x->t[b - 1] == '\t'))
        b--;
    if (b == a)
        return 0;
    int rc = t_apply(x, k, x->t + a, b - a, depth > 0);
    return rc ? rc : 1;
}

/* A key (bare, quoted or dotted: the last part counts) up to '='. */
static int t_key_read(toml *x, t_key *k)
{
    size_t kn = 0;
    for (;;) {
        t_skip_blank(x);
        if (x->i >= x->n)
            return 0;
        char c = x->t[x->i];
        kn = 0;
        if (c == '"' || c == '\'') {
            if (t_string(x) <= 0)
                return 0;
            kn = x->val.len < sizeof k->name - 1 ? x->val.len : sizeof k->name - 1;
            memcpy(k->name, x->val.data ? x->val.data : "", kn);
        } else {
            while (x->i < x->n && ((x->t[x->i] >= 'a' && x->t[x->i] <= 'z') ||
                                   (x->t[x->i] >= 'A' && x->t[x->i] <= 'Z') ||
                                   (x->t[x->i] >= '0' && x->t[x->i] <= '9') || x->t[x->i] == '_' ||
                                   x->t[x->i] == '-')) {
                if (kn < sizeof k->name - 1)
                    k->name[kn++] = x->t[x->i];
                x->i++;
            }
            if (kn == 0)
                return 0;
        }
        k->name[kn] = '\0';
        t_skip_blank(x);
        if (x->i < x->n && x->t[x->i] == '.') {
            x->i++;
            continue;
        }
        break;
    }
    if (x->i >= x->n || x->t[x->i] != '=')
        return 0;
    x->i++;
    k->kind = key_find(k->name, kn, &k->rank);
    return 1;
}

static int parse_toml(prose_doc *doc, const char *t, size_t n, int first_line)
{
    toml x = {.t = t, .n = n, .line = first_line, .doc = doc, .top = 1};
    buf_init(&x.val, 64 << 10);
    int rc = CAIRN_OK;
    while (x.i < x.n && rc >= 0) {
        t_skip_blank(&x);
        if (x.i >= x.n)
            break;
        char c = x.t[x.i];
        if (c == '#' || is_line_break(c)) {
            t_skip_line(&x);
            continue;
        }
        if (c == '[') {
            x.top = 0;
            t_skip_line(&x);
            continue;
        }
        int line = x.line;
        t_key k;
        int ok = t_key_read(&x, &k);
        if (ok) {
            t_skip_blank(&x);
            ok = t_value(&x, &k, 0);
            if (ok < 0) {
                rc = ok;
                break;
            }
        }
        if (!ok && !x.bad) {
            x.bad = 1;
            rc = prose_warn(doc, "front matter line %d is not TOML 'key = value'; skipped", line);
        }
        t_skip_line(&x);
    }
    rc = apply_picks(doc, &x.p, rc < 0 ? rc : CAIRN_OK);
    buf_release(&x.val);
    return rc;
}

/* ---- detection ----------------------------------------------------------- */

int fm_parse(const char *text, size_t len, prose_doc *doc, fm_result *out)
{
    out->format = FM_NONE;
    out->body_start = 0;
    out->body_line = 1;
    fm_format f = line_is(text, len, 0, "---") ? FM_YAML : line_is(text, len, 0, "+++") ? FM_TOML
                                                                                        : FM_NONE;
    if (f == FM_NONE)
        return CAIRN_OK;
    size_t first = next_line(text, len, 0), i = first;
    int line = 2;
    while (i < len) {
        int closes = f == FM_YAML ? line_is(text, len, i, "---") || line_is(text, len, i, "...")
                                  : line_is(text, len, i, "+++");
        if (closes)
            break;
        i = next_line(text, len, i);
        line++;
    }
    if (i >= len)
        return CAIRN_OK; /* never closed: a thematic break, as chunk_prose reads it */
    out->format = f;
    out->body_start = next_line(text, len, i);
    out->body_line = line + 1;
    size_t n = i - first;
    if (n > FM_MAX_BYTES)
        return prose_warn(doc, "front matter of %zu bytes is over the %zu-byte limit; not read", n,
                          FM_MAX_BYTES);
    return f == FM_YAML ? parse_yaml(doc, text + first, n, 2) : parse_toml(doc, text + first, n, 2);
}
