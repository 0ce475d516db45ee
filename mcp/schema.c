/*
 * schema.c — a JSON Schema subset for checking tool arguments (see schema.h).
 */
#include "mcp/schema.h"

#include "util/buf.h"
#include "util/err.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_BYTES 256

static const cJSON *kw(const cJSON *schema, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(schema, key);
}

static int is_integer(const cJSON *v)
{
    double d = cJSON_GetNumberValue(v);
    return cJSON_IsNumber(v) && isfinite(d) && floor(d) == d;
}

static int has_type(const cJSON *v, const char *type)
{
    if (strcmp(type, "object") == 0)
        return cJSON_IsObject(v);
    if (strcmp(type, "array") == 0)
        return cJSON_IsArray(v);
    if (strcmp(type, "string") == 0)
        return cJSON_IsString(v);
    if (strcmp(type, "integer") == 0)
        return is_integer(v);
    if (strcmp(type, "number") == 0)
        return cJSON_IsNumber(v);
    if (strcmp(type, "boolean") == 0)
        return cJSON_IsBool(v);
    if (strcmp(type, "null") == 0)
        return cJSON_IsNull(v);
    return 0;
}

static const char *json_type_name(const cJSON *v)
{
    if (cJSON_IsObject(v))
        return "an object";
    if (cJSON_IsArray(v))
        return "an array";
    if (cJSON_IsString(v))
        return "a string";
    if (cJSON_IsNumber(v))
        return is_integer(v) ? "an integer" : "a number";
    if (cJSON_IsBool(v))
        return "a boolean";
    return "null";
}

static int check_type(const cJSON *schema, const cJSON *v, const char *name)
{
    if (!*name)
        name = "arguments";
    const cJSON *type = kw(schema, "type");
    if (!type)
        return CAIRN_OK;
    if (cJSON_IsString(type)) {
        if (has_type(v, type->valuestring))
            return CAIRN_OK;
        return err_set(CAIRN_ERR_INVALID, "argument '%s' must be of type %s, not %s", name,
                       type->valuestring, json_type_name(v));
    }
    buf want;
    buf_init(&want, 1024);
    const cJSON *t;
    cJSON_ArrayForEach(t, type) {
        if (cJSON_IsString(t) && has_type(v, t->valuestring)) {
            buf_release(&want);
            return CAIRN_OK;
        }
        if (cJSON_IsString(t))
            buf_printf(&want, "%s%s", want.len ? " or " : "", t->valuestring);
    }
    int rc = err_set(CAIRN_ERR_INVALID, "argument '%s' must be of type %s, not %s", name,
                     buf_str(&want), json_type_name(v));
    buf_release(&want);
    return rc;
}

static int check_enum(const cJSON *schema, const cJSON *v, const char *name)
{
    const cJSON *en = kw(schema, "enum");
    if (!en)
        return CAIRN_OK;
    buf list;
    buf_init(&list, 1024);
    const cJSON *e;
    cJSON_ArrayForEach(e, en) {
        if (cJSON_Compare(e, v, 1)) {
            buf_release(&list);
            return CAIRN_OK;
        }
        char *t = cJSON_PrintUnformatted(e);
        buf_printf(&list, "%s%s", list.len ? ", " : "", t ? t : "?");
        cJSON_free(t);
    }
    int rc = err_set(CAIRN_ERR_INVALID, "argument '%s' must be one of %s", name, buf_str(&list));
    buf_release(&list);
    return rc;
}

static int check_bounds(const cJSON *schema, const cJSON *v, const char *name)
{
    const cJSON *lo = kw(schema, "minimum"), *hi = kw(schema, "maximum");
    if (cJSON_IsNumber(v)) {
        double d = cJSON_GetNumberValue(v);
        if (cJSON_IsNumber(lo) && d < lo->valuedouble)
            return err_set(CAIRN_ERR_INVALID, "argument '%s' must be at least %g, not %g", name,
                           lo->valuedouble, d);
        if (cJSON_IsNumber(hi) && d > hi->valuedouble)
            return err_set(CAIRN_ERR_INVALID, "argument '%s' must be at most %g, not %g", name,
                           hi->valuedouble, d);
    }
    if (cJSON_IsString(v)) {
        size_t n = strlen(v->valuestring);
        lo = kw(schema, "minLength");
        hi = kw(schema, "maxLength");
        if (cJSON_IsNumber(lo) && (double)n < lo->valuedouble)
            return err_set(CAIRN_ERR_INVALID, "argument '%s' must not be empty", name);
        if (cJSON_IsNumber(hi) && (double)n > hi->valuedouble)
            return err_set(CAIRN_ERR_INVALID, "argument '%s' is longer than %g bytes", name,
                           hi->valuedouble);
    }
    if (cJSON_IsArray(v)) {
        double n = cJSON_GetArraySize(v);
        lo = kw(schema, "minItems");
        hi = kw(schema, "maxItems");
        if (cJSON_IsNumber(lo) && n < lo->valuedouble)
            return err_set(CAIRN_ERR_INVALID, "argument '%s' needs at least %g items", name,
                           lo->valuedouble);
        if (cJSON_IsNumber(hi) && n > hi->valuedouble)
            return err_set(CAIRN_ERR_INVALID, "argument '%s' takes at most %g items", name,
                           hi->valuedouble);
    }
    return CAIRN_OK;
}

static int check_object(const cJSON *schema, const cJSON *v, const char *name)
{
    const cJSON *props = kw(schema, "properties");
    const cJSON *req = kw(schema, "required");
    const cJSON *extra = kw(schema, "additionalProperties");
    char sub[NAME_MAX_BYTES];
    const cJSON *r;
    cJSON_ArrayForEach(r, req) {
        if (cJSON_IsString(r) && !cJSON_GetObjectItemCaseSensitive(v, r->valuestring))
            return err_set(CAIRN_ERR_INVALID, "missing required argument '%s'", r->valuestring);
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, v) {
        const cJSON *ps = props ? cJSON_GetObjectItemCaseSensitive(props, m->string) : NULL;
        snprintf(sub, sizeof sub, "%s%s%s", name, *name ? "." : "", m->string);
        if (ps) {
            int rc = schema_check(ps, m, sub);
            if (rc)
                return rc;
            continue;
        }
        if (cJSON_IsFalse(extra)) {
            buf known;
            buf_init(&known, 2048);
            const cJSON *p;
            cJSON_ArrayForEach(p, props)
                buf_printf(&known, "%s%s", known.len ? ", " : "", p->string);
            int rc = err_set(CAIRN_ERR_INVALID, "unknown argument '%s'; the arguments are: %s",
                             sub, known.len ? buf_str(&known) : "(none)");
            buf_release(&known);
            return rc;
        }
    }
    return CAIRN_OK;
}

int schema_check(const cJSON *schema, const cJSON *value, const char *name)
{
    int rc = check_type(schema, value, name);
    if (!rc)
        rc = check_enum(schema, value, name);
    if (!rc)
        rc = check_bounds(schema, value, name);
    if (!rc && cJSON_IsObject(value))
        rc = check_object(schema, value, name);
    const cJSON *items = kw(schema, "items");
    if (!rc && cJSON_IsArray(value) && cJSON_IsObject(items)) {
        char sub[NAME_MAX_BYTES];
        int i = 0;
        const cJSON *e;
        cJSON_ArrayForEach(e, value) {
            snprintf(sub, sizeof sub, "%s[%d]", name, i++);
            if ((rc = schema_check(items, e, sub)))
                break;
        }
    }
    return rc;
}
