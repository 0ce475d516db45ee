/*
 * prepare.h — the per-file work of an index run that needs no database:
 * read the file as text, hash it, detect its language, parse it (code with
 * a grammar: definitions and references; prose: metadata and links) and
 * chunk it.  Safe to run on many threads at once, one `preparer` per
 * thread.
 */
#ifndef CAIRN_PREPARE_H
#define CAIRN_PREPARE_H

#include "indexer/chunk.h"
#include "indexer/lang.h"
#include "indexer/parse.h"
#include "indexer/prose.h"
#include "indexer/textfile.h"
#include "util/buf.h"

#include <stddef.h>
#include <stdint.h>

typedef struct prepared {
    int status;            /* CAIRN_OK, or why the file cannot be indexed */
    char *message;         /* the error message when status != CAIRN_OK (owned) */
    int unchanged;         /* content hash equals the one already indexed */
    buf text;              /* the file as UTF-8 */
    textfile_info info;
    uint64_t hash;         /* xxh3-64 of text */
    const lang_info *lang; /* static */
    chunk_list chunks;
    parse_result parsed;   /* code with a grammar: definitions and references */
    prose_doc doc;         /* prose: metadata and links; chunks index doc.body when set */
} prepared;

typedef struct preparer preparer;

/* Per-thread state (parsers, scratch buffers); caller frees with
 * preparer_free. */
int preparer_new(preparer **out);
void preparer_free(preparer *p);

/* Prepare the file at path (rel is its root-relative path, used for
 * language detection).  When have_hash is set and the content hashes to
 * known_hash, only out->unchanged is filled.  Never fails as a whole: a
 * file that cannot be indexed gets out->status and out->message.  The
 * caller releases out with prepared_release. */
void prepare_file(preparer *p, const char *path, const char *rel, size_t max_size, int have_hash,
                  uint64_t known_hash, prepared *out);

void prepared_init(prepared *p);
void prepared_release(prepared *p);

#endif
