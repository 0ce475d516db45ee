/*
 * cmd_search.c — `cairn search`: ranked chunks for a free-text query, for
 * people (highlighted snippets) or programs (--json, one object per line).
 */
#include "cli/cli.h"
#include "query/json.h"
#include "query/search.h"
#include "util/buf.h"
#include "util/err.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SNIPPET_LINES 4
#define SNIPPET_COLS 160

const char cmd_search_help[] =
    "usage: cairn search [--index DIR] [-k N] [--json] [--path GLOB] [--lang LANG]\n"
    "                    [--kind code|prose] [--since DATE] [--until DATE] [--tag TAG]\n"
    "                    [--per-doc N] [--mode hybrid|lexical|semantic] [--explain] QUERY...\n"
    "\n"
    "Rank the indexed chunks of code and prose against QUERY with BM25 over\n"
    "cairn's code-aware tokens: getUserName, get_user_name and 'get user name'\n"
    "find each other, and English words match their stems (connections finds\n"
    "connection).  QUERY is free text: a question, identifiers, or both; quotes\n"
    "and operators are taken literally, and a chunk need not contain every word.\n"
    "\n"
    "options:\n"
    "  --index DIR      the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  -k, --limit N    number of results (default 10, at most 1000)\n"
    "  --json           one JSON object per result line:\n"
    "                   {\"path\", \"root\", \"start_line\", \"end_line\", \"symbol\", \"kind\",\n"
    "                    \"lang\", \"context\", \"title\", \"date\", \"score\", \"snippet\",\n"
    "                    \"mtime\"}; path is relative to root; symbol, context (heading\n"
    "                   path), title and date may be null\n"
    "  --path GLOB      only files whose root-relative path matches GLOB ('*' also\n"
    "                   matches '/', so '*.py' and 'Lib/asyncio/*' both work)\n"
    "  --lang LANG      only files of this language (python, c, markdown, ...)\n"
    "  --kind KIND      only code or only prose\n"
    "  --since DATE     only files dated on or after DATE (2024, 2024-05, 2024-05-17):\n"
    "                   a document's date (front matter, first git commit) or else\n"
    "                   the day of the file's mtime\n"
    "  --until DATE     only files dated on or before DATE (2023 includes all of 2023)\n"
    "  --tag TAG        only documents with this tag or category (any case)\n"
    "  --per-doc N      at most N chunks of any one file (default 2; 0 = no limit)\n"
    "  --mode MODE      hybrid (default): BM25 fused with embeddings (when the index\n"
    "                   has them; code and prose each with their own measured\n"
    "                   weights, in the places BM25 gives each kind) and definitions\n"
    "                   named in the query; lexical: BM25 and definitions;\n"
    "                   semantic: embeddings only\n"
    "  --explain        show each signal's rank and score for every result (JSON:\n"
    "                   an \"explain\" object)\n"
    "\n"
    "Output: path:start-end  score  symbol-or-heading, then a few lines of the\n"
    "chunk with the matching words highlighted (on a terminal).\n"
    "Exit status: 0 results found, 1 none found or an error, 2 bad usage.\n"
    "\n"
    "examples:\n"
    "  cairn search \"where do we open the database\"\n"
    "  cairn search -k 5 --lang python getUserName\n"
    "  cairn search --kind prose --path 'docker/*' 'run a container'\n"
    "  cairn search --kind prose --since 2023 --tag python 'virtual environments'\n"
    "  cairn search --json 'fts5 tokenizer' | jq .path\n";

static void print_snippet(const char *snip, int color)
{
    int lines = 0;
    const char *p = snip;
    while (*p && lines < SNIPPET_LINES) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *q = p;
        while (q < p + len && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < p + len) {
            fputs("    ", stdout);
            int cols = 0;
            for (const char *c = q; c < p + len; c++) {
                if (*c == STORE_MARK_OPEN[0]) {
                    if (color)
                        fputs("\033[1;31m", stdout);
                } else if (*c == STORE_MARK_CLOSE[0]) {
                    if (color)
                        fputs("\033[0m", stdout);
                } else if (*c != '\r') {
                    if (cols >= SNIPPET_COLS && ((unsigned char)*c & 0xc0) != 0x80) {
                        fputs("…", stdout);
                        break;
                    }
                    putchar(*c == '\t' ? ' ' : *c);
                    if (((unsigned char)*c & 0xc0) != 0x80)
                        cols++;
                }
            }
            if (color)
                fputs("\033[0m", stdout);
            putchar('\n');
            lines++;
        }
        p = eol ? eol + 1 : p + len;
    }
}

static void print_human(const store_hit *h, int color)
{
    char shown[PATH_MAX * 2];
    cli_display_path(h->root, h->path, shown, sizeof shown);
    const char *label = h->symbol ? h->symbol : h->context;
    char dated[64] = "";
    if (h->date)
        snprintf(dated, sizeof dated, "  (%.10s)", h->date);
    if (color)
        printf("\033[35m%s\033[0m:\033[32m%d-%d\033[0m  %.2f  %s%s\n", shown, h->start_line,
               h->end_line, h->score, label ? label : "", dated);
    else
        printf("%s:%d-%d  %.2f  %s%s\n", shown, h->start_line, h->end_line, h->score,
               label ? label : "", dated);
    print_snippet(h->snippet ? h->snippet : "", color);
}

static void print_warning(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "cairn: search: %s\n", msg);
}

static void print_explain(const store_hit *h)
{
    printf("    = score %.4f:", h->score);
    if (h->rank_definition)
        printf("  definition #%d", h->rank_definition);
    if (h->rank_lexical)
        printf("  lexical #%d (bm25 %.2f)", h->rank_lexical, h->score_lexical);
    if (h->rank_dense)
        printf("  dense #%d (cosine %.3f)", h->rank_dense, h->score_dense);
    putchar('\n');
}

int cmd_search(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"limit", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},        {"path", required_argument, NULL, 'p'},
        {"lang", required_argument, NULL, 'l'},  {"kind", required_argument, NULL, 'K'},
        {"since", required_argument, NULL, 's'}, {"until", required_argument, NULL, 'u'},
        {"tag", required_argument, NULL, 't'},   {"per-doc", required_argument, NULL, 'D'},
        {"mode", required_argument, NULL, 'M'},  {"explain", no_argument, NULL, 'E'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    int json = 0, explain = 0;
    search_opts o = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'k': {
            long long k = cli_parse_count("search", "-k", optarg, SEARCH_MAX_K);
            if (k < 0)
                return CLI_USAGE;
            if (k == 0)
                return cli_usage_error("search", "-k must be at least 1");
            o.k = (int)k;
            break;
        }
        case 'j': json = 1; break;
        case 'p': o.path_glob = optarg; break;
        case 'l': o.lang = optarg; break;
        case 'K': o.kind = optarg; break;
        case 's': o.since = optarg; break;
        case 'u': o.until = optarg; break;
        case 't': o.tag = optarg; break;
        case 'M': {
            int m = search_mode_parse(optarg);
            if (m < 0)
                return cli_usage_error("search", "--mode is hybrid, lexical or semantic, not '%s'", optarg);
            o.mode = (enum search_mode)m;
            break;
        }
        case 'E': explain = 1; break;
        case 'D': {
            long long v = cli_parse_count("search", "--per-doc", optarg, SEARCH_MAX_K);
            if (v < 0)
                return CLI_USAGE;
            o.per_doc = v == 0 ? -1 : (int)v;
            break;
        }
        default: return cli_usage_error("search", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("search", "no QUERY given");
    buf q;
    buf_init(&q, SEARCH_MAX_QUERY_BYTES + 1);
    for (int i = optind; i < argc; i++) {
        if ((i > optind && buf_putc(&q, ' ')) || buf_puts(&q, argv[i])) {
            buf_release(&q);
            cli_error("search: query is over the %d-byte limit", SEARCH_MAX_QUERY_BYTES);
            return CLI_FAIL;
        }
    }
    o.query = buf_str(&q);

    char *dir = NULL;
    store *s = NULL;
    store_hit *hits = NULL;
    size_t n = 0;
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    semantic *sem = NULL;
    if (!rc && o.mode != SEARCH_LEXICAL) {
        int src = semantic_open(s, &sem);
        if (src && (o.mode == SEARCH_SEMANTIC || src != CAIRN_ERR_NOTFOUND))
            fprintf(stderr, "cairn: search: %s%s\n", err_msg(),
                    o.mode == SEARCH_SEMANTIC ? "" : "; lexical results only");
        if (src && o.mode == SEARCH_SEMANTIC)
            rc = src;
    }
    o.sem = sem;
    o.warn = print_warning;
    if (!rc)
        rc = search_run(s, &o, &hits, &n);
    int status = CLI_OK;
    if (rc) {
        cli_error("search: %s", err_msg());
        status = CLI_FAIL;
    } else {
        int color = !json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        for (size_t i = 0; i < n && !rc; i++) {
            if (json) {
                cJSON *j = qjson_hit(&hits[i]);
                if (j && explain)
                    cJSON_AddItemToObject(j, "explain", qjson_explain(&hits[i]));
                rc = qjson_print_line(j);
            } else {
                print_human(&hits[i], color);
                if (explain)
                    print_explain(&hits[i]);
            }
        }
        if (rc) {
            cli_error("search: %s", err_msg());
            status = CLI_FAIL;
        } else if (n == 0) {
            if (!json)
                fprintf(stderr, "cairn: no results for '%s'\n", o.query);
            status = CLI_FAIL;
        }
    }
    store_hits_free(hits, n);
    semantic_free(sem);
    store_close(s);
    free(dir);
    buf_release(&q);
    return status;
}
