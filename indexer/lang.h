/*
 * lang.h — which language a file is written in, from its name or shebang.
 *
 * One static table holds a row per language: its name, whether it is code
 * or prose (which decides how the file is chunked and how results are
 * filtered), its extensions, exact file names and shebang interpreters.
 * Adding a language means adding one row in lang.c.
 *
 * Detection order (lang_detect):
 *   1. exact file name, case-insensitive ("Makefile", "CMakeLists.txt",
 *      ".bashrc"); a name written "Dockerfile." also matches as a prefix
 *      ("Dockerfile.dev").  Names come before extensions because some of
 *      them carry a misleading extension (CMakeLists.txt is not text).
 *   2. extension after the last dot of the base name, case-insensitive
 *      (".h" and ".H" are both "c"); a leading dot does not start an
 *      extension (".bashrc" has none).
 *   3. a "#!" first line in the head of the file: the interpreter's base
 *      name, looking through "env" and its options ("#!/usr/bin/env -S
 *      python3 -u"), with version suffixes dropped ("python3.11").
 *   4. otherwise "text" (prose): the caller has already checked the file is
 *      text, and an unknown text file is most likely notes or docs.
 */
#ifndef CAIRN_LANG_H
#define CAIRN_LANG_H

#include <stddef.h>

typedef enum lang_kind { LANG_CODE, LANG_PROSE } lang_kind;

typedef struct lang_info {
    const char *name;                /* lower-case, e.g. "python" */
    lang_kind kind;
    const char *const *extensions;   /* NULL-terminated, lower-case, no dot; may be NULL */
    const char *const *filenames;    /* NULL-terminated exact base names; may be NULL */
    const char *const *interpreters; /* NULL-terminated shebang names; may be NULL */
} lang_info;

/* The language of the file at rel_path (any path; only the base name is
 * used), looking at up to head_len bytes of its start for a shebang (head
 * may be NULL when head_len is 0).  Never NULL; points to static data. */
const lang_info *lang_detect(const char *rel_path, const char *head, size_t head_len);

/* The language called name (exact, lower-case), or NULL when there is none;
 * used to validate a user's --lang.  Static data. */
const lang_info *lang_by_name(const char *name);

/* Enumerate every language (for help text and error messages):
 * lang_at(i) for i < lang_count(); static data, NULL when i is out of range. */
size_t lang_count(void);
const lang_info *lang_at(size_t i);

/* "code" or "prose". */
const char *lang_kind_name(lang_kind kind);

#endif
