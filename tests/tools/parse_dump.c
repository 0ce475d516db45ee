/*
 * parse_dump.c — print what indexer/parse finds in files, one JSON object
 * per line, for tests/e2e/test_ctags.sh and for looking at a file by hand.
 *
 *   build/parse_dump [--lang LANG] [--refs] [--time] FILE...
 *
 * Each definition: {"file","lang","kind","name","qualname","line" (the
 * name's line, where ctags puts a tag),"start","end","parent" (qualname or
 * null),"signature","doc"}.  With --refs, each reference too:
 * {"file","ref","name","qualifier","line","in" (enclosing qualname or null)}.
 * With --time, one last line {"files","bytes","seconds","cpu_seconds"}
 * instead: parse and extraction time only (reading files is not counted).
 * With --floor as well, tree-sitter's parse alone (no queries): the floor
 * that extraction is measured against (bench/parse.sh).
 * The language comes from the file name (indexer/lang.h) unless --lang is
 * given; files cairn has no grammar for are skipped.  A file that cannot be
 * read or parsed is reported on stderr and makes the exit status 1.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tree_sitter/api.h>

#include "indexer/lang.h"
#include "indexer/parse.h"
#include "indexer/parse_langs.h"
#include "indexer/textfile.h"
#include "util/buf.h"
#include "util/err.h"

#define MAX_FILE ((size_t)64 << 20)

static void print_json(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);
    if (s) {
        puts(s);
        free(s);
    }
    cJSON_Delete(o);
}

static void dump(const char *path, const char *lang, const parse_result *r, int refs)
{
    for (size_t i = 0; i < r->nsymbols; i++) {
        const parse_symbol *s = &r->symbols[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", path);
        cJSON_AddStringToObject(o, "lang", lang);
        cJSON_AddStringToObject(o, "kind", s->kind);
        cJSON_AddStringToObject(o, "name", s->name);
        cJSON_AddStringToObject(o, "qualname", s->qualname);
        cJSON_AddNumberToObject(o, "line", s->name_line);
        cJSON_AddNumberToObject(o, "start", s->start_line);
        cJSON_AddNumberToObject(o, "end", s->end_line);
        if (s->parent >= 0)
            cJSON_AddStringToObject(o, "parent", r->symbols[s->parent].qualname);
        else
            cJSON_AddNullToObject(o, "parent");
        cJSON_AddStringToObject(o, "signature", s->signature);
        if (s->doc)
            cJSON_AddStringToObject(o, "doc", s->doc);
        else
            cJSON_AddNullToObject(o, "doc");
        print_json(o);
    }
    if (!refs)
        return;
    for (size_t i = 0; i < r->nrefs; i++) {
        const parse_ref *f = &r->refs[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", path);
        cJSON_AddStringToObject(o, "ref", f->kind);
        cJSON_AddStringToObject(o, "name", f->name);
        if (f->qualifier)
            cJSON_AddStringToObject(o, "qualifier", f->qualifier);
        else
            cJSON_AddNullToObject(o, "qualifier");
        cJSON_AddNumberToObject(o, "line", f->line);
        if (f->enclosing >= 0)
            cJSON_AddStringToObject(o, "in", r->symbols[f->enclosing].qualname);
        else
            cJSON_AddNullToObject(o, "in");
        print_json(o);
    }
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* tree-sitter's parse alone, as parse_file would run it. */
static int parse_floor(TSParser *ts, const char *lang, const char *text, size_t len)
{
    const parse_lang *l = parse_lang_find(lang);
    if (!l || !ts_parser_set_language(ts, l->grammar()))
        return 1;
    TSTree *t = ts_parser_parse_string(ts, NULL, text, (uint32_t)len);
    if (!t)
        return 1;
    ts_tree_delete(t);
    return 0;
}

int main(int argc, char **argv)
{
    const char *force = NULL;
    int refs = 0, timing = 0, floor_only = 0, status = 0, i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
            force = argv[++i];
        else if (strcmp(argv[i], "--refs") == 0)
            refs = 1;
        else if (strcmp(argv[i], "--time") == 0)
            timing = 1;
        else if (strcmp(argv[i], "--floor") == 0)
            floor_only = 1;
        else {
            fprintf(stderr, "usage: parse_dump [--lang LANG] [--refs] [--time [--floor]] FILE...\n");
            return 2;
        }
    }
    parser *p;
    TSParser *ts = ts_parser_new();
    if (!ts || parser_new(&p)) {
        fprintf(stderr, "parse_dump: %s\n", err_msg());
        return 1;
    }
    double seconds = 0, cpu = 0;
    size_t files = 0, bytes = 0;
    for (; i < argc; i++) {
        buf text;
        buf_init(&text, 0);
        if (textfile_read(argv[i], MAX_FILE, &text, NULL)) {
            fprintf(stderr, "parse_dump: %s\n", err_msg());
            buf_release(&text);
            status = 1;
            continue;
        }
        const char *lang = force ? force : lang_detect(argv[i], text.data, text.len)->name;
        if (!parse_supported(lang)) {
            buf_release(&text);
            continue;
        }
        parse_result r;
        parse_result_init(&r);
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        int rc = floor_only ? parse_floor(ts, lang, buf_str(&text), text.len)
                            : parse_file(p, lang, buf_str(&text), text.len, &r);
        seconds += clock_s(CLOCK_MONOTONIC) - t0;
        cpu += clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        files++;
        bytes += text.len;
        if (rc) {
            fprintf(stderr, "parse_dump: %s: %s\n", argv[i], err_msg());
            status = 1;
        } else if (r.timed_out) {
            fprintf(stderr, "parse_dump: %s: timed out\n", argv[i]);
        } else if (!timing) {
            dump(argv[i], lang, &r, refs);
        }
        parse_result_release(&r);
        buf_release(&text);
    }
    if (timing)
        printf("{\"files\":%zu,\"bytes\":%zu,\"seconds\":%.4f,\"cpu_seconds\":%.4f}\n", files, bytes,
               seconds, cpu);
    parser_free(p);
    ts_parser_delete(ts);
    return status;
}
