/*
 * json.h — the JSON shapes of cairn's answers, shared by the CLI's --json
 * output and the MCP server's structured results, so that both speak the
 * same contract.  Every function returns a new cJSON object the caller
 * owns (cJSON_Delete), or NULL when out of memory.
 */
#ifndef CAIRN_QUERY_JSON_H
#define CAIRN_QUERY_JSON_H

#include "query/pack.h"
#include "query/repomap.h"
#include "query/symbols.h"
#include "store/store.h"
#include "store/symbols.h"

#include <cjson/cJSON.h>

/* A search result: path, root, start_line, end_line, symbol, kind, lang,
 * context, title, date, score, snippet (highlight marks removed), mtime. */
cJSON *qjson_hit(const store_hit *h);

/* Why a hit ranked where it did: {"score", "lexical": {"rank", "bm25"} or
 * null, "dense": {"rank", "cosine"} or null, "definition": rank or null}. */
cJSON *qjson_explain(const store_hit *h);

/* A definition: path, root, lang, name, qualname, kind, signature, doc,
 * start_line, end_line (+ "match" when match is not NULL). */
cJSON *qjson_sym(const store_sym *y, const char *match);

/* A reference: path, root, line, kind, name, qualifier, caller,
 * caller_kind, text (the source line, or null), confidence. */
cJSON *qjson_ref(const store_ref *r, const char *text, double confidence);

/* A callee: from, name, qualifier, kind, path, root, line, target
 * ({path, root, qualname, kind, start_line} or null), confidence. */
cJSON *qjson_callee(const symbols_callee *c);

/* A context pack: {"budget", "tokens", "items": [{"path", "root",
 * "start_line", "end_line", "symbol", "kind": "body|signature|map",
 * "text"}], "omitted": [{"path", "symbol"}]}. */
cJSON *qjson_pack(const pack *p);

/* A map of the code: {"budget", "tokens", "items": [{"path", "root",
 * "qualname", "kind", "start_line", "end_line", "signature", "score",
 * "depth"}], "text"}. */
cJSON *qjson_map(const repomap *m, size_t budget);

/* Print o on stdout as one line and delete it; CAIRN_ERR_NOMEM when o is
 * NULL or cannot be printed. */
int qjson_print_line(cJSON *o);

#endif
