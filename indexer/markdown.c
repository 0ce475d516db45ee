/*
 * markdown.c — title, words and links of a Markdown body, from md4c's
 * events.
 */
#include "indexer/markdown.h"
#include "indexer/html.h"
#include "util/buf.h"
#include "util/err.h"

#include <md4c.h>
#include <stdint.h>
#include <string.h>

#define CAPTURE_MAX 4096

typedef struct mx {
    const char *text;
    size_t len;
    const char *rel;
    prose_doc *doc;
    prose_lines L;
    int rc;             /* the first error, which also stops md4c */
    int code_block;     /* inside a code block */
    int image;          /* inside an image's alt text */
    int in_word;
    int heading;        /* level of the heading being read, or 0 */
    int want_h1, want_first;
    buf h1, hfirst;
    /* the open link */
    const char *kind;
    buf target, ltext;
    int open, line;
    int fallback_line;
    size_t last_off;    /* offset of the last text seen in the input */
} mx;

static int capture(buf *b, const char *s, size_t n)
{
    int rc = buf_append(b, s, n);
    return rc == CAIRN_ERR_TOOBIG ? CAIRN_OK : rc;
}

/* Line of a pointer md4c handed over, or 0 when it does not point into
 * the input (md4c built the string itself). */
static int line_of(const mx *m, const char *p)
{
    uintptr_t a = (uintptr_t)p, lo = (uintptr_t)m->text, hi = lo + m->len;
    return a >= lo && a < hi ? prose_line_at(&m->L, (size_t)(a - lo)) : 0;
}

static int link_open(mx *m, const char *kind, const MD_ATTRIBUTE *target)
{
    m->open = 1;
    m->kind = kind;
    m->line = 0;
    buf_clear(&m->target);
    buf_clear(&m->ltext);
    m->fallback_line = 0;
    if (target->size == 0)
        return CAIRN_OK; /* "[text]()": an empty target, left out when the link closes */
    m->fallback_line = line_of(m, target->text);
    /* Permissive autolinks arrive without their scheme. */
    if (target->size > 4 && memcmp(target->text, "www.", 4) == 0 && strcmp(kind, "wiki") != 0) {
        int rc = buf_puts(&m->target, "http://");
        if (rc)
            return rc;
    } else if (strcmp(kind, "wiki") != 0 && memchr(target->text, '@', target->size) &&
               !memchr(target->text, '/', target->size) && !memchr(target->text, ':', target->size)) {
        int rc = buf_puts(&m->target, "mailto:");
        if (rc)
            return rc;
    }
    return capture(&m->target, target->text, target->size);
}

static int link_close(mx *m)
{
    if (!m->open)
        return CAIRN_OK;
    m->open = 0;
    int line = m->line ? m->line : m->fallback_line;
    if (!line)
        line = prose_line_at(&m->L, m->last_off);
    return prose_add_link(m->doc, m->rel, line, m->kind, m->target.data ? m->target.data : "",
                          m->target.len, m->ltext.data, m->ltext.len);
}

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    mx *m = ud;
    m->in_word = 0;
    if (type == MD_BLOCK_CODE) {
        m->code_block = 1;
    } else if (type == MD_BLOCK_H) {
        m->heading = (int)((MD_BLOCK_H_DETAIL *)detail)->level;
    }
    return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
    (void)detail;
    mx *m = ud;
    m->in_word = 0;
    if (type == MD_BLOCK_CODE) {
        m->code_block = 0;
    } else if (type == MD_BLOCK_H) {
        if (m->heading == 1 && m->h1.len)
            m->want_h1 = 0;
        if (m->hfirst.len)
            m->want_first = 0;
        m->heading = 0;
    }
    return 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
    mx *m = ud;
    if (type == MD_SPAN_IMG) {
        m->image++;
    } else if (type == MD_SPAN_A || type == MD_SPAN_WIKILINK) {
        int rc = link_close(m);
        if (!rc)
            rc = type == MD_SPAN_A ? link_open(m, "markdown", &((MD_SPAN_A_DETAIL *)detail)->href)
                                   : link_open(m, "wiki", &((MD_SPAN_WIKILINK_DETAIL *)detail)->target);
        if (rc)
            m->rc = rc;
        return rc ? 1 : 0;
    }
    return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
    (void)detail;
    mx *m = ud;
    if (type == MD_SPAN_IMG) {
        m->image--;
    } else if (type == MD_SPAN_A || type == MD_SPAN_WIKILINK) {
        int rc = link_close(m);
        if (rc) {
            m->rc = rc;
            return 1;
        }
    }
    return 0;
}

/* Text that a reader sees: into the heading and link captures. */
static int seen(mx *m, const char *s, size_t n)
{
    int rc = CAIRN_OK;
    if (m->heading) {
        if (m->heading == 1 && m->want_h1)
            rc = capture(&m->h1, s, n);
        if (!rc && m->want_first)
            rc = capture(&m->hfirst, s, n);
    }
    if (!rc && m->open && !m->image)
        rc = capture(&m->ltext, s, n);
    return rc;
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
    mx *m = ud;
    int line = line_of(m, s);
    if (line) {
        m->last_off = (size_t)(s - m->text);
        if (m->open && !m->line)
            m->line = line;
    }
    int rc = CAIRN_OK;
    switch (type) {
    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
        if (m->code_block)
            break;
        if (!m->image)
            prose_count_words(m->doc, s, n, &m->in_word);
        rc = seen(m, s, n);
        break;
    case MD_TEXT_ENTITY: {
        char u[4];
        size_t un;
        if (html_entity(s, n, u, &un))
            rc = seen(m, u, un);
        break;
    }
    case MD_TEXT_SOFTBR:
    case MD_TEXT_BR:
        m->in_word = 0;
        rc = seen(m, " ", 1);
        break;
    case MD_TEXT_HTML:
        rc = html_scan_links(s, n, line ? line : prose_line_at(&m->L, m->last_off), m->rel, m->doc);
        break;
    default:
        break;
    }
    if (rc) {
        m->rc = rc;
        return 1;
    }
    return 0;
}

int markdown_scan(const char *text, size_t len, size_t body_start, const char *src_rel,
                  prose_doc *doc)
{
    if (len - body_start > UINT32_MAX)
        return err_set(CAIRN_ERR_TOOBIG, "%s: %zu bytes of Markdown is more than md4c reads",
                       src_rel, len - body_start);
    mx m = {.text = text, .len = len, .rel = src_rel, .doc = doc, .want_h1 = 1, .want_first = 1};
    int rc = prose_lines_build(&m.L, text, len);
    if (rc)
        return rc;
    buf_init(&m.h1, CAPTURE_MAX);
    buf_init(&m.hfirst, CAPTURE_MAX);
    buf_init(&m.target, PROSE_MAX_TARGET);
    buf_init(&m.ltext, CAPTURE_MAX);
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = MD_DIALECT_GITHUB | MD_FLAG_WIKILINKS,
        .enter_block = enter_block,
        .leave_block = leave_block,
        .enter_span = enter_span,
        .leave_span = leave_span,
        .text = on_text,
    };
    int prc = md_parse(text + body_start, (MD_SIZE)(len - body_start), &parser, &m);
    if (m.rc)
        rc = m.rc;
    else if (prc != 0)
        rc = err_set(CAIRN_ERR_NOMEM, "%s: md4c could not parse the Markdown (out of memory)", src_rel);
    if (!rc)
        rc = link_close(&m);
    if (!rc && m.h1.len)
        rc = prose_set_title(doc, m.h1.data, m.h1.len);
    if (!rc && m.hfirst.len)
        rc = prose_set_title(doc, m.hfirst.data, m.hfirst.len);
    buf_release(&m.h1);
    buf_release(&m.hfirst);
    buf_release(&m.target);
    buf_release(&m.ltext);
    prose_lines_release(&m.L);
    return rc;
}
