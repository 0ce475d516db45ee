/*
 * prepare.c — read, hash, detect and chunk one file, off the main thread.
 */
#include "indexer/prepare.h"
#include "util/err.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define HEAD_BYTES 256

struct preparer {
    int unused; /* grows parsers when languages get grammars */
};

int preparer_new(preparer **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? CAIRN_OK : err_set(CAIRN_ERR_NOMEM, "out of memory creating a file preparer");
}

void preparer_free(preparer *p) { free(p); }

void prepared_init(prepared *p)
{
    memset(p, 0, sizeof *p);
    buf_init(&p->text, 0);
    chunk_list_init(&p->chunks);
}

void prepared_release(prepared *p)
{
    if (!p)
        return;
    free(p->message);
    buf_release(&p->text);
    chunk_list_release(&p->chunks);
    memset(p, 0, sizeof *p);
}

static void fail(prepared *out, int rc)
{
    out->status = rc;
    out->message = strdup(err_msg());
}

void prepare_file(preparer *p, const char *path, const char *rel, size_t max_size, int have_hash,
                  uint64_t known_hash, prepared *out)
{
    (void)p;
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
        rc = chunk_prose(data, len, out->lang->name, NULL, &out->chunks);
    else
        rc = chunk_code(data, len, NULL, &out->chunks);
    if (rc)
        fail(out, err_wrap(rc, "%s", path));
}
