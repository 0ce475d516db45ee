/*
 * cmd_index.c — `cairn index`: create or update an index of one or more
 * directory trees.
 */
#include "cli/cli.h"
#include "indexer/embed.h"
#include "indexer/pipeline.h"
#include "store/vectors.h"
#include "store/store.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#define MAX_ROOTS 256
#define MAX_FILE_CAP ((long long)1 << 30)

const char cmd_index_help[] =
    "usage: cairn index [--index DIR] [--quiet] [--json] [--max-size BYTES]\n"
    "                   [--follow-symlinks] [--jobs N] [--embedder SPEC] [--embed-url URL]\n"
    "                   [PATH...]\n"
    "\n"
    "Create or update an index of the directory trees PATH...: source code and\n"
    "writing (markdown, text).  Files are found the way git sees them: .gitignore\n"
    "files at every level and .git/info/exclude are honoured, and .git/ is never\n"
    "read.  Binary files, files that are not text, files over the size cap and\n"
    "symbolic links are skipped with one line each on stderr naming the file.\n"
    "Running it again only re-reads files whose size or mtime changed, and drops\n"
    "files that were deleted or became ignored.\n"
    "\n"
    "The index lives in PATH/.cairn/ when one PATH is given; several PATHs need\n"
    "--index DIR (or $CAIRN_INDEX).  Without PATH, the index found the usual way\n"
    "(--index, $CAIRN_INDEX, .cairn/ here or above) is brought up to date.\n"
    "\n"
    "options:\n"
    "  --index DIR         where the index lives (created if missing)\n"
    "  --quiet, -q         no progress bar, no summary, no per-file warnings\n"
    "  --json              print the summary as one JSON object\n"
    "  --max-size BYTES    skip files larger than this (default 2097152 = 2 MiB)\n"
    "  --follow-symlinks   follow symbolic links that stay inside the tree\n"
    "  --jobs N            threads reading and parsing files (default: one per CPU)\n"
    "  --embedder SPEC     embeddings for semantic search: local (the default: trained\n"
    "                      on this index, offline), openai:MODEL (any OpenAI-compatible\n"
    "                      /v1/embeddings; key in $OPENAI_API_KEY), ollama:MODEL, or\n"
    "                      none.  Remembered by the index; cached by content, so\n"
    "                      unchanged text is never embedded twice\n"
    "  --embed-url URL     the embedding endpoint (default: $CAIRN_EMBED_URL, else the\n"
    "                      provider's usual address)\n"
    "\n"
    "A progress bar is drawn on stderr when it is a terminal.\n"
    "\n"
    "examples:\n"
    "  cairn index .\n"
    "  cairn index --index ~/.cache/cairn/all ~/src/project ~/notes\n"
    "  cairn index            # update the index of the current project\n";

typedef struct index_cli {
    int quiet;
} index_cli;

static void print_warning(void *ctx, const char *msg)
{
    const index_cli *ic = ctx;
    if (!ic->quiet)
        fprintf(stderr, "cairn: %s\n", msg);
}

static double elapsed_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

typedef struct embed_result {
    char spec[256];       /* the embedder used, "" for none */
    int64_t embedded, cached;
    size_t vectors;
} embed_result;

/* Bring the index's embeddings up to date: the embedder named by
 * --embedder, else the one the index was built with, else "local".
 * Returns CLI_FAIL only when an embedder the user named fails; the lexical
 * index is complete either way. */
static int embed_all(store *s, const char *opt, const char *url, index_cli *ic, embed_result *er)
{
    char *stored = NULL;
    if (!opt && store_meta_get(s, "embedder", &stored) == CAIRN_ERR_NOMEM)
        return CLI_FAIL;
    const char *spec = opt ? opt : stored ? stored : "local";
    int named = opt != NULL;
    int status = CLI_OK;
    if (strcmp(spec, "none") == 0) {
        store_meta_set(s, "embedder", "none");
        free(stored);
        return CLI_OK;
    }
    embed_opts eo;
    embed_opts_init(&eo);
    eo.url = url;
    eo.store = s;
    embed_provider *p = NULL;
    int rc = embed_provider_new(spec, &eo, &p);
    embed_update_stats es = {0};
    if (!rc)
        rc = embed_update(s, p, print_warning, ic, &es);
    vec_update_stats vs = {0};
    vec_opts vo = {.warn = print_warning, .warn_ctx = ic};
    if (!rc)
        rc = vec_update(s, embed_name(p), embed_model(p), &vo, &vs);
    /* Queries embed with what the vectors were made with: record it only
     * once they exist. */
    if (!rc && (rc = store_meta_set(s, "embedder", spec)) == CAIRN_OK && url)
        rc = store_meta_set(s, "embed_url", url);
    if (rc) {
        /* A default that cannot run is a note; one the user asked for fails. */
        cli_error("index: embeddings with %s: %s%s", spec, err_msg(),
                  named ? "" : "; the lexical index is complete");
        status = named ? CLI_FAIL : CLI_OK;
    } else {
        snprintf(er->spec, sizeof er->spec, "%s:%s", embed_name(p), embed_model(p));
        er->embedded = es.embedded;
        er->cached = es.cached;
        er->vectors = vs.total;
    }
    embed_free(p);
    free(stored);
    return status;
}

static void print_summary(const char *dir, const pipeline_stats *st, const embed_result *er,
                          double secs, int json, char **roots, size_t nroots)
{
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON *jr = cJSON_AddArrayToObject(o, "roots");
        for (size_t i = 0; i < nroots; i++)
            cJSON_AddItemToArray(jr, cJSON_CreateString(roots[i]));
        cJSON_AddStringToObject(o, "index", dir);
        cJSON_AddNumberToObject(o, "seen", (double)st->seen);
        cJSON_AddNumberToObject(o, "added", (double)st->added);
        cJSON_AddNumberToObject(o, "updated", (double)st->updated);
        cJSON_AddNumberToObject(o, "unchanged", (double)st->unchanged);
        cJSON_AddNumberToObject(o, "removed", (double)st->removed);
        cJSON_AddNumberToObject(o, "skipped", (double)st->skipped);
        cJSON_AddNumberToObject(o, "chunks", (double)st->chunks);
        cJSON_AddNumberToObject(o, "bytes", (double)st->bytes);
        cJSON_AddNumberToObject(o, "definitions", (double)st->definitions);
        cJSON_AddNumberToObject(o, "references", (double)st->references);
        cJSON_AddNumberToObject(o, "seconds", secs);
        if (er->spec[0]) {
            cJSON *e = cJSON_AddObjectToObject(o, "embeddings");
            cJSON_AddStringToObject(e, "embedder", er->spec);
            cJSON_AddNumberToObject(e, "embedded", (double)er->embedded);
            cJSON_AddNumberToObject(e, "cached", (double)er->cached);
            cJSON_AddNumberToObject(e, "vectors", (double)er->vectors);
        }
        char *text = cJSON_PrintUnformatted(o);
        if (text)
            puts(text);
        cJSON_free(text);
        cJSON_Delete(o);
        return;
    }
    printf("%lld files found in %.2f s: %lld new, %lld changed, %lld unchanged, "
           "%lld removed, %lld skipped; %lld chunks written\n",
           (long long)st->seen, secs, (long long)st->added, (long long)st->updated,
           (long long)st->unchanged, (long long)st->removed, (long long)st->skipped,
           (long long)st->chunks);
    if (er->spec[0])
        printf("embeddings (%s): %lld new, %lld from the cache; %zu vectors\n", er->spec,
               (long long)er->embedded, (long long)er->cached, er->vectors);
    printf("index: %s\n", dir);
}

/* Resolve and check every PATH before anything is written. */
static int resolve_roots(char **paths, int n, char **out)
{
    for (int i = 0; i < n; i++) {
        struct stat st;
        char *abs = realpath(paths[i], NULL);
        if (!abs) {
            cli_error("index: %s: %s", paths[i], strerror(errno));
            return CLI_FAIL;
        }
        if (stat(abs, &st) != 0 || !S_ISDIR(st.st_mode)) {
            cli_error("index: %s is not a directory", paths[i]);
            free(abs);
            return CLI_FAIL;
        }
        out[i] = abs;
    }
    return CLI_OK;
}

static int index_dir_for(const char *opt, char **paths, int npaths, char **out)
{
    if (opt || npaths == 0 || (npaths > 1 && getenv("CAIRN_INDEX")))
        return cli_index_locate(opt, out);
    if (npaths > 1)
        return err_set(CAIRN_ERR_INVALID,
                       "several PATHs go into one index: say where with --index DIR "
                       "(or set CAIRN_INDEX)");
    if (asprintf(out, "%s/.cairn", paths[0]) < 0) {
        *out = NULL;
        return err_set(CAIRN_ERR_NOMEM, "out of memory");
    }
    return CAIRN_OK;
}

int cmd_index(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},    {"quiet", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, 'j'},           {"max-size", required_argument, NULL, 'm'},
        {"follow-symlinks", no_argument, NULL, 'f'}, {"jobs", required_argument, NULL, 'J'},
        {"embedder", required_argument, NULL, 'e'}, {"embed-url", required_argument, NULL, 'u'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL, *embedder_opt = NULL, *embed_url_opt = NULL;
    int json = 0, c;
    index_cli ic = {0};
    pipeline_opts po;
    pipeline_opts_init(&po);
    optind = 1;
    while ((c = getopt_long(argc, argv, "q", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'q': ic.quiet = 1; break;
        case 'j': json = 1; break;
        case 'm': {
            long long v = cli_parse_count("index", "--max-size", optarg, MAX_FILE_CAP);
            if (v < 0)
                return CLI_USAGE;
            po.max_size = (size_t)v;
            break;
        }
        case 'f': po.follow_symlinks = 1; break;
        case 'e': embedder_opt = optarg; break;
        case 'u': embed_url_opt = optarg; break;
        case 'J': {
            long long v = cli_parse_count("index", "--jobs", optarg, 16);
            if (v < 0)
                return CLI_USAGE;
            po.jobs = (int)v;
            break;
        }
        default: return cli_usage_error("index", "unknown option");
        }
    }
    int npaths = argc - optind;
    if (npaths > MAX_ROOTS)
        return cli_usage_error("index", "at most %d PATHs at once", MAX_ROOTS);
    char *roots[MAX_ROOTS] = {0};
    size_t nroots = 0;
    char *dir = NULL, *absdir = NULL;
    store *s = NULL;
    store_root *known = NULL;
    size_t nknown = 0;
    int status = resolve_roots(argv + optind, npaths, roots);
    if (status != CLI_OK)
        goto done;
    nroots = (size_t)npaths;
    int rc = index_dir_for(index_opt, roots, npaths, &dir);
    if (!rc && (rc = store_open(dir, STORE_WRITE, &s)) == CAIRN_ERR_BUSY) {
        if (!ic.quiet)
            fprintf(stderr, "cairn: %s; waiting for it to finish\n", err_msg());
        rc = store_open(dir, STORE_WRITE_WAIT, &s);
    }
    if (!rc && !(absdir = realpath(dir, NULL)))
        rc = err_set(CAIRN_ERR_IO, "cannot resolve %s: %s", dir, strerror(errno));
    if (!rc && nroots == 0) {
        rc = store_roots_list(s, &known, &nknown);
        if (!rc && nknown == 0)
            rc = err_set(CAIRN_ERR_INVALID, "the index at %s has no roots yet; give PATHs", dir);
        for (size_t i = 0; !rc && i < nknown && i < MAX_ROOTS; i++)
            roots[nroots++] = strdup(known[i].path);
    }
    if (rc) {
        cli_error("index: %s", err_msg());
        status = CLI_FAIL;
        goto done;
    }
    po.index_dir = absdir;
    po.progress = !ic.quiet;
    po.warn = print_warning;
    po.warn_ctx = &ic;
    pipeline_stats st = {0};
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < nroots; i++) {
        if (!roots[i]) {
            cli_error("index: out of memory");
            status = CLI_FAIL;
            break;
        }
        rc = pipeline_index_root(s, roots[i], &po, &st);
        if (rc) {
            cli_error("index: %s: %s", roots[i], err_msg());
            status = CLI_FAIL;
        }
    }
    embed_result er = {0};
    if (status == CLI_OK || st.seen > 0)
        status |= embed_all(s, embedder_opt, embed_url_opt, &ic, &er);
    if (!ic.quiet || json)
        print_summary(absdir, &st, &er, elapsed_since(&t0), json, roots, nroots);
done:
    for (size_t i = 0; i < nroots; i++)
        free(roots[i]);
    store_roots_free(known, nknown);
    store_close(s);
    free(dir);
    free(absdir);
    return status;
}
