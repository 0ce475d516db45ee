/*
 * ignore.h — gitignore(5) patterns with git's own matching rules.
 *
 * An ignore_list holds the patterns of one source (a .gitignore, or
 * .git/info/exclude) together with the directory it governs, given as a
 * path relative to the walk root ("" for the root itself).  ignore_match()
 * decides a path against a stack of lists the way git does: deeper lists
 * override shallower ones and, within a list, the last matching pattern
 * wins; a "!" pattern re-includes.
 *
 * Matching follows git's dir.c and wildmatch: a pattern without a slash
 * (other than a trailing one) matches the basename at any depth below its
 * list's directory; any other slash anchors it to that directory; a
 * trailing "/" matches directories only; "*" and "?" never cross "/";
 * "[...]" classes take "!" or "^" negation, ranges and [:alpha:]-style
 * names; "**" spans directories only when it is a whole path component
 * (a leading "**" then "/", a trailing "/" then "**", or "/", "**", "/" in
 * the middle); elsewhere it acts as "*", as gitignore(5) documents and
 * recent git does (git 2.39 still let a literal prefix such as "foo" in
 * "foo**" + "/bar" cross directories).  Matching is byte-wise and
 * case-sensitive (git's default core.ignoreCase=false on Linux).
 *
 * ignore_match() judges the path alone.  git cannot re-include a file whose
 * parent directory is excluded; a caller honours that by not descending into
 * excluded directories (indexer/walk does) or by checking each ancestor.
 *
 * Caps: a pattern file is read up to IGNORE_MAX_FILE_BYTES, a list holds at
 * most IGNORE_MAX_PATTERNS patterns, and one pattern is at most
 * IGNORE_MAX_PATTERN_LEN bytes (which also bounds the matcher's recursion).
 */
#ifndef CAIRN_IGNORE_H
#define CAIRN_IGNORE_H

#include <stddef.h>

#define IGNORE_MAX_FILE_BYTES ((size_t)1 << 20)
#define IGNORE_MAX_PATTERNS 10000
#define IGNORE_MAX_PATTERN_LEN 4096

typedef struct ignore_list ignore_list;

/* A new empty list governing base_rel ("" for the root; no leading or
 * trailing "/").  *out is owned by the caller: ignore_list_free(). */
int ignore_list_new(const char *base_rel, ignore_list **out);

/* Read a pattern file into a new list governing base_rel.  Follows
 * symlinks (as git does for .git/info/exclude).
 * Returns CAIRN_ERR_NOTFOUND, with *out NULL, when file_path does not exist;
 * CAIRN_ERR_PERM/CAIRN_ERR_IO when it cannot be read; CAIRN_ERR_INVALID when
 * it is not a regular file.  Returns CAIRN_ERR_TOOBIG when the file passes a
 * cap; that error is a warning: *out is still set to the patterns read
 * before the cap (or before the overlong pattern, which is left out) and the
 * caller must free it.  On every other error *out is NULL. */
int ignore_list_load(const char *file_path, const char *base_rel, ignore_list **out);

/* As ignore_list_load() for dirfd/name, but refuses to follow a symlink at
 * name (CAIRN_ERR_INVALID), as git does for in-tree .gitignore files.
 * Messages name base_rel/name. */
int ignore_list_load_at(int dirfd, const char *name, const char *base_rel,
                        ignore_list **out);

/* Parse the lines of data[0..len) (LF or CRLF, a leading UTF-8 BOM skipped)
 * into l.  origin names the source in messages.  Returns CAIRN_ERR_TOOBIG
 * if a line is too long (that line is skipped, the rest are added) or the
 * pattern cap is reached (the rest are dropped). */
int ignore_list_add_buffer(ignore_list *l, const char *data, size_t len, const char *origin);

/* Add one line of a gitignore file (without its newline; a trailing CR is
 * dropped).  Blank lines and "#" comments are accepted and add nothing.
 * CAIRN_ERR_TOOBIG when the line is longer than IGNORE_MAX_PATTERN_LEN or
 * the list already holds IGNORE_MAX_PATTERNS patterns. */
int ignore_list_add(ignore_list *l, const char *pattern_line);

/* Number of patterns held (comments and blank lines not counted). */
size_t ignore_list_count(const ignore_list *l);

/* The directory the list governs, as given; valid until ignore_list_free. */
const char *ignore_list_base(const ignore_list *l);

/* Accepts NULL. */
void ignore_list_free(ignore_list *l);

/* 1 if rel_path (relative to the walk root, "/"-separated, no leading or
 * trailing "/") is ignored by lists[0..n), 0 if not.  lists are ordered
 * root-most (lowest precedence) first; NULL entries are skipped; a list
 * applies only to paths below its base.  is_dir says whether the path
 * names a directory (a symlink is not one, as in git). */
int ignore_match(ignore_list *const *lists, size_t n, const char *rel_path, int is_dir);

/* Flags for ignore_glob(). */
#define IGNORE_GLOB_PATHNAME 1u /* "*", "?" and classes never match "/" */

/* git's wildmatch(): 1 if text matches the glob pattern, 0 if not.  Without
 * IGNORE_GLOB_PATHNAME "*" matches "/" too. */
int ignore_glob(const char *pattern, const char *text, unsigned flags);

#endif
