/*
 * cmd_related.c — `cairn related`: past documents related to a note in the
 * archive or to a draft on stdin.
 */
#include "cli/cli.h"
#include "query/json.h"
#include "indexer/textfile.h"
#include "query/related.h"
#include "query/resolve.h"
#include "query/terms.h"
#include "util/buf.h"
#include "util/err.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FILE_MAX ((size_t)8 << 20)
#define SNIPPET_LINES 3
#define SNIPPET_COLS 160

const char cmd_related_help[] =
    "usage: cairn related [--index DIR] [-k N] [--json] [--explain] FILE|-\n"
    "\n"
    "Find the documents of the archive most related to FILE, or to a draft\n"
    "read from standard input when FILE is '-'.  The whole text is the query:\n"
    "its most distinctive words (tf-idf against the index, at most 30) are\n"
    "searched together, prose passages that share many of them rank first,\n"
    "and passages are grouped so that each document appears once, with its\n"
    "best passage.  FILE itself is left out when it is indexed.\n"
    "\n"
    "options:\n"
    "  --index DIR   the index to read (default: $CAIRN_INDEX, then .cairn/ here or above)\n"
    "  -k, --limit N number of documents (default 10, at most 200)\n"
    "  --json        one JSON object per document: {\"path\", \"root\", \"title\", \"date\",\n"
    "                \"score\", \"start_line\", \"end_line\", \"context\", \"passage\"}\n"
    "  --explain     print the words searched for on standard error\n"
    "\n"
    "Output: path:start-end  score  title  (date), then the best passage.\n"
    "Exit status: 0 documents found, 1 none found or an error, 2 bad usage.\n"
    "\n"
    "examples:\n"
    "  cairn related notes/sqlite-fts.md\n"
    "  pbpaste | cairn related -k 5 -\n"
    "  cairn related --json draft.md | jq -r .path\n";

static int read_input(const char *arg, buf *text)
{
    if (strcmp(arg, "-") != 0)
        return textfile_read(arg, FILE_MAX, text, NULL);
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        if (text->len + got > TERMS_MAX_TEXT) {
            fprintf(stderr, "cairn: related: the draft is over %d bytes; reading the first %d\n",
                    TERMS_MAX_TEXT, TERMS_MAX_TEXT);
            return buf_append(text, chunk, TERMS_MAX_TEXT - text->len);
        }
        int rc = buf_append(text, chunk, got);
        if (rc)
            return rc;
    }
    if (ferror(stdin))
        return err_set(CAIRN_ERR_IO, "cannot read the draft from standard input");
    return CAIRN_OK;
}

static void print_passage(const char *snip, int color)
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
                if (*c == STORE_MARK_OPEN[0] || *c == STORE_MARK_CLOSE[0]) {
                    if (color)
                        fputs(*c == STORE_MARK_OPEN[0] ? "\033[1;31m" : "\033[0m", stdout);
                    continue;
                }
                if (*c == '\r')
                    continue;
                if (cols >= SNIPPET_COLS && ((unsigned char)*c & 0xc0) != 0x80) {
                    fputs("…", stdout);
                    break;
                }
                putchar(*c == '\t' ? ' ' : *c);
                cols += ((unsigned char)*c & 0xc0) != 0x80;
            }
            if (color)
                fputs("\033[0m", stdout);
            putchar('\n');
            lines++;
        }
        p = eol ? eol + 1 : p + len;
    }
}

static char *unmarked(const char *s)
{
    char *out = strdup(s ? s : "");
    if (!out)
        return NULL;
    char *w = out;
    for (const char *c = out; *c; c++)
        if (*c != STORE_MARK_OPEN[0] && *c != STORE_MARK_CLOSE[0])
            *w++ = *c;
    *w = '\0';
    return out;
}

static void add_opt(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static int print_json(const related_hit *h)
{
    cJSON *o = cJSON_CreateObject();
    char *passage = unmarked(h->passage);
    if (!o || !passage) {
        cJSON_Delete(o);
        free(passage);
        return err_set(CAIRN_ERR_NOMEM, "out of memory writing JSON");
    }
    cJSON_AddStringToObject(o, "path", h->path);
    cJSON_AddStringToObject(o, "root", h->root);
    cJSON_AddStringToObject(o, "title", h->title);
    add_opt(o, "date", h->date);
    cJSON_AddNumberToObject(o, "score", (double)(long long)(h->score * 10000) / 10000);
    cJSON_AddNumberToObject(o, "start_line", h->start_line);
    cJSON_AddNumberToObject(o, "end_line", h->end_line);
    add_opt(o, "context", h->context);
    cJSON_AddStringToObject(o, "passage", passage);
    free(passage);
    return qjson_print_line(o);
}

static void print_human(const related_hit *h, int color)
{
    char shown[PATH_MAX * 2];
    cli_display_path(h->root, h->path, shown, sizeof shown);
    char date[16] = "";
    if (h->date)
        snprintf(date, sizeof date, "  (%.10s)", h->date);
    if (color)
        printf("\033[35m%s\033[0m:\033[32m%d-%d\033[0m  %.2f  \033[1m%s\033[0m%s\n", shown,
               h->start_line, h->end_line, h->score, h->title, date);
    else
        printf("%s:%d-%d  %.2f  %s%s\n", shown, h->start_line, h->end_line, h->score, h->title, date);
    print_passage(h->passage ? h->passage : "", color);
}

int cmd_related(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"index", required_argument, NULL, 'i'}, {"limit", required_argument, NULL, 'k'},
        {"json", no_argument, NULL, 'j'},        {"explain", no_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    const char *index_opt = NULL;
    int json = 0, explain = 0, c;
    related_opts o = {0};
    optind = 1;
    while ((c = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': index_opt = optarg; break;
        case 'k': {
            long long k = cli_parse_count("related", "-k", optarg, RELATED_MAX_K);
            if (k < 0)
                return CLI_USAGE;
            if (k == 0)
                return cli_usage_error("related", "-k must be at least 1");
            o.k = (int)k;
            break;
        }
        case 'j': json = 1; break;
        case 'e': explain = 1; break;
        default: return cli_usage_error("related", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("related", "no FILE given (use - to read a draft from standard input)");
    if (optind + 1 < argc)
        return cli_usage_error("related", "one FILE at a time");
    const char *arg = argv[optind];
    buf text;
    buf_init(&text, strcmp(arg, "-") == 0 ? TERMS_MAX_TEXT + 1 : 0);
    char *dir = NULL, *used = NULL;
    store *s = NULL;
    related_hit *hits = NULL;
    size_t n = 0;
    int rc = read_input(arg, &text);
    if (!rc)
        rc = cli_index_locate(index_opt, &dir);
    if (!rc)
        rc = store_open(dir, STORE_READ, &s);
    if (!rc && strcmp(arg, "-") != 0) {
        resolved_file f;
        if (resolve_file(s, arg, &f) == CAIRN_OK) {
            o.exclude_file_id = f.file_id;
            resolved_file_release(&f);
        }
    }
    o.text = buf_str(&text);
    o.len = text.len;
    if (!rc)
        rc = related_run(s, &o, &hits, &n, explain ? &used : NULL);
    int status = CLI_OK;
    if (!rc && used)
        fprintf(stderr, "cairn: related: searched for %s\n", used);
    if (!rc) {
        int color = !json && isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        for (size_t i = 0; i < n && !rc; i++) {
            if (json)
                rc = print_json(&hits[i]);
            else
                print_human(&hits[i], color);
        }
    }
    if (rc) {
        cli_error("related: %s", err_msg());
        status = CLI_FAIL;
    } else if (n == 0) {
        if (!json)
            fprintf(stderr, "cairn: no related documents for %s\n",
                    strcmp(arg, "-") == 0 ? "the draft" : arg);
        status = CLI_FAIL;
    }
    related_hits_free(hits, n);
    store_close(s);
    free(dir);
    free(used);
    buf_release(&text);
    return status;
}
