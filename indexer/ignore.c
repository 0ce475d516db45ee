/*
 * ignore.c — gitignore(5) pattern lists and git's wildmatch semantics.
 */
#include "indexer/ignore.h"

#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    PAT_NEGATIVE = 1u,  /* "!pattern": re-include */
    PAT_MUSTBEDIR = 2u, /* "pattern/": directories only */
    PAT_BASENAME = 4u,  /* no slash: match the basename at any depth */
    PAT_ENDSWITH = 8u   /* "*literal": a suffix compare is enough */
};

typedef struct ign_pattern {
    char *text;         /* without "!", the trailing "/" and one leading "/" */
    size_t len;
    size_t literal_len; /* leading bytes free of glob specials */
    unsigned flags;
} ign_pattern;

struct ignore_list {
    char *base;
    size_t baselen;
    ign_pattern *pats;
    size_t n, cap;
};

/* ---- wildmatch ---------------------------------------------------------- */

/* dowild() results.  The two aborts prune the backtracking: ABORT_ALL says
 * no shorter text can match either (the text ran out), ABORT_TO_STARSTAR
 * says a single "*" hit a "/" it may not cross, so only an enclosing "**"
 * can still help. */
enum { WM_MATCH = 0, WM_NOMATCH = 1, WM_ABORT_ALL = -1, WM_ABORT_TO_STARSTAR = -2 };

static int glob_special(unsigned char c)
{
    return c == '*' || c == '?' || c == '[' || c == '\\';
}

/* Whether c belongs to the POSIX class named name[0..len), in ASCII terms so
 * the result does not depend on the process locale; -1 for an unknown name
 * (git then fails the whole match). */
static int ascii_class(const unsigned char *name, size_t len, unsigned char c)
{
    int upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
    int digit = c >= '0' && c <= '9';
    int graph = c > 0x20 && c < 0x7f;
#define IS(n) (len == sizeof(n) - 1 && memcmp(name, n, len) == 0)
    if (IS("alnum")) return upper || lower || digit;
    if (IS("alpha")) return upper || lower;
    if (IS("blank")) return c == ' ' || c == '\t';
    if (IS("cntrl")) return c < 0x20 || c == 0x7f;
    if (IS("digit")) return digit;
    if (IS("graph")) return graph;
    if (IS("lower")) return lower;
    if (IS("print")) return graph || c == ' ';
    if (IS("punct")) return graph && !upper && !lower && !digit;
    if (IS("space")) return c == ' ' || (c >= '\t' && c <= '\r');
    if (IS("upper")) return upper;
    if (IS("xdigit")) return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
#undef IS
    return -1;
}

/* Match a "[...]" class starting at *pp (just past "[") against tc; leaves
 * *pp on the closing "]".  Returns 1/0, or WM_ABORT_ALL for a class that
 * never closes or names an unknown [:class:]. */
static int match_class(const unsigned char **pp, unsigned char tc)
{
    const unsigned char *p = *pp;
    unsigned char pc = *p, prev = 0;
    int negated, matched = 0;

    if (pc == '^')
        pc = '!';
    negated = pc == '!';
    if (negated)
        pc = *++p;
    /* The first member is taken literally even when it is "]". */
    do {
        if (!pc)
            return WM_ABORT_ALL;
        if (pc == '\\') {
            pc = *++p;
            if (!pc)
                return WM_ABORT_ALL;
            if (tc == pc)
                matched = 1;
        } else if (pc == '-' && prev && p[1] && p[1] != ']') {
            pc = *++p;
            if (pc == '\\') {
                pc = *++p;
                if (!pc)
                    return WM_ABORT_ALL;
            }
            if (tc <= pc && tc >= prev)
                matched = 1;
            pc = 0; /* a range end cannot start another range */
        } else if (pc == '[' && p[1] == ':') {
            const unsigned char *s = p + 2;
            for (p = s; *p && *p != ']'; p++)
                ;
            if (!*p)
                return WM_ABORT_ALL;
            if (p == s || p[-1] != ':') {
                /* No ":]": the "[" is an ordinary member. */
                p = s - 2;
                pc = '[';
                if (tc == pc)
                    matched = 1;
                continue;
            }
            int r = ascii_class(s, (size_t)(p - s - 1), tc);
            if (r < 0)
                return WM_ABORT_ALL;
            if (r)
                matched = 1;
            pc = 0;
        } else if (tc == pc) {
            matched = 1;
        }
    } while (prev = pc, (pc = *++p) != ']');
    *pp = p;
    return matched != negated;
}

/* Backtracking over long runs of star components can take exponential
 * time; a hostile .gitignore must not hang the walk, so each match gets a
 * budget of steps and a pattern that exhausts it does not match. */
#define GLOB_STEP_BUDGET 200000L

static int dowild(const unsigned char *p, const unsigned char *text, unsigned flags, long *budget)
{
    const unsigned char *const pat_start = p;
    if (--*budget < 0)
        return WM_ABORT_ALL;
    const int pathname = (flags & IGNORE_GLOB_PATHNAME) != 0;

    for (; *p; text++, p++) {
        unsigned char pc = *p, tc = *text;
        int match_slash;

        if (!tc && pc != '*')
            return WM_ABORT_ALL;
        switch (pc) {
        case '\\':
            pc = *++p; /* a trailing "\" matches nothing: tc is never NUL here */
            /* fall through */
        default:
            if (tc != pc)
                return WM_NOMATCH;
            continue;
        case '?':
            if (pathname && tc == '/')
                return WM_NOMATCH;
            continue;
        case '[': {
            p++;
            int r = match_class(&p, tc);
            if (r == WM_ABORT_ALL)
                return WM_ABORT_ALL;
            if (!r || (pathname && tc == '/'))
                return WM_NOMATCH;
            continue;
        }
        case '*':
            break;
        }

        /* A run of stars. */
        if (p[1] == '*') {
            const unsigned char *before = p - 1;
            while (p[1] == '*')
                p++;
            p++;
            if (!pathname) {
                match_slash = 1;
            } else if ((before < pat_start || *before == '/') &&
                       (!*p || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
                /* "**" as a whole component: first try it as zero
                 * directories so "a/" "**" "/b" matches "a/b". */
                if (*p == '/' && dowild(p + 1, text, flags, budget) == WM_MATCH)
                    return WM_MATCH;
                match_slash = 1;
            } else {
                match_slash = 0;
            }
        } else {
            p++;
            match_slash = !pathname;
        }

        if (!*p) {
            if (!match_slash && strchr((const char *)text, '/'))
                return WM_NOMATCH;
            return WM_MATCH;
        }
        if (!match_slash && *p == '/') {
            /* "*" then "/" consumes exactly one component. */
            const char *slash = strchr((const char *)text, '/');
            if (!slash)
                return WM_NOMATCH;
            text = (const unsigned char *)slash;
            continue; /* the loop step consumes the "/" on both sides */
        }
        for (;;) {
            if (!tc)
                break;
            if (!glob_special(*p)) {
                /* Skip ahead to the next occurrence of the literal that
                 * follows the star; everything before it is the star's. */
                unsigned char want = *p;
                while ((tc = *text) && (match_slash || tc != '/')) {
                    if (tc == want)
                        break;
                    text++;
                }
                if (tc != want)
                    return WM_NOMATCH;
            }
            int m = dowild(p, text, flags, budget);
            if (m != WM_NOMATCH) {
                if (!match_slash || m != WM_ABORT_TO_STARSTAR)
                    return m;
            } else if (!match_slash && tc == '/') {
                return WM_ABORT_TO_STARSTAR;
            }
            tc = *++text;
        }
        return WM_ABORT_ALL;
    }
    return *text ? WM_NOMATCH : WM_MATCH;
}

int ignore_glob(const char *pattern, const char *text, unsigned flags)
{
    if (strlen(pattern) > IGNORE_MAX_PATTERN_LEN)
        return err_set(CAIRN_ERR_TOOBIG, "glob pattern longer than %d bytes: %.40s...",
                       IGNORE_MAX_PATTERN_LEN, pattern);
    long budget = GLOB_STEP_BUDGET;
    return dowild((const unsigned char *)pattern, (const unsigned char *)text, flags, &budget) ==
           WM_MATCH;
}

/* ---- lists -------------------------------------------------------------- */

int ignore_list_new(const char *base_rel, ignore_list **out)
{
    *out = NULL;
    if (!base_rel)
        base_rel = "";
    if (base_rel[0] == '/')
        return err_set(CAIRN_ERR_INVALID, "ignore list base must be relative: %s", base_rel);
    ignore_list *l = calloc(1, sizeof *l);
    if (!l || !(l->base = strdup(base_rel))) {
        free(l);
        return err_set(CAIRN_ERR_NOMEM, "out of memory for ignore list of '%s'", base_rel);
    }
    l->baselen = strlen(l->base);
    while (l->baselen && l->base[l->baselen - 1] == '/')
        l->base[--l->baselen] = '\0';
    *out = l;
    return CAIRN_OK;
}

void ignore_list_free(ignore_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->pats[i].text);
    free(l->pats);
    free(l->base);
    free(l);
}

size_t ignore_list_count(const ignore_list *l) { return l ? l->n : 0; }

const char *ignore_list_base(const ignore_list *l) { return l->base; }

/* git's trim_trailing_spaces(): drop unescaped trailing spaces (not tabs);
 * a line ending in a lone backslash keeps everything. */
static size_t trim_trailing_spaces(const char *s, size_t len)
{
    size_t cut = len;
    int in_spaces = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == ' ') {
            if (!in_spaces)
                cut = i;
            in_spaces = 1;
            continue;
        }
        if (s[i] == '\\' && ++i == len)
            return len;
        in_spaces = 0;
    }
    return in_spaces ? cut : len;
}

/* Parse one line (len bytes, no newline) as git's add_pattern() does. */
static int add_line(ignore_list *l, const char *s, size_t len, const char *origin,
                    size_t lineno)
{
    if (len && s[len - 1] == '\r')
        len--;
    if (len == 0 || s[0] == '#')
        return CAIRN_OK;
    if (len > IGNORE_MAX_PATTERN_LEN)
        return err_set(CAIRN_ERR_TOOBIG, "%s:%zu: pattern longer than %d bytes, skipped",
                       origin, lineno, IGNORE_MAX_PATTERN_LEN);
    len = trim_trailing_spaces(s, len);

    unsigned flags = 0;
    if (len && s[0] == '!') {
        flags |= PAT_NEGATIVE;
        s++;
        len--;
    }
    if (len && s[len - 1] == '/') {
        flags |= PAT_MUSTBEDIR;
        len--;
    }
    if (!memchr(s, '/', len)) {
        flags |= PAT_BASENAME;
    } else if (s[0] == '/') {
        s++;
        len--;
    }
    if (len == 0) /* "", "!", "/" and the like can never match */
        return CAIRN_OK;
    if (l->n == IGNORE_MAX_PATTERNS)
        return err_set(CAIRN_ERR_TOOBIG, "%s:%zu: more than %d patterns, the rest ignored",
                       origin, lineno, IGNORE_MAX_PATTERNS);
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        ign_pattern *np = realloc(l->pats, ncap * sizeof *np);
        if (!np)
            return err_set(CAIRN_ERR_NOMEM, "%s:%zu: out of memory", origin, lineno);
        l->pats = np;
        l->cap = ncap;
    }
    ign_pattern *p = &l->pats[l->n];
    if (!(p->text = strndup(s, len)))
        return err_set(CAIRN_ERR_NOMEM, "%s:%zu: out of memory", origin, lineno);
    p->len = len;
    p->literal_len = 0;
    while (p->literal_len < len && !glob_special((unsigned char)s[p->literal_len]))
        p->literal_len++;
    if (s[0] == '*' && len > 1) {
        size_t i = 1;
        while (i < len && !glob_special((unsigned char)s[i]))
            i++;
        if (i == len)
            flags |= PAT_ENDSWITH;
    }
    p->flags = flags;
    l->n++;
    return CAIRN_OK;
}

int ignore_list_add(ignore_list *l, const char *pattern_line)
{
    return add_line(l, pattern_line, strlen(pattern_line),
                    l->baselen ? l->base : "(root)", 1);
}

int ignore_list_add_buffer(ignore_list *l, const char *data, size_t len, const char *origin)
{
    int warn = CAIRN_OK;
    size_t lineno = 0;
    char msg[256] = "";

    if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
        data += 3;
        len -= 3;
    }
    while (len) {
        const char *nl = memchr(data, '\n', len);
        size_t linelen = nl ? (size_t)(nl - data) : len;
        lineno++;
        /* A NUL ends the pattern, as it would in git's C strings. */
        int rc = add_line(l, data, strnlen(data, linelen), origin, lineno);
        if (rc == CAIRN_ERR_NOMEM)
            return rc;
        if (rc != CAIRN_OK) {
            /* Keep the first overlong line's complaint unless the pattern
             * cap is hit, which loses more and so matters more. */
            int capped = l->n == IGNORE_MAX_PATTERNS;
            if (warn == CAIRN_OK || capped)
                snprintf(msg, sizeof msg, "%s", err_msg());
            warn = rc;
            if (capped)
                break;
        }
        if (!nl)
            break;
        len -= linelen + 1;
        data = nl + 1;
    }
    if (warn != CAIRN_OK)
        return err_set(warn, "%s", msg);
    return CAIRN_OK;
}

static int load_fd(int fd, const char *name, const char *base_rel, ignore_list **out)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return err_set(CAIRN_ERR_IO, "stat %s: %s", name, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return err_set(CAIRN_ERR_INVALID, "ignore file %s is not a regular file", name);

    /* Read one byte past the cap to learn whether the file is longer. */
    size_t want = (size_t)st.st_size < IGNORE_MAX_FILE_BYTES ? (size_t)st.st_size
                                                              : IGNORE_MAX_FILE_BYTES;
    size_t cap = want + 1, got = 0;
    char *data = malloc(cap);
    if (!data)
        return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", name);
    for (;;) {
        if (got == cap) {
            if (cap > IGNORE_MAX_FILE_BYTES)
                break;
            /* The file grew since fstat. */
            size_t ncap = cap * 2 > IGNORE_MAX_FILE_BYTES + 1 ? IGNORE_MAX_FILE_BYTES + 1
                                                              : cap * 2;
            char *nd = realloc(data, ncap);
            if (!nd) {
                free(data);
                return err_set(CAIRN_ERR_NOMEM, "out of memory reading %s", name);
            }
            data = nd;
            cap = ncap;
        }
        ssize_t n = read(fd, data + got, cap - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(data);
            return err_set(e == EACCES ? CAIRN_ERR_PERM : CAIRN_ERR_IO, "read %s: %s", name,
                           strerror(e));
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }

    int truncated = got > IGNORE_MAX_FILE_BYTES;
    if (truncated) {
        /* Keep whole lines only: half a pattern could ignore too much. */
        got = IGNORE_MAX_FILE_BYTES;
        while (got && data[got - 1] != '\n')
            got--;
    }
    ignore_list *l;
    int rc = ignore_list_new(base_rel, &l);
    if (rc != CAIRN_OK) {
        free(data);
        return rc;
    }
    rc = ignore_list_add_buffer(l, data, got, name);
    free(data);
    if (rc == CAIRN_ERR_NOMEM) {
        ignore_list_free(l);
        return rc;
    }
    *out = l;
    if (truncated)
        return err_set(CAIRN_ERR_TOOBIG, "ignore file %s is larger than %zu bytes; "
                       "only its first %zu bytes are used", name, IGNORE_MAX_FILE_BYTES, got);
    return rc;
}

static int open_error(const char *name, int e)
{
    if (e == ENOENT || e == ENOTDIR)
        return err_set(CAIRN_ERR_NOTFOUND, "no ignore file %s", name);
    if (e == ELOOP)
        return err_set(CAIRN_ERR_INVALID, "ignore file %s is a symlink; not followed", name);
    if (e == EACCES || e == EPERM)
        return err_set(CAIRN_ERR_PERM, "open %s: %s", name, strerror(e));
    return err_set(CAIRN_ERR_IO, "open %s: %s", name, strerror(e));
}

/* O_NONBLOCK so a FIFO planted under the name cannot hang the open. */
#define IGNORE_OPEN_FLAGS (O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)

int ignore_list_load(const char *file_path, const char *base_rel, ignore_list **out)
{
    *out = NULL;
    int fd = open(file_path, IGNORE_OPEN_FLAGS);
    if (fd < 0)
        return open_error(file_path, errno);
    int rc = load_fd(fd, file_path, base_rel, out);
    close(fd);
    return rc;
}

int ignore_list_load_at(int dirfd, const char *name, const char *base_rel, ignore_list **out)
{
    char shown[4096];
    *out = NULL;
    if (base_rel && *base_rel)
        snprintf(shown, sizeof shown, "%s/%s", base_rel, name);
    else
        snprintf(shown, sizeof shown, "%s", name);
    int fd = openat(dirfd, name, IGNORE_OPEN_FLAGS | O_NOFOLLOW);
    if (fd < 0)
        return open_error(shown, errno);
    int rc = load_fd(fd, shown, base_rel, out);
    close(fd);
    return rc;
}

/* ---- matching ----------------------------------------------------------- */

static int pattern_matches(const ign_pattern *p, const char *name, const char *basename)
{
    if (p->flags & PAT_BASENAME) {
        if (p->literal_len == p->len)
            return strcmp(p->text, basename) == 0;
        if (p->flags & PAT_ENDSWITH) {
            size_t bl = strlen(basename), sl = p->len - 1;
            return sl <= bl && memcmp(p->text + 1, basename + bl - sl, sl) == 0;
        }
        long budget = GLOB_STEP_BUDGET;
        return dowild((const unsigned char *)p->text, (const unsigned char *)basename, 0, &budget) ==
               WM_MATCH;
    }
    if (strncmp(p->text, name, p->literal_len) != 0)
        return 0;
    if (p->literal_len == p->len)
        return name[p->len] == '\0';
    long budget = GLOB_STEP_BUDGET;
    return dowild((const unsigned char *)p->text, (const unsigned char *)name, IGNORE_GLOB_PATHNAME,
                  &budget) == WM_MATCH;
}

int ignore_match(ignore_list *const *lists, size_t n, const char *rel_path, int is_dir)
{
    const char *slash = strrchr(rel_path, '/');
    const char *basename = slash ? slash + 1 : rel_path;

    for (size_t i = n; i-- > 0;) {
        const ignore_list *l = lists[i];
        if (!l)
            continue;
        const char *name = rel_path;
        if (l->baselen) {
            if (strncmp(rel_path, l->base, l->baselen) != 0 || rel_path[l->baselen] != '/')
                continue;
            name = rel_path + l->baselen + 1;
        }
        for (size_t j = l->n; j-- > 0;) {
            const ign_pattern *p = &l->pats[j];
            if ((p->flags & PAT_MUSTBEDIR) && !is_dir)
                continue;
            if (pattern_matches(p, name, basename))
                return (p->flags & PAT_NEGATIVE) ? 0 : 1;
        }
    }
    return 0;
}
