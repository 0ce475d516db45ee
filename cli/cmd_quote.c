/*
 * cmd_quote.c — `cairn quote`: the exact sentences of the archive that
 * best answer a query, ready to cite.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "query/quote.h"
#include "util/buf.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define QUERY_MAX (64 * 1024)

const char cmd_quote_help[] =
    "usage: cairn quote [--index DIR] [-k N] [--json] QUERY...\n"
    "\n"
    "Find passages of the archive worth quoting on QUERY: the best-ranked prose\n"
    "passages are cut into sentences (list items, table rows and code blocks\n"
    "count as one), and from each the run of up to three sentences that holds\n"
    "the most of the query is quoted exactly as written, with its title, date,\n"
    "path and the lines it spans.  One quote per document.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  -k, --limit N number of quotes (default 5, at most 100)\n"
    "  --json        one JSON object per quote: {\"quote\", \"path\", \"root\", \"title\",\n"
    "                \"date\", \"context\", \"start_line\", \"end_line\", \"score\"}\n"
    "\n"
    "Output: path:start-end  title  (date), then the quote, each line after \"> \".\n"
    "Exit status: 0 quotes found, 1 none found or an error, 2 bad usage.\n"
    "\n"
    "examples:\n"
    "  cairn quote \"why WAL mode matters for concurrent readers\"\n"
    "  cairn quote -k 1 --json 'github actions cache' | jq -r .quote\n";

static void add_opt(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static int print_json(const quote_hit *h)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing JSON");
    cJSON_AddStringToObject(o, "quote", h->text);
    cJSON_AddStringToObject(o, "path", h->path);
    cJSON_AddStringToObject(o, "root", h->root);
    cJSON_AddStringToObject(o, "title", h->title);
    add_opt(o, "date", h->date);
    add_opt(o, "context", h->context);
    cJSON_AddNumberToObject(o, "start_line", h->start_line);
    cJSON_AddNumberToObject(o, "end_line", h->end_line);
    cJSON_AddNumberToObject(o, "score", (double)(long long)(h->score * 10000) / 10000);
    return qjson_print_line(o);
}

static void print_human(const quote_hit *h, int color)
{
    char shown[PATH_MAX * 2];
    cli_display_path(h->root, h->path, shown, sizeof shown);
    char date[16] = "";
    if (h->date)
        snprintf(date, sizeof date, "  (%.10s)", h->date);
    if (color)
        printf("\033[35m%s\033[0m:\033[32m%d-%d\033[0m  \033[1m%s\033[0m%s\n", shown,
               h->start_line, h->end_line, h->title, date);
    else
        printf("%s:%d-%d  %s%s\n", shown, h->start_line, h->end_line, h->title, date);
    const char *p = h->text;
    while (*p) {
        size_t len = strcspn(p, "\r\n");
        printf("  > %.*s\n", (int)len, p);
        p += len;
        if (*p == '\r')
            p++;
        if (*p == '\n')
            p++;
    }
}

int cmd_quote(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'},
        {"limit", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    int json = 0, c;
    quote_opts o = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'k': {
            long long k = cli_parse_count("quote", "-k", optarg, QUOTE_MAX_K);
            if (k < 0)
                return CLI_USAGE;
            if (k == 0)
                return cli_usage_error("quote", "-k must be at least 1");
            o.k = (int)k;
            break;
        }
        case 'j': json = 1; break;
        default: return cli_usage_error("quote", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("quote", "no QUERY given");
    buf q;
    buf_init(&q, QUERY_MAX + 1);
    for (int i = optind; i < argc; i++) {
        if ((i > optind && buf_putc(&q, ' ')) || buf_puts(&q, argv[i])) {
            buf_release(&q);
            cli_error("quote: query is over the %d-byte limit", QUERY_MAX);
            return CLI_FAIL;
        }
    }
    o.query = buf_str(&q);
    char *dir = NULL;
    store *s = NULL;
    quote_hit *hits = NULL;
    size_t n = 0;
    int rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc)
        rc = quote_run(s, &o, &hits, &n);
    int color = !json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
    for (size_t i = 0; i < n && !rc; i++) {
        if (json)
            rc = print_json(&hits[i]);
        else
            print_human(&hits[i], color);
    }
    int status = CLI_OK;
    if (rc) {
        cli_error("quote: %s", err_msg());
        status = CLI_FAIL;
    } else if (n == 0) {
        if (!json)
            fprintf(stderr, "cairn: nothing to quote for '%s'\n", o.query);
        status = CLI_FAIL;
    }
    quote_hits_free(hits, n);
    store_close(s);
    free(dir);
    buf_release(&q);
    return status;
}
