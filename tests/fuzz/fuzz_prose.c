/*
 * fuzz_prose.c — fuzz target for the prose reader: Markdown with YAML or
 * TOML front matter, HTML, Org and reStructuredText, through the same
 * entry point the indexer uses (front matter, md4c, links, chunking).
 */
#include "tests/fuzz/fuzz.h"
#include "indexer/chunk.h"
#include "indexer/prose.h"

#include <stdlib.h>
#include <string.h>

#define MAX_INPUT (1 << 20)

int fuzz_prose(const uint8_t *data, size_t size)
{
    if (size < 1 || size > MAX_INPUT)
        return 0;
    /* The first byte picks the format; the rest is the document. */
    static const char *const langs[] = {"markdown", "html", "org", "rst", "text"};
    static const char *const names[] = {"note.md", "page.html", "notes.org", "doc.rst", "a.txt"};
    size_t which = data[0] % (sizeof langs / sizeof *langs);
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    prose_doc doc;
    chunk_list chunks;
    prose_doc_init(&doc);
    chunk_list_init(&chunks);
    if (prose_parse(names[which], langs[which], text, size - 1, NULL, &doc, &chunks) == 0) {
        size_t len = doc.body ? doc.body_len : size - 1;
        /* Every chunk must lie inside the text its offsets refer to. */
        for (size_t i = 0; i < chunks.n; i++)
            if (chunks.items[i].end_byte > len || chunks.items[i].start_byte > chunks.items[i].end_byte ||
                chunks.items[i].start_line < 1 || chunks.items[i].end_line < chunks.items[i].start_line)
                abort();
    }
    chunk_list_release(&chunks);
    prose_doc_release(&doc);
    free(text);
    return 0;
}
