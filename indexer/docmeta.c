/*
 * docmeta.c — a prose document's row, tags and links, with its date
 * falling back from the document to git to the file's mtime.
 */
#include "indexer/docmeta.h"
#include "indexer/gitdate.h"
#include "indexer/lang.h"
#include "store/docs.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct docmeta {
    char *root;
    docmeta_warn_fn warn;
    void *warn_ctx;
    int git_tried; /* gitdate_open was called */
    gitdate *git;  /* NULL when the root is not in a git work tree */
    int git_warned;
};

int docmeta_new(const char *root, docmeta_warn_fn warn, void *warn_ctx, docmeta **out)
{
    docmeta *m = calloc(1, sizeof *m);
    if (!m || !(m->root = strdup(root))) {
        free(m);
        *out = NULL;
        return err_set(CAIRN_ERR_NOMEM, "out of memory preparing document metadata for %s", root);
    }
    m->warn = warn;
    m->warn_ctx = warn_ctx;
    *out = m;
    return CAIRN_OK;
}

void docmeta_free(docmeta *m)
{
    if (!m)
        return;
    gitdate_free(m->git);
    free(m->root);
    free(m);
}

static void warn_once(docmeta *m, const char *what)
{
    if (m->git_warned || !m->warn)
        return;
    m->git_warned = 1;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s; documents without a date of their own get their mtime", what);
    m->warn(m->warn_ctx, msg);
}

/* Only prose files need a first-commit date. */
static int is_prose(const char *rel) { return lang_detect(rel, NULL, 0)->kind == LANG_PROSE; }

/* The first-commit date of rel, or 0 when git cannot say. */
static int git_date(docmeta *m, const char *rel, char out[PROSE_DATE_MAX])
{
    if (!m->git_tried) {
        m->git_tried = 1;
        int rc = gitdate_open(m->root, is_prose, &m->git);
        if (rc == CAIRN_ERR_NOMEM)
            return rc;
        if (rc && rc != CAIRN_ERR_NOTFOUND)
            warn_once(m, err_msg());
    }
    if (!m->git)
        return 0;
    int64_t when;
    int rc = gitdate_first(m->git, rel, &when);
    if (rc == CAIRN_ERR_NOMEM)
        return rc;
    if (rc == CAIRN_ERR_IO)
        warn_once(m, err_msg());
    if (!m->git_warned && gitdate_truncated(m->git)) {
        char msg[512];
        snprintf(msg, sizeof msg, "git history of %s has more than %d commits; only the newest were read",
                 m->root, GITDATE_MAX_COMMITS);
        warn_once(m, msg);
    }
    if (rc)
        return 0;
    prose_date_from_unix(when, out);
    return 1;
}

int docmeta_store(docmeta *m, store *s, int64_t file_id, const char *rel, int64_t mtime_ns,
                  const prose_doc *doc)
{
    char date[PROSE_DATE_MAX];
    const char *source = "document";
    if (doc->date) {
        snprintf(date, sizeof date, "%s", doc->date);
    } else {
        int g = git_date(m, rel, date);
        if (g < 0)
            return g;
        source = "git";
        if (!g) {
            prose_date_from_unix(mtime_ns / 1000000000, date);
            source = "mtime";
        }
    }
    store_doc d = {
        .title = doc->title ? doc->title : rel,
        .date = date,
        .date_source = source,
        .url = doc->url,
        .words = doc->words,
        .tags = (const char *const *)doc->tags,
        .ntags = doc->ntags,
    };
    int rc = store_doc_put(s, file_id, &d);
    for (size_t i = 0; i < doc->nlinks && !rc; i++) {
        const prose_link *l = &doc->links[i];
        store_link sl = {
            .line = l->line,
            .kind = l->kind,
            .target = l->target,
            .target_path = l->target_path,
            .text = l->text,
        };
        rc = store_link_add(s, file_id, &sl);
    }
    return rc;
}
