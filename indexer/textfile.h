/*
 * textfile.h — read a file as UTF-8 text, or refuse it with a clear reason.
 *
 * Everything downstream (tokenizer, chunker, snippets) assumes valid UTF-8
 * without NUL bytes, so this module is the one gate files pass through:
 *   - only regular files, opened without following symbolic links;
 *   - a hard size cap checked before reading (and again while reading, in
 *     case the file grows);
 *   - a UTF-8 BOM is removed; UTF-16 LE/BE with a BOM is transcoded;
 *   - a NUL byte (outside UTF-16) means binary;
 *   - invalid UTF-8 that looks like Windows-1252 text is transcoded (old
 *     notes and Windows source files are often in it), anything else is
 *     refused as binary.
 * Line endings are kept exactly as they are.
 */
#ifndef CAIRN_TEXTFILE_H
#define CAIRN_TEXTFILE_H

#include <stddef.h>

#include "util/buf.h"

typedef struct textfile_info {
    const char *encoding; /* static: "utf-8", "utf-16le", "utf-16be" or "windows-1252" */
    int had_bom;          /* 1 when a byte-order mark was removed */
    size_t bom_len;       /* bytes of BOM removed from the start of the file (0, 2 or 3) */
    int transcoded;       /* 1 when the text was converted to UTF-8 (byte offsets differ from the file's) */
    size_t file_size;     /* size of the file on disk, in bytes */
} textfile_info;

/* Read the file at path into out as NUL-terminated UTF-8 text.
 *
 * out: a buf the caller initialised (buf_init) or zeroed; its previous
 * contents are released, and on return (success or failure) it is a valid
 * buf that the caller frees with buf_release.  Its cap becomes max_size for
 * the raw bytes, and up to 3 * max_size after transcoding (one
 * Windows-1252 byte can become three UTF-8 bytes).
 * info: may be NULL.
 *
 * Returns CAIRN_OK, or:
 *   CAIRN_ERR_NOTFOUND  the file does not exist (e.g. deleted meanwhile)
 *   CAIRN_ERR_PERM      permission denied
 *   CAIRN_ERR_INVALID   a symbolic link, directory, FIFO, device...
 *   CAIRN_ERR_TOOBIG    larger than max_size bytes
 *   CAIRN_ERR_BINARY    NUL bytes, or bytes that are neither UTF-8 nor
 *                       plausible Windows-1252, or broken UTF-16
 *   CAIRN_ERR_IO        any other read failure
 *   CAIRN_ERR_NOMEM
 * with a message naming path. */
int textfile_read(const char *path, size_t max_size, buf *out, textfile_info *info);

/* 1 when data (for instance the first few KiB of a file) does not look like
 * text by the rules textfile_read applies, else 0.  A multi-byte UTF-8
 * character cut off at the end of data is not held against it. */
int textfile_looks_binary(const char *data, size_t len);

#endif
