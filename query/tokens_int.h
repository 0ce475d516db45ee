/*
 * tokens_int.h — what the token estimate's scanner (tokens.c) and its
 * fitted tables (tokens_tables.c) share: the character and piece classes
 * the tables are indexed by, and the shape of one encoding's model.  Only
 * those two files include it; everyone else uses query/tokens.h.
 */
#ifndef CAIRN_QUERY_TOKENS_INT_H
#define CAIRN_QUERY_TOKENS_INT_H

#include "query/tokens.h"

/* Character categories as the pre-tokenizer regexes see them.  Non-ASCII
 * letters and marks count as both upper and lower case (CAT_LETTER), as
 * most of them (CJK, marks) do in o200k's character classes. */
enum { CAT_LOWER, CAT_UPPER, CAT_LETTER, CAT_DIGIT, CAT_NL, CAT_SPACE, CAT_PUNCT };

/* Unit classes: the alphabet of the pair table.  Each ASCII letter, in
 * each case, and each punctuation character has a class of its own;
 * non-ASCII characters fall into a few classes by script or kind. */
enum {
    U_CTRL = 0,      /* tab, CR, LF and other control characters */
    U_LOWER = 1,     /* 1..26: a..z */
    U_SPACE = 27,
    U_PUNCT = 28,    /* 28..59: the 32 ASCII punctuation characters */
    U_GENPUNCT = 60, /* U+2000..U+206F: quotes, dashes, bullets, ellipsis */
    U_NA2 = 61,      /* other two-byte letters: Greek, Cyrillic, Hebrew, Arabic */
    U_NA3 = 62,      /* other letters: Indic, Thai, astral scripts */
    U_SYM = 63,      /* other symbols, bytes that are not UTF-8; digits (never in pairs) */
    U_UPPER = 64,    /* 64..89: A..Z */
    U_LATIN1 = 90,   /* U+0080..U+00BF: C1 controls, Latin-1 signs */
    U_BOX = 91,      /* U+2500..U+25FF: box drawing, blocks, shapes */
    U_EMOJI = 92,    /* U+1F000..U+1FAFF */
    U_CJK = 93,      /* U+3040..U+9FFF: kana, CJK ideographs */
    U_LATIN = 94,    /* U+00C0..U+024F: accented Latin letters */
    U_HANGUL = 95,   /* U+AC00..U+D7AF */
    NUNITS = 96
};

/* Blocks of non-ASCII characters, each with its own cost for the splits
 * the tokenizer makes inside a character's bytes: 128-codepoint blocks
 * below U+3000, then wider ranges. */
enum { BLK_CJK_SYM = 96, BLK_CJK_A = 97, BLK_CJK = 98, BLK_YI = 99, BLK_HANGUL = 100,
       BLK_PRIVATE = 101, BLK_COMPAT = 102, BLK_ASTRAL = 103, BLK_EMOJI = 104,
       BLK_ASTRAL_HI = 105, BLK_INVALID = 106, NBLOCKS = 107 };

/* Costs are kept in 1/SCALE tokens. */
#define SCALE 256

/* Piece classes: the index of the correction table. */
#define LENS 16
enum { LEAD_NONE, LEAD_SPACE, LEAD_OTHER, NLEADS };
enum { SHAPE_LOWER, SHAPE_CAPITAL, SHAPE_UPPER, SHAPE_MIXED, SHAPE_LATIN, SHAPE_NONASCII, SHAPE_CJK,
       NSHAPES };
enum {
    CLS_WORD = 0,                                /* lead x shape x length */
    CLS_PUNCT = CLS_WORD + NLEADS * NSHAPES * LENS, /* leading space x length */
    CLS_NEWLINE = CLS_PUNCT + 2 * LENS,          /* other whitespace x newlines */
    CLS_SPACE = CLS_NEWLINE + 2 * LENS,          /* not only ' ' x length */
    CLS_DIGIT = CLS_SPACE + 2 * LENS,            /* 1..3 digits */
    CLS_CONTRACTION = CLS_DIGIT + 3,             /* cl100k's 's, 't, 're... */
    NCLASSES = CLS_CONTRACTION + 1
};

/* A character repeating the one before it for the RUN-th time or more
 * ("====", "\"\"\"\"") has its own split chance: vocabularies hold runs of
 * some characters up to a length and not of others. */
#define RUN 3

typedef struct model {
    const char (*pair)[NUNITS + 1]; /* split chance, '0' + 64ths; row NUNITS: none */
    const short *run;               /* NUNITS, split chance in a long run, 1/256 tokens */
    const short *uni;               /* NBLOCKS, 1/256 tokens */
    const short *corr;              /* NCLASSES, 1/256 tokens */
    const short *slope;             /* per LENS classes: 1/256 tokens per unit past LENS */
    int cl100k;                     /* cl100k's regex rather than o200k's */
} model;

/* The fitted model of each encoding, indexed by enum tokens_encoding. */
extern const model tokens_models[];

#endif
