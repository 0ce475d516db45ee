/*
 * prepare.c — read, hash, detect and chunk one file, off the main thread.
 */
#include "indexer/prepare.h"
#include "indexer/astchunk.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define HEAD_BYTES 256

struct preparer {
    parser *ps; /* tree-sitter, one per thread */
};

int preparer_new(preparer **out)
{
    preparer *p = calloc(1, sizeof *p);
    if (!p)
        return err_set(CAIRN_ERR_NOMEM, "out of memory creating a file preparer");
    int rc = parser_new(&p->ps);
    if (rc) {
        free(p);
        return rc;
    }
    *out = p;
    return CAIRN_OK;
}

void preparer_free(preparer *p)
{
    if (!p)
        return;
    parser_free(p->ps);
    free(p);
}

void prepared_init(prepared *p)
{
    memset(p, 0, sizeof *p);
    buf_init(&p->text, 0);
    chunk_list_init(&p->chunks);
    parse_result_init(&p->parsed);
    prose_doc_init(&p->doc);
}

void prepared_release(prepared *p)
{
    if (!p)
        return;
    free(p->message);
    buf_release(&p->text);
    chunk_list_release(&p->chunks);
    parse_result_release(&p->parsed);
    prose_doc_release(&p->doc);
    memset(p, 0, sizeof *p);
}

static void fail(prepared *out, int rc)
{
    out->status = rc;
    out->message = strdup(err_msg());
}

/* Code with a grammar: definitions, references, and chunks cut at them.
 * A file the grammar cannot make sense of still gets line chunks. */
static int prepare_code(preparer *p, const char *data, size_t len, prepared *out)
{
    if (parse_supported(out->lang->name)) {
        int rc = parse_file(p->ps, out->lang->name, data, len, &out->parsed);
        if (rc == CAIRN_ERR_NOMEM)
            return rc;
        if (rc == CAIRN_OK && out->parsed.nsymbols)
            return astchunk_build(data, len, out->parsed.symbols, out->parsed.nsymbols, NULL,
                                  &out->chunks);
    }
    return chunk_code(data, len, NULL, &out->chunks);
}

void prepare_file(preparer *p, const char *path, const char *rel, size_t max_size, int have_hash,
                  uint64_t known_hash, prepared *out)
{
    int rc = textfile_read(path, max_size, &out->text, &out->info);
    if (rc) {
        fail(out, rc);
        return;
    }
    out->hash = XXH3_64bits(out->text.data ? out->text.data : "", out->text.len);
    if (have_hash && out->hash == known_hash) {
        out->unchanged = 1;
        return;
    }
    const char *data = buf_str(&out->text);
    size_t len = out->text.len;
    out->lang = lang_detect(rel, data, len < HEAD_BYTES ? len : HEAD_BYTES);
    if (out->lang->kind == LANG_PROSE)
        rc = prose_parse(rel, out->lang->name, data, len, NULL, &out->doc, &out->chunks);
    else
        rc = prepare_code(p, data, len, out);
    if (rc)
        fail(out, err_wrap(rc, "%s", path));
}
