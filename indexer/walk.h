/*
 * walk.h — deterministic discovery of the files under a root.
 *
 * walk_root() visits every regular file below a root directory, in strcmp
 * order within each directory, and reports what it passes over and why.
 * It honours .gitignore files the way `git ls-files --others
 * --exclude-standard` does: one in every directory, each governing its own
 * subtree with deeper files overriding shallower ones, plus
 * <root>/.git/info/exclude (lowest precedence) when the root is a git work
 * tree.  It never enters an ignored directory, so nothing below one can be
 * re-included, exactly as in git.  Entries named .git, .cairn, .hg and .svn
 * are never entered or reported.
 *
 * Not consulted: .gitignore files above the root, core.excludesFile (the
 * user's global ignore file) and the git index (a tracked file that matches
 * an ignore pattern is still skipped).
 *
 * Directories are read through file descriptors with O_NOFOLLOW, so with
 * follow_symlinks off a symlink swapped in during the walk is never
 * followed.  Files are only stat'ed, not opened: whoever reads a reported
 * file must still open it defensively.
 */
#ifndef CAIRN_WALK_H
#define CAIRN_WALK_H

#include <stddef.h>
#include <stdint.h>

/* Why an entry was passed over.  Ignored entries are not reported; they
 * are only counted in walk_stats. */
typedef enum walk_skip {
    WALK_SKIP_TOO_BIG = 0,  /* a file over walk_opts.max_size; or a directory
                               with more than WALK_MAX_DIR_ENTRIES entries */
    WALK_SKIP_UNREADABLE,   /* opendir/stat/readdir failed (EACCES...); the
                               walk goes on without it */
    WALK_SKIP_SYMLINK,      /* a symlink not followed (follow_symlinks off),
                               or a dangling one */
    WALK_SKIP_LOOP,         /* a directory already visited, by (dev, ino):
                               a link back to an ancestor, or a second path to
                               one directory (walked at the first path in walk
                               order, reported LOOP at the others) */
    WALK_SKIP_OUTSIDE_ROOT, /* a symlink whose target resolves outside root */
    WALK_SKIP_SPECIAL,      /* fifo, socket, device */
    WALK_SKIP_TOO_DEEP,     /* deeper than max_depth, or a path >= PATH_MAX */
    WALK_SKIP_IGNORE_FILE,  /* a .gitignore or info/exclude that could not be
                               read, or only in part (over a cap); the walk
                               uses whatever patterns it could read */
    WALK_SKIP_COUNT
} walk_skip;

/* A short constant name for a reason ("too big", "symlink"...). */
const char *walk_skip_name(walk_skip reason);

#define WALK_DEFAULT_MAX_SIZE ((size_t)2 << 20) /* 2 MiB */
#define WALK_DEFAULT_MAX_DEPTH 256
#define WALK_MAX_DIR_ENTRIES ((size_t)1 << 20)

typedef struct walk_stats {
    size_t files;                    /* passed to on_file */
    size_t dirs;                     /* directories entered, the root included */
    size_t ignored;                  /* files and directories excluded by ignore
                                        rules (contents of ignored directories
                                        are not counted: they are never read) */
    size_t pruned;                   /* .git/.cairn/.hg/.svn and skip_dirs */
    size_t vanished;                 /* removed between readdir and stat/open;
                                        passed over silently */
    size_t skipped[WALK_SKIP_COUNT]; /* each reported skip, by reason */
} walk_stats;

/* Called for each directory entered, the root first; path is absolute and
 * valid only during the call.  Lets a watcher follow the same tree. */
typedef void (*walk_dir_fn)(void *ctx, const char *path);

typedef struct walk_opts {
    size_t max_size;               /* larger files: WALK_SKIP_TOO_BIG; 0 = no cap */
    int follow_symlinks;           /* follow links whose target is inside root */
    const char *const *skip_dirs;  /* NULL-terminated directories never entered
                                      (e.g. the index folder), matched by
                                      (dev, ino); ones that do not exist are
                                      ignored; may be NULL */
    int use_gitignore;             /* honour .gitignore and info/exclude */
    size_t max_depth;              /* directory levels below root; 0 = default */
    walk_stats *stats;             /* zeroed and filled in when not NULL */
    walk_dir_fn on_dir;            /* may be NULL */
    void *dir_ctx;                 /* for on_dir */
} walk_opts;

/* Defaults: max_size 2 MiB, no symlinks followed, no skip_dirs, gitignore
 * honoured, max_depth 256, no stats. */
void walk_opts_init(walk_opts *o);

typedef struct walk_entry {
    const char *path; /* absolute: the resolved root joined with rel */
    const char *rel;  /* relative to the root, "/"-separated */
    uint64_t size;
    int64_t mtime_ns; /* nanoseconds since the epoch */
    uint64_t dev;
    uint64_t ino;
} walk_entry;

/* Called once per file.  e and its strings are valid only during the call.
 * A nonzero return stops the walk; walk_root() returns that value. */
typedef int (*walk_file_fn)(void *ctx, const walk_entry *e);

/* Called once per entry passed over.  path is absolute; detail (may be
 * NULL) says more, e.g. the errno text or the size; both valid only during
 * the call. */
typedef void (*walk_skip_fn)(void *ctx, const char *path, walk_skip reason,
                             const char *detail);

/* Walk root (resolved with realpath first).  opts may be NULL (defaults);
 * on_skip may be NULL.  Returns CAIRN_OK when the walk completed, the first
 * nonzero on_file return, or a CAIRN_ERR_* with a message:
 * CAIRN_ERR_NOTFOUND when root does not exist, CAIRN_ERR_IO when it is not
 * a directory (or realpath fails otherwise), CAIRN_ERR_PERM when it cannot
 * be read, CAIRN_ERR_NOMEM.  Problems below the root never fail the walk:
 * they are reported through on_skip, except entries removed between readdir
 * and stat/open, which are passed over silently and counted in
 * walk_stats.vanished.  Files are stat'ed, not opened, so an unreadable
 * file is reported to on_file and fails later, when it is read. */
int walk_root(const char *root, const walk_opts *opts, walk_file_fn on_file,
              walk_skip_fn on_skip, void *ctx);

#endif
