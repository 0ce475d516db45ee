/*
 * schema.h — checking tool arguments against the tool's own inputSchema.
 *
 * Each tool declares its arguments once, as the JSON Schema that
 * tools/list publishes; the server checks every call against that same
 * schema before the tool runs, so the published contract and what is
 * enforced cannot drift apart, and handlers can trust types and ranges.
 *
 * The subset of JSON Schema cairn's tools use is supported:
 *   type (a name or a list of names: object, array, string, integer,
 *   number, boolean, null), enum (strings and numbers), minimum, maximum,
 *   minLength, maxLength (in bytes), items, minItems, maxItems,
 *   properties, required, additionalProperties: false.
 * Other keywords (title, description, default, examples...) are
 * annotations and are ignored.
 */
#ifndef CAIRN_MCP_SCHEMA_H
#define CAIRN_MCP_SCHEMA_H

#include <cjson/cJSON.h>

/* CAIRN_OK when value satisfies schema, else CAIRN_ERR_INVALID with a
 * message for a model to act on, naming the argument by its path under
 * name ("argument 'k' must be at most 100, not 500"). */
int schema_check(const cJSON *schema, const cJSON *value, const char *name);

#endif
