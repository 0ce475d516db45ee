/*
 * embed_local.h — the parts of the `local` embedder that its files share:
 * reading text as tokens (embed_local_text.c), the trained model and its
 * file (embed_local_model.c), the linear algebra (embed_local_la.c) and
 * training (embed_local_train.c).  The provider itself (embed_local.c) is
 * reached through indexer/embed.h; only embed_local*.c and their tests
 * include this header.
 *
 * The model gives every token of the index (cairn's tokenizer: identifier
 * parts, stemmed words) a vector.  The vectors come from what the index's
 * own text says about its code: the words of docstrings, comments and
 * headings are counted against every token of the chunk they sit in, and a
 * truncated SVD of that word x token association (positive PMI) places
 * tokens that the same words describe near each other — "retry", "backoff"
 * and "jitter" near "failure" when the comments around retrying code say
 * so.  A text's vector is the tf-idf weighted sum of its tokens' vectors,
 * normalised; chunks and queries are embedded alike.
 */
#ifndef CAIRN_EMBED_LOCAL_H
#define CAIRN_EMBED_LOCAL_H

#include "store/store.h"
#include "store/tokenize.h"

#include <stddef.h>
#include <stdint.h>

/* Bump when tokens, weights or training change meaning: the version is part
 * of the model's name, so vectors made by another version are not reused. */
#define EMBED_LOCAL_VERSION 1
#define EMBED_LOCAL_DIM 128
#define EMBED_LOCAL_MAX_DIM 1024
#define EMBED_LOCAL_MAX_VOCAB 65536   /* the most frequent tokens are kept */
#define EMBED_LOCAL_FILE "local-embedder.model"
#define EMBED_LOCAL_MAX_FILE ((size_t)1 << 30)

/* ---- text ---- */

/* Where a token stands in a chunk. */
enum {
    EMBED_LOCAL_WORDS,   /* natural language: prose, comments, docstrings,
                            string literals that read as words */
    EMBED_LOCAL_CODE,    /* code */
    EMBED_LOCAL_NAME,    /* the chunk's path and symbol */
    EMBED_LOCAL_HEADING, /* its heading path (prose) or enclosing class (code) */
};

/* Called for each token, with where it stands.  token is the folded,
 * stemmed part, valid only during the call.  A negative return stops the
 * walk and is returned. */
typedef int (*embed_local_token_fn)(void *ctx, int side, const char *token, int len);

/* Tokens of a chunk as embed_chunk_text wrote it ("path symbol (context)"
 * line, blank line, text): the language comes from the path, and comments
 * and strings are told from code by that language's syntax; *prose is set
 * when the language is prose.  Tokens of one character and numbers are
 * left out; English function words are left out of the model instead
 * (embed_local_stopword), which is cheaper than asking per token. */
int embed_local_chunk_tokens(tok_tokenizer *t, const char *text, size_t len, void *ctx,
                             embed_local_token_fn fn, int *prose);

/* The same tokens of any text, all as EMBED_LOCAL_WORDS: what a text is
 * embedded from. */
int embed_local_text_tokens(tok_tokenizer *t, const char *text, size_t len, void *ctx,
                            embed_local_token_fn fn);

/* Whether token[0, n) is an English function word, as the tokenizer
 * stems it ("the", "whi", "onli"): it says nothing about what code does. */
int embed_local_stopword(const char *token, size_t n);

/* ---- the model ---- */

typedef struct embed_local_model {
    int dim;
    uint32_t nvocab;
    char *strings;       /* the tokens, NUL-terminated, in id order (byte order) */
    size_t strings_len;
    uint32_t *offsets;   /* nvocab: token i at strings + offsets[i] */
    uint32_t *slots;     /* open addressing over the tokens: id + 1, 0 empty */
    uint32_t nslots;     /* a power of 2 */
    float *idf;          /* nvocab */
    float *vec;          /* nvocab x dim */
    int64_t chunks;      /* chunks it was trained on */
    uint64_t fingerprint;/* hash of everything above: names the model */
} embed_local_model;

void embed_local_model_free(embed_local_model *m);

/* Build offsets (when NULL), slots and the fingerprint from the rest. */
int embed_local_model_finish(embed_local_model *m);

/* The id of token[0, len), or -1 when the model does not know it. */
int64_t embed_local_lookup(const embed_local_model *m, const char *token, size_t len);

/* A text's vector (dim floats) from its distinct known tokens and their
 * counts: the tf-idf weighted sum, L2-normalised; all zero when n is 0. */
void embed_local_weigh(const embed_local_model *m, const uint32_t *ids, const uint32_t *tf,
                       size_t n, float *out);

/* Tokenize text (embed_local_text_tokens) and weigh it.  scratch holds
 * nvocab uint32_t, all zero, and is left so. */
int embed_local_embed(const embed_local_model *m, tok_tokenizer *t, const char *text,
                      size_t len, uint32_t *scratch, float *out);

/* Write m to path atomically (temporary file, fsync, rename). */
int embed_local_model_save(const embed_local_model *m, const char *path);

/* Read a model written by embed_local_model_save.  CAIRN_ERR_NOTFOUND when
 * there is no file, CAIRN_ERR_CORRUPT when it is truncated, damaged, of
 * another version, or not a model.  *out is the caller's. */
int embed_local_model_load(const char *path, embed_local_model **out);

/* ---- linear algebra (embed_local_la.c) ---- */

/* A sparse matrix in compressed rows, filled row by row. */
typedef struct embed_local_csr {
    uint32_t rows, cols, done; /* done: rows ended so far */
    size_t *row_start;         /* rows + 1 */
    uint32_t *col;
    float *val;
    size_t nnz, cap;
} embed_local_csr;

int embed_local_csr_init(embed_local_csr *m, uint32_t rows, uint32_t cols, size_t cap);
int embed_local_csr_push(embed_local_csr *m, uint32_t col, float v);
int embed_local_csr_end_row(embed_local_csr *m);
void embed_local_csr_release(embed_local_csr *m);

/* The leading right singular vectors of a sparse matrix, M ~ U diag(s) V^T,
 * of which training needs V and s. */
typedef struct embed_local_svd {
    int rank;      /* columns of v, may be below what was asked */
    double *s;     /* rank, descending */
    double *v;     /* cols x rank, row-major */
} embed_local_svd;

/* Randomized SVD (Halko, Martinsson and Tropp) with `iters` subspace
 * iterations and a fixed seed: the same matrix gives the same answer. */
int embed_local_svd_sparse(const embed_local_csr *m, int rank, int iters, embed_local_svd *out);
void embed_local_svd_release(embed_local_svd *s);

/* ---- training ---- */

typedef struct embed_local_params {
    int dim;             /* vector size */
    int min_df;          /* tokens in fewer chunks are left out */
    double max_df;       /* tokens in more than this share of chunks are left out of the
                            association (their idf still counts) */
    int top_k;           /* associations kept per word */
    double cds;          /* context-distribution smoothing exponent of PMI */
    double eig_power;    /* singular values are raised to this in the vectors */
    int iters;           /* subspace iterations of the SVD */
} embed_local_params;

void embed_local_params_init(embed_local_params *p);

/* What training read, kept so that the chunks it trained on are embedded
 * without reading them again: per chunk, the hash of its embedding text
 * (xxh3 of embed_chunk_text) and its distinct tokens (model ids) with
 * their counts. */
typedef struct embed_local_bags {
    uint64_t *hashes;   /* n, ascending */
    size_t *start;      /* n + 1: bag i is ids/tf[start[i] .. start[i + 1]) */
    uint32_t *ids, *tf;
    size_t n;
} embed_local_bags;

void embed_local_bags_release(embed_local_bags *b);

/* The bag of the text whose hash is h; 0 when none. */
int embed_local_bags_find(const embed_local_bags *b, uint64_t h, size_t *at);

/* Polled during training; nonzero stops it with CAIRN_ERR_CANCELLED. */
typedef int (*embed_local_stop_fn)(void *ctx);

/* Train on every chunk of s.  *out is the caller's (embed_local_model_free),
 * and so is *bags (embed_local_bags_release) when bags is not NULL.  An
 * index without chunks gives a model without tokens. */
int embed_local_train(store *s, const embed_local_params *p, embed_local_stop_fn stop,
                      void *stop_ctx, embed_local_model **out, embed_local_bags *bags);

#endif
