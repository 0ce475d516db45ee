/*
 * walk.c — deterministic file discovery under a root, honouring .gitignore.
 *
 * Each directory is read whole, sorted with strcmp, then visited in that
 * order, recursing into subdirectories while holding the parent's file
 * descriptor (so at most max_depth + a few descriptors are open).  Every
 * entry is reached with *at() calls relative to its parent's descriptor,
 * which keeps lookups cheap and stops a symlink swapped into the path from
 * being followed.
 */
#include "indexer/walk.h"

#include "indexer/ignore.h"
#include "util/buf.h"
#include "util/err.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct dev_ino {
    uint64_t dev, ino;
} dev_ino;

/* Open-addressing set of directories already entered. */
typedef struct seen_set {
    dev_ino *slots;
    unsigned char *used;
    size_t cap, n;
} seen_set;

typedef struct walker {
    const walk_opts *o;
    walk_file_fn on_file;
    walk_skip_fn on_skip;
    void *ctx;
    walk_stats *st;
    char path[PATH_MAX];  /* the entry being looked at, absolute */
    size_t relstart;      /* offset of the relative part in path */
    const char *root;     /* resolved root, for messages and containment */
    size_t rootlen;
    ignore_list **lists;  /* info/exclude, then one per .gitignore, root first */
    size_t nlists, caplists;
    seen_set seen;
    dev_ino *skip;        /* opts->skip_dirs that exist */
    size_t nskip;
    size_t max_depth;
} walker;

typedef struct dir_ent {
    const char *name;
    unsigned char type; /* DT_* from readdir; DT_UNKNOWN means stat to learn */
} dir_ent;

static int walk_dir(walker *w, int fd, size_t len, size_t depth);

const char *walk_skip_name(walk_skip reason)
{
    switch (reason) {
    case WALK_SKIP_TOO_BIG: return "too big";
    case WALK_SKIP_UNREADABLE: return "unreadable";
    case WALK_SKIP_SYMLINK: return "symlink";
    case WALK_SKIP_LOOP: return "loop";
    case WALK_SKIP_OUTSIDE_ROOT: return "outside root";
    case WALK_SKIP_SPECIAL: return "special file";
    case WALK_SKIP_TOO_DEEP: return "too deep";
    case WALK_SKIP_IGNORE_FILE: return "ignore file";
    case WALK_SKIP_COUNT: break;
    }
    return "unknown";
}

void walk_opts_init(walk_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_size = WALK_DEFAULT_MAX_SIZE;
    o->follow_symlinks = 0;
    o->use_gitignore = 1;
    o->max_depth = WALK_DEFAULT_MAX_DEPTH;
}

/* ---- helpers ------------------------------------------------------------ */

static void skip(walker *w, const char *path, walk_skip reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void skip(walker *w, const char *path, walk_skip reason, const char *fmt, ...)
{
    char detail[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    w->st->skipped[reason]++;
    if (w->on_skip)
        w->on_skip(w->ctx, path, reason, detail);
}

static size_t hash_dev_ino(dev_ino k)
{
    uint64_t h = k.ino * 0x9e3779b97f4a7c15ull ^ (k.dev + 0x632be59bd9b4e019ull);
    h ^= h >> 29;
    return (size_t)h;
}

/* Add k; 1 if it was already there, 0 if added, CAIRN_ERR_NOMEM. */
static int seen_add(seen_set *s, dev_ino k)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 256;
        dev_ino *slots = malloc(ncap * sizeof *slots);
        unsigned char *used = calloc(ncap, 1);
        if (!slots || !used) {
            free(slots);
            free(used);
            return err_set(CAIRN_ERR_NOMEM, "out of memory tracking visited directories");
        }
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->used[i])
                continue;
            size_t j = hash_dev_ino(s->slots[i]) & (ncap - 1);
            while (used[j])
                j = (j + 1) & (ncap - 1);
            used[j] = 1;
            slots[j] = s->slots[i];
        }
        free(s->slots);
        free(s->used);
        s->slots = slots;
        s->used = used;
        s->cap = ncap;
    }
    size_t j = hash_dev_ino(k) & (s->cap - 1);
    while (s->used[j]) {
        if (s->slots[j].dev == k.dev && s->slots[j].ino == k.ino)
            return 1;
        j = (j + 1) & (s->cap - 1);
    }
    s->used[j] = 1;
    s->slots[j] = k;
    s->n++;
    return 0;
}

static int push_list(walker *w, ignore_list *l)
{
    if (w->nlists == w->caplists) {
        size_t ncap = w->caplists ? w->caplists * 2 : 16;
        ignore_list **nl = realloc(w->lists, ncap * sizeof *nl);
        if (!nl) {
            ignore_list_free(l);
            return err_set(CAIRN_ERR_NOMEM, "out of memory for ignore lists");
        }
        w->lists = nl;
        w->caplists = ncap;
    }
    w->lists[w->nlists++] = l;
    return CAIRN_OK;
}

/* Act on an ignore_list_load*() result: keep what was read, report what
 * could not be.  Only running out of memory stops the walk. */
static int take_list(walker *w, int rc, ignore_list *l, const char *path)
{
    if (rc == CAIRN_ERR_NOMEM)
        return rc;
    /* NOTFOUND: gone since readdir.  INVALID: a symlinked or non-regular
     * ignore file, which git passes over too; the entry itself is reported
     * when the walk reaches it. */
    if (rc != CAIRN_OK && rc != CAIRN_ERR_NOTFOUND && rc != CAIRN_ERR_INVALID)
        skip(w, path, WALK_SKIP_IGNORE_FILE, "%s", err_msg());
    return l ? push_list(w, l) : CAIRN_OK;
}

static int is_pruned_name(const char *name)
{
    return !strcmp(name, ".git") || !strcmp(name, ".cairn") || !strcmp(name, ".hg") ||
           !strcmp(name, ".svn");
}

static int is_skip_dir(const walker *w, dev_ino k)
{
    for (size_t i = 0; i < w->nskip; i++)
        if (w->skip[i].dev == k.dev && w->skip[i].ino == k.ino)
            return 1;
    return 0;
}

static int inside_root(const walker *w, const char *real)
{
    if (w->rootlen == 1) /* root is "/" */
        return 1;
    return strncmp(real, w->root, w->rootlen) == 0 &&
           (real[w->rootlen] == '/' || real[w->rootlen] == '\0');
}

/* ---- entries ------------------------------------------------------------ */

static int emit_file(walker *w, const struct stat *st)
{
    if (w->o->max_size && (uint64_t)st->st_size > w->o->max_size) {
        skip(w, w->path, WALK_SKIP_TOO_BIG, "%lld bytes, over the %zu-byte cap",
             (long long)st->st_size, w->o->max_size);
        return CAIRN_OK;
    }
    walk_entry e = {
        .path = w->path,
        .rel = w->path + w->relstart,
        .size = (uint64_t)st->st_size,
        .mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
        .dev = (uint64_t)st->st_dev,
        .ino = (uint64_t)st->st_ino,
    };
    w->st->files++;
    return w->on_file(w->ctx, &e);
}

/* Enter the directory open on fd (whose path is w->path[0..len)); takes
 * ownership of fd. */
static int enter_dir(walker *w, int fd, size_t len, size_t depth)
{
    struct stat st;
    if (fstat(fd, &st) != 0) {
        skip(w, w->path, WALK_SKIP_UNREADABLE, "fstat: %s", strerror(errno));
        close(fd);
        return CAIRN_OK;
    }
    dev_ino k = {(uint64_t)st.st_dev, (uint64_t)st.st_ino};
    if (is_skip_dir(w, k)) {
        w->st->pruned++;
        close(fd);
        return CAIRN_OK;
    }
    int rc = seen_add(&w->seen, k);
    if (rc != 0) {
        close(fd);
        if (rc == 1) {
            skip(w, w->path, WALK_SKIP_LOOP, "directory already visited (dev %llu, inode %llu)",
                 (unsigned long long)k.dev, (unsigned long long)k.ino);
            return CAIRN_OK;
        }
        return rc;
    }
    if (w->o->on_dir)
        w->o->on_dir(w->o->dir_ctx, w->path);
    return walk_dir(w, fd, len, depth);
}

/* Report why an entry could not be opened or stat'ed: gone since readdir is
 * silent (counted as vanished), anything else is UNREADABLE. */
static void entry_error(walker *w, const char *what, int e)
{
    if (e == ENOENT || e == ENOTDIR)
        w->st->vanished++;
    else if (e == ELOOP)
        skip(w, w->path, WALK_SKIP_SYMLINK, "became a symlink during the walk; not followed");
    else
        skip(w, w->path, WALK_SKIP_UNREADABLE, "%s: %s", what, strerror(e));
}

static int follow_link(walker *w, const struct stat *target, size_t len, size_t depth)
{
    char *real = realpath(w->path, NULL);
    if (!real) {
        skip(w, w->path, WALK_SKIP_SYMLINK, "cannot resolve: %s", strerror(errno));
        return CAIRN_OK;
    }
    int rc = CAIRN_OK;
    if (!inside_root(w, real)) {
        skip(w, w->path, WALK_SKIP_OUTSIDE_ROOT, "points to %s", real);
    } else if (S_ISREG(target->st_mode)) {
        rc = emit_file(w, target);
    } else if (S_ISDIR(target->st_mode)) {
        if (depth + 1 > w->max_depth) {
            skip(w, w->path, WALK_SKIP_TOO_DEEP, "more than %zu levels below the root",
                 w->max_depth);
        } else {
            /* Open what was checked, not the link, which may change. */
            int fd = open(real, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (fd < 0)
                entry_error(w, "open", errno);
            else
                rc = enter_dir(w, fd, len, depth + 1);
        }
    } else {
        skip(w, w->path, WALK_SKIP_SPECIAL, "symlink to a special file");
    }
    free(real);
    return rc;
}

/* Visit one entry of the directory open on dfd whose path is
 * w->path[0..len). */
static int visit(walker *w, int dfd, const dir_ent *de, size_t len, size_t depth)
{
    const char *name = de->name;
    if (is_pruned_name(name)) {
        w->st->pruned++;
        return CAIRN_OK;
    }
    size_t nl = strlen(name);
    if (len + 1 + nl >= sizeof w->path) {
        skip(w, w->path, WALK_SKIP_TOO_DEEP, "entry %s would make a path longer than %d bytes",
             name, PATH_MAX);
        return CAIRN_OK;
    }
    w->path[len] = '/';
    memcpy(w->path + len + 1, name, nl + 1);
    size_t elen = len + 1 + nl;
    const char *rel = w->path + w->relstart;

    struct stat st, target;
    unsigned char type = de->type;
    /* Files need their stat anyway; other types come from readdir. */
    if (type == DT_UNKNOWN || type == DT_REG) {
        if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            entry_error(w, "stat", errno);
            return CAIRN_OK;
        }
        type = IFTODT(st.st_mode);
    }

    int is_dir = type == DT_DIR;
    int follow = type == DT_LNK && w->o->follow_symlinks;
    if (follow) {
        if (fstatat(dfd, name, &target, 0) != 0) {
            skip(w, w->path, WALK_SKIP_SYMLINK, "dangling: %s", strerror(errno));
            return CAIRN_OK;
        }
        /* A followed link is judged as what it leads to. */
        is_dir = S_ISDIR(target.st_mode);
    }
    if (w->nlists && ignore_match(w->lists, w->nlists, rel, is_dir)) {
        w->st->ignored++;
        return CAIRN_OK;
    }

    switch (type) {
    case DT_REG:
        return emit_file(w, &st);
    case DT_DIR: {
        if (depth + 1 > w->max_depth) {
            skip(w, w->path, WALK_SKIP_TOO_DEEP, "more than %zu levels below the root",
                 w->max_depth);
            return CAIRN_OK;
        }
        int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            entry_error(w, "opendir", errno);
            return CAIRN_OK;
        }
        return enter_dir(w, fd, elen, depth + 1);
    }
    case DT_LNK: {
        if (follow)
            return follow_link(w, &target, elen, depth);
        char to[256];
        ssize_t n = readlinkat(dfd, name, to, sizeof to - 1);
        to[n < 0 ? 0 : n] = '\0';
        skip(w, w->path, WALK_SKIP_SYMLINK, "-> %s%s", to,
             n == (ssize_t)sizeof to - 1 ? "..." : "");
        return CAIRN_OK;
    }
    default:
        skip(w, w->path, WALK_SKIP_SPECIAL, "%s",
             type == DT_FIFO ? "fifo" : type == DT_SOCK ? "socket"
             : type == DT_CHR || type == DT_BLK ? "device" : "unknown file type");
        return CAIRN_OK;
    }
}

/* ---- directories -------------------------------------------------------- */

static int cmp_ent(const void *a, const void *b)
{
    return strcmp(((const dir_ent *)a)->name, ((const dir_ent *)b)->name);
}

/* Read every entry of d into names (an arena) and *out, sorted.  Returns
 * CAIRN_OK, CAIRN_ERR_IO (readdir failed; reported by the caller),
 * CAIRN_ERR_TOOBIG (too many entries) or CAIRN_ERR_NOMEM. */
static int read_entries(DIR *d, buf *names, dir_ent **out, size_t *nout)
{
    size_t *offs = NULL, n = 0, cap = 0;
    unsigned char *types = NULL;
    int rc = CAIRN_OK;
    struct dirent *de;

    for (;;) {
        errno = 0;
        if (!(de = readdir(d))) {
            if (errno)
                rc = err_set(CAIRN_ERR_IO, "readdir: %s", strerror(errno));
            break;
        }
        const char *nm = de->d_name;
        if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
            continue;
        if (n == WALK_MAX_DIR_ENTRIES) {
            rc = err_set(CAIRN_ERR_TOOBIG, "more than %zu entries", WALK_MAX_DIR_ENTRIES);
            break;
        }
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            size_t *no = realloc(offs, ncap * sizeof *no);
            if (no)
                offs = no;
            unsigned char *nt = no ? realloc(types, ncap) : NULL;
            if (!nt) {
                rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing a directory");
                break;
            }
            types = nt;
            cap = ncap;
        }
        offs[n] = names->len;
        types[n] = de->d_type;
        if ((rc = buf_append(names, nm, strlen(nm) + 1)) != CAIRN_OK)
            break;
        n++;
    }
    if (rc == CAIRN_OK && n) {
        dir_ent *ents = malloc(n * sizeof *ents);
        if (!ents) {
            rc = err_set(CAIRN_ERR_NOMEM, "out of memory listing a directory");
        } else {
            /* names no longer grows, so pointers into it stay valid. */
            for (size_t i = 0; i < n; i++) {
                ents[i].name = names->data + offs[i];
                ents[i].type = types[i];
            }
            qsort(ents, n, sizeof *ents, cmp_ent);
            *out = ents;
            *nout = n;
        }
    }
    free(offs);
    free(types);
    return rc;
}

static int walk_dir(walker *w, int fd, size_t len, size_t depth)
{
    w->st->dirs++;
    w->path[len] = '\0';
    DIR *d = fdopendir(fd);
    if (!d) {
        skip(w, len ? w->path : "/", WALK_SKIP_UNREADABLE, "fdopendir: %s", strerror(errno));
        close(fd);
        return CAIRN_OK;
    }

    buf names;
    buf_init(&names, 0);
    dir_ent *ents = NULL;
    size_t n = 0;
    int rc = read_entries(d, &names, &ents, &n);
    if (rc == CAIRN_ERR_IO || rc == CAIRN_ERR_TOOBIG) {
        /* Half a listing would make the output depend on readdir order. */
        skip(w, len ? w->path : "/", rc == CAIRN_ERR_TOOBIG ? WALK_SKIP_TOO_BIG
                                                            : WALK_SKIP_UNREADABLE,
             "%s", err_msg());
        rc = CAIRN_OK;
        n = 0;
    }

    size_t nlists_before = w->nlists;
    const dir_ent key = {".gitignore", DT_UNKNOWN};
    const dir_ent *gi = rc == CAIRN_OK && w->o->use_gitignore && n
                            ? bsearch(&key, ents, n, sizeof *ents, cmp_ent)
                            : NULL;
    if (gi && (gi->type == DT_REG || gi->type == DT_UNKNOWN)) {
        ignore_list *l = NULL;
        const char *rel = len > w->relstart ? w->path + w->relstart : "";
        int lrc = ignore_list_load_at(dirfd(d), ".gitignore", rel, &l);
        char shown[PATH_MAX + 16];
        snprintf(shown, sizeof shown, "%s/.gitignore", w->path);
        rc = take_list(w, lrc, l, shown);
    }

    for (size_t i = 0; rc == CAIRN_OK && i < n; i++) {
        rc = visit(w, dirfd(d), &ents[i], len, depth);
        w->path[len] = '\0';
    }

    while (w->nlists > nlists_before)
        ignore_list_free(w->lists[--w->nlists]);
    free(ents);
    buf_release(&names);
    closedir(d);
    return rc;
}

/* ---- the root ----------------------------------------------------------- */

/* Read a one-line git pointer file ("gitdir: X" in .git, or a commondir
 * file) into out, resolved against dir.  0 when it cannot be read. */
static int read_git_pointer(const char *file, const char *prefix, const char *dir, char *out,
                            size_t outsz)
{
    char line[PATH_MAX];
    FILE *f = fopen(file, "re");
    if (!f)
        return 0;
    int ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    size_t pl = strlen(prefix);
    if (!ok || strncmp(line, prefix, pl) != 0)
        return 0;
    char *v = line + pl;
    size_t vl = strlen(v);
    while (vl && (v[vl - 1] == '\n' || v[vl - 1] == '\r' || v[vl - 1] == ' '))
        v[--vl] = '\0';
    if (!vl)
        return 0;
    int n = v[0] == '/' ? snprintf(out, outsz, "%s", v) : snprintf(out, outsz, "%s/%s", dir, v);
    return n > 0 && (size_t)n < outsz;
}

/* out = a + b; 0 when it does not fit (the git files are then left out). */
static int join(char *out, size_t outsz, const char *a, const char *b)
{
    int n = snprintf(out, outsz, "%s%s", a, b);
    return n > 0 && (size_t)n < outsz;
}

/* Push <root>/.git/info/exclude when root is a git work tree.  A .git file
 * (worktree or submodule) points to the git directory; a worktree's
 * info/exclude lives in the common directory it names. */
static int load_info_exclude(walker *w)
{
    char gitdir[PATH_MAX], common[PATH_MAX], file[PATH_MAX];
    struct stat st;

    if (!join(file, sizeof file, w->root, "/.git") || lstat(file, &st) != 0)
        return CAIRN_OK;
    if (S_ISDIR(st.st_mode)) {
        memcpy(gitdir, file, sizeof gitdir);
    } else if (!S_ISREG(st.st_mode) ||
               !read_git_pointer(file, "gitdir: ", w->root, gitdir, sizeof gitdir)) {
        return CAIRN_OK;
    }
    if (!join(file, sizeof file, gitdir, "/commondir") ||
        !read_git_pointer(file, "", gitdir, common, sizeof common))
        memcpy(common, gitdir, sizeof common);
    if (!join(file, sizeof file, common, "/info/exclude"))
        return CAIRN_OK;

    ignore_list *l = NULL;
    int rc = ignore_list_load(file, "", &l);
    return take_list(w, rc, l, file);
}

static int resolve_skip_dirs(walker *w)
{
    const char *const *sd = w->o->skip_dirs;
    size_t n = 0;
    while (sd && sd[n])
        n++;
    if (!n)
        return CAIRN_OK;
    if (!(w->skip = calloc(n, sizeof *w->skip)))
        return err_set(CAIRN_ERR_NOMEM, "out of memory for skip_dirs");
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(sd[i], &st) == 0 && S_ISDIR(st.st_mode))
            w->skip[w->nskip++] = (dev_ino){(uint64_t)st.st_dev, (uint64_t)st.st_ino};
    }
    return CAIRN_OK;
}

static int open_root(const char *root, char **real_out, int *fd_out)
{
    char *real = realpath(root, NULL);
    if (!real) {
        int e = errno;
        if (e == ENOENT)
            return err_set(CAIRN_ERR_NOTFOUND, "walk root %s: no such file or directory", root);
        if (e == EACCES)
            return err_set(CAIRN_ERR_PERM, "walk root %s: %s", root, strerror(e));
        if (e == ENOMEM)
            return err_set(CAIRN_ERR_NOMEM, "walk root %s: out of memory", root);
        return err_set(CAIRN_ERR_IO, "walk root %s: %s", root, strerror(e));
    }
    int fd = open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        int rc = e == ENOTDIR ? err_set(CAIRN_ERR_IO, "walk root %s is not a directory", root)
                 : e == EACCES || e == EPERM
                     ? err_set(CAIRN_ERR_PERM, "walk root %s: %s", root, strerror(e))
                     : err_set(CAIRN_ERR_IO, "walk root %s: %s", root, strerror(e));
        free(real);
        return rc;
    }
    *real_out = real;
    *fd_out = fd;
    return CAIRN_OK;
}

int walk_root(const char *root, const walk_opts *opts, walk_file_fn on_file,
              walk_skip_fn on_skip, void *ctx)
{
    walk_opts defaults;
    walk_stats local_stats;
    if (!root || !on_file)
        return err_set(CAIRN_ERR_INVALID, "walk_root: root and on_file are required");
    if (!opts) {
        walk_opts_init(&defaults);
        opts = &defaults;
    }

    char *real = NULL;
    int fd = -1;
    int rc = open_root(root, &real, &fd);
    if (rc != CAIRN_OK)
        return rc;

    walker *w = calloc(1, sizeof *w);
    if (!w) {
        close(fd);
        free(real);
        return err_set(CAIRN_ERR_NOMEM, "out of memory walking %s", root);
    }
    w->o = opts;
    w->on_file = on_file;
    w->on_skip = on_skip;
    w->ctx = ctx;
    w->st = opts->stats ? opts->stats : &local_stats;
    memset(w->st, 0, sizeof *w->st);
    w->root = real;
    w->rootlen = strlen(real);
    w->max_depth = opts->max_depth ? opts->max_depth : WALK_DEFAULT_MAX_DEPTH;
    /* For root "/" the path prefix is empty so children read "/name". */
    size_t len = w->rootlen == 1 ? 0 : w->rootlen;
    memcpy(w->path, real, len);
    w->path[len] = '\0';
    w->relstart = len + 1;

    rc = resolve_skip_dirs(w);
    if (rc == CAIRN_OK && opts->use_gitignore)
        rc = load_info_exclude(w);
    struct stat st;
    if (rc == CAIRN_OK && fstat(fd, &st) != 0)
        rc = err_set(CAIRN_ERR_IO, "fstat %s: %s", real, strerror(errno));
    if (rc == CAIRN_OK)
        rc = seen_add(&w->seen, (dev_ino){(uint64_t)st.st_dev, (uint64_t)st.st_ino});
    if (rc == CAIRN_OK) {
        if (w->o->on_dir)
            w->o->on_dir(w->o->dir_ctx, len ? w->path : "/");
        rc = walk_dir(w, fd, len, 0);
    } else {
        close(fd);
    }

    while (w->nlists)
        ignore_list_free(w->lists[--w->nlists]);
    free(w->lists);
    free(w->seen.slots);
    free(w->seen.used);
    free(w->skip);
    free(real);
    free(w);
    return rc;
}
