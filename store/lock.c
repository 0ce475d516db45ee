/*
 * lock.c — one writer per index: an advisory lock on DIR/index.lock.
 *
 * SQLite already serialises transactions, but an index run is many
 * transactions; two runs interleaving them would each delete what the
 * other just wrote.  The lock file holds the writer's PID so that a
 * second writer can say who it is waiting for.  The kernel drops the lock
 * when the holder dies, so a killed indexer never leaves it stuck.
 */
#include "store/store_int.h"
#include "util/err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define LOCK_NAME "index.lock"

int store_lock_acquire(const char *dir, int wait, int *fd_out)
{
    *fd_out = -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, LOCK_NAME);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(errno == EACCES || errno == EROFS ? CAIRN_ERR_PERM : CAIRN_ERR_IO,
                       "cannot open the lock file %s: %s", path, strerror(errno));
    while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        if (errno == EINTR)
            continue;
        int busy = errno == EWOULDBLOCK;
        char pid[32] = "";
        ssize_t n = busy ? pread(fd, pid, sizeof pid - 1, 0) : -1;
        pid[n > 0 ? n : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        close(fd);
        if (busy)
            return err_set(CAIRN_ERR_BUSY, "%s is being written by another cairn (process %s)",
                           dir, *pid ? pid : "unknown");
        return err_set(CAIRN_ERR_IO, "cannot lock %s: %s", path, strerror(errno));
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)len, 0) != len) {
        int e = errno;
        close(fd);
        return err_set(CAIRN_ERR_IO, "cannot write the lock file %s: %s", path, strerror(e));
    }
    *fd_out = fd;
    return CAIRN_OK;
}

void store_lock_release(int fd)
{
    if (fd < 0)
        return;
    /* The file stays (removing it would race with a writer opening it);
     * a stale PID in it is harmless, since only the lock counts. */
    close(fd);
}
