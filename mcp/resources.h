/*
 * resources.h — indexed files as MCP resources.
 *
 * Every indexed file is a text resource with the URI
 *   cairn://file/<path relative to its root>             (one root)
 *   cairn://file/<root name>/<path relative to its root> (several roots)
 * where a root's name is the last component of its path ("-2", "-3"...
 * appended when two roots share one).  Path bytes outside
 * [A-Za-z0-9-._~/] are percent-encoded.  resources/read accepts these
 * URIs, and also any cairn://file/<path> that the `read` tool would accept
 * (the same confinement in query/read.h: no "..", no way out of the
 * roots, indexed files only) with the same caps on lines and bytes.
 *
 * resources/list walks roots in path order and files in byte order of
 * their path; its cursor names the last file sent, so pages stay correct
 * when files are added or removed between calls.
 */
#ifndef CAIRN_MCP_RESOURCES_H
#define CAIRN_MCP_RESOURCES_H

#include "store/store.h"

#include <cjson/cJSON.h>
#include <stddef.h>

#define RESOURCES_SCHEME "cairn://file/"

/* One page of a resources/list result for revision rev, at most page_size
 * resources after cursor (NULL for the first page).  *result is the
 * caller's.  CAIRN_ERR_INVALID for a cursor that is not ours or no longer
 * names a root. */
int resources_list(store *s, const char *cursor, size_t page_size, int rev, cJSON **result);

/* The resources/read result for uri.  Errors: CAIRN_ERR_INVALID (not a
 * cairn://file/ URI, bad percent-encoding), CAIRN_ERR_PERM (refused: it
 * would lead out of the roots), CAIRN_ERR_NOTFOUND (no such indexed file),
 * and read errors; the message says which. */
int resources_read(store *s, const char *uri, cJSON **result);

/* The resources/templates/list result: the one cairn://file/{path}
 * template. */
int resources_templates(int rev, cJSON **result);

#endif
