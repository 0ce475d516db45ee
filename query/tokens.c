/*
 * tokens.c — the token estimate: a scanner that cuts text where the
 * o200k_base or cl100k_base pre-tokenizer regex would, and a cost for
 * each piece from tables fitted against the real tokenizer.
 */
#include "query/tokens.h"

#include <stdint.h>

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

/* The fitted tables, per encoding.  tests/tokens/fit.mjs writes them from
 * what the real tokenizer (js-tiktoken) makes of the training half of the
 * corpora: the Python standard library, the C headers in /usr/include,
 * npm's JavaScript, the TIL notes, and a little CJK and translated text.
 *   pair   the share of adjacent characters of classes a, b inside a piece
 *          that the tokenizer splits, in 64ths, as '0' + n (and a last
 *          row of none, for the first character of a piece);
 *   run    the same inside a run of one character, from RUN repeats on,
 *          in 1/SCALE tokens (ASCII: measured on the character repeated);
 *   uni    splits inside one non-ASCII character's bytes, by block;
 *   corr   the mean remaining tokens of a piece class, times the bias;
 *   slope  for the longest length class, per unit past LENS.
 * The bias (the fit's target is the real count times it) leans the
 * estimate high so that text sized by it to a budget stays inside the
 * budget by the real count.  tests/tokens/measure.mjs reports the error
 * on the held-out half. */
/* BEGIN FITTED TABLES: written by tests/tokens/fit.mjs (bias 1.025) */
static const char o200k_pair[NUNITS + 1][NUNITS + 1] = {
    "0<11462111221D2A>173410B2<2422222222222222822222222222222222o22o]28G]B12K228ED1722B8C27222ooo222", /* control */
    "2B000F203300000E0@0002010002222222\?2222222222222222222222222o22o22222222222222222222222222ooo912", /* a */
    "22DIC1[O^81b1W[3QC2GN2[aQ0O2222222n2222222222222222222222222o22o22222222222222222222222222ooo2M2", /* b */
    "22I2=1_^04R018R1\?\?1<05;F;212222222Q2222222222222222222222222o22o22222222222222222222222222ooo2C2", /* c */
    "2::T01Z5`4`\?8KR4ih84J2=[;2E2222222L2222222222222222222222222o22o22222222222222222222222222ooo232", /* d */
    "23920312B8H2110981000;4101M222222282222222222222222222222222o22o22222222222222222222222222ooo242", /* e */
    "22CN@41GB1S27D\?08@1=12GR\?022222222h2222222222222222222222222o22o22222222222222222222222222ooo232", /* f */
    "2<HYk1kH05294B12nJ26256I;T;2222222U2222222222222222222222222o22o22222222222222222222222222ooo222", /* g */
    "24\?iM0ZKW12`TD>1NI5805RRD9>2222222N2222222222222222222222222o22o22222222222222222222222222ooo222", /* h */
    "22000000S2=000000900000Q0102222222M2222222222222222222222222o92o22222222222222222222222222ooo2F2", /* i */
    "232F@09=<BG<>9S1;8M184CM\?T2222222292222222222222222222222222o22o22222222222222222222222222ooo222", /* j */
    "27\?^@1R1W:Q2QZ4D^Lf9LFQ\?2A82222222U2222222222222222222222222o22o22222222222222222222222222ooo222", /* k */
    "249D000RK6I61\\X1<\?<2212CW0R2222222a2222222222222222222222222o22o22222222222222222222222222ooo2@2", /* l */
    "233f21d9I8aS633222k2D5ih21O2222222X2222222222222222222222222o22o22222222222222222222222222ooo212", /* m */
    "24i20150J8@17<23C[_2027oI1g222222222222222222222222222222222o22o22222222222222222222222222ooo2O2", /* n */
    "24010;00Q16000020Y00101021@2222222M2222222222222222222222222o22o22222222222222222222222222ooo222", /* o */
    "22FT;1WK471211B11T1116EYI4<2222222R2222222222222222222222222o22o22222222222222222222222222ooo2G2", /* p */
    "2122H2SG6N2C0O^2H2PW102Y22\?222222222222222222222222222222222o22o22222222222222222222222222ooo222", /* q */
    "24A611E173c16230Kj11022@U0G2222222T2222222222222222222222222o22o22222222222222222222222222ooo242", /* r */
    "27_<J3L=1;R1:=I366:004=Ch3D2222222`2222222222222222222222222o22o22222222222222222222222222ooo2F2", /* s */
    "24Y6;19Z03_BD=Z25Z1322h=:1Q222222242222222222222222222222222o22o22222222222222222222222222ooo2:2", /* t */
    "210000126380000509000221620222222232222222222222222222222222o22o22222222222222222222222222ooo222", /* u */
    "21cbP0d1569\?XTM0V21PXMJG\\k22222222J2222222222222222222222222o22o22222222222222222222222222ooo2=2", /* v */
    "238TA2V5029=Lc00Kg42QPc1=292222222J2222222222222222222222222o22o22222222222222222222222222ooo222", /* w */
    "25=5C8<M_8\?Gi7QN4M\\j0_[WB1L222222222222222222222222222222222o22o22222222222222222222222222ooo2\?2", /* x */
    "2M=XN7k8Q>O2<84419322GnL6422222222B2222222222222222222222222o22o22222222222222222222222222ooo222", /* y */
    "2239H0[M1692[gi3O\?JiB6Q@915222222222222222222222222222222222o22o22222222222222222222222222ooo222", /* z */
    "10000000000000000000000000000000000000000000000000000000000070::00000000000000000000000000H2[910", /* space */
    "0O29222222922229J2mW22292\?220\?ooooHH@doo=WGooo0oOo:`oohoooooo22o2G22222Q2222\?2222222222222ooo222", /* ! */
    "0]db3`lFLa2GS]V[M2[c_=9[=2\?2]3I93cZI1F60863058h4U>FI1D6J2\\8Fo22o7\?_2Q\\E`Q299BB\?\?CUUQ[29WbMooo222", /* " */
    "4RSR00OB92\?2RE9MF2UiM<G\?2222>c0boo_looocoaT_ooooooDooo<ocoooo22o9CG2992222Jf922\?29C2922222ooo222", /* # */
    "2O2\\29222\?2\?222SC2a2222J2222oca>ook8ooooo_PooooooooSoooo4oooo22o222G2222\?222222\?2M222\?M222ooo222", /* $ */
    "3C22322222\?2222\?\?221992219\?2oI[o0oKL[oo_aJooPo[oooojoYooooJoo22o8222222J22222222222G2229\?2ooo222", /* % */
    "1NJWG2GG9MM9AO\?\?I7T[NC22\?C22;o6oo0o4ooo[ooooooWooooooo@oooooo22o922222222222222222\?2222\?22ooo222", /* & */
    "1JSe0EfC^32U30LW[C10021YD8E2aA498>8B1<80=4223<FUE4Q32@9d8bIGo22oIOM1JMaOD99806\?YCR11S2W9[Gooo222", /* ' */
    "040123051503410223101942021211E64i0101Aj3<7:>Ha^S<4Lod221aoNo22o>36CI3N\?B24501[;L6C1;0@I23ooo\?22", /* ( */
    "02\?N\?2O22M22\?2229210U92\?2922NQoXXOS30MP0:1R00\\<aKo<Q\?PoG<BIoo22o22\?29222922222\?2222\?222222ooo22<", /* ) */
    "1=1\?Q\?222211M8>W212S21221222Glo^ooheD0o4\\H1go5GDmofaoo8ooocoo22o922J2\?\?222222222222E22222\?ooo222", /* * */
    "2he\\_UaG\\f`2aWUbZJ^iV\\JO1122ocokooN]\?o1T[]Oo7o1ooo\\NOoooooooo22oF7D9JY2\?G22Q9\?CG2GQM222\?22ooo222", /* + */
    "0A8<<C;143=19325D1:C5KT11122^2ioR_BhVoO>\?[]PoioooohLooco;oooi22o929C:1:\?\?=9C19>52BOUL91222ooo222", /* , */
    "\?A090959690:40096D6229:11352o^oD=oUGJbo_0^boCo@0ooiXookoRoooo\?2oP@8B624=^81;3EHY2VJH@12120ooo222", /* - */
    "0000000003010001040028200102i70I9_H\\\?D`8P01\\oBooooH6`m1\\Hboci22o10106023310000C1:310300810oooC22", /* . */
    "0@5B3=>8>84F;458;:P4;G6=3LM2oK49GoHfM1^ML@0`oVd8>@bKlLBoFoo]o92oOEOhWUYS\\_6MIY:J2QV:OX6112ooo222", /* / */
    "0WM`O<YL6:11CI3LM9A:<A1>5;12o5Z@9oH\?e@W[:O11oZ\?oocYRGkfGAoooo22o\?2AG24C1C22\?P<6G289992\?22\?ooo222", /* : */
    "0S53G\?bCV322e>I:2J_UUM\\92222oUoo_@gfOoojjk^o2NoooooUooooooooo22o\?299222\?22222\?9222\?\?222922ooo222", /* ; */
    "1L84OG521499;:=0<22:FB222G92=moonclcooooWo2fo05ZLokoookogoooo22o2MG2222282222C92292212429\?ooo222", /* < */
    "9aK^KVA:9\?1QSW7Q]QQK7LOY1@42I1o88\\5;o^oo<_H[oY01Jo3Goo;I2oooo22oC:K[Z;C[l\?JCR3^NCU\\4FJ72G2ooo222", /* = */
    "0=A\?A292C22299GC2\?2Q2\?222922oBo\\D@C@EooBobK^_621meSAbooMgTYoo22oD\?OC9C228222G22\?2CJ22\?\?222ooo222", /* > */
    "0FV\?S9V2239GZMSGI4BabGM292C2B>ncooV=;ooBm1l>onoP0oMLooJoocooo22oC922229G222922G\?922222V9\?9ooo222", /* ? */
    "CLZJS5[E[M29cZU9;2_]7iiJC2G2ofooooomooooooo^ooooo3o_ooKofoooo22o22\?22Q22222222222222\?22222ooo222", /* @ */
    "0LHH^:Q[F000Pe0S@<H>5<HQ1212o2ejMo1\?oEcD9AN4oooooa=S0O6RQoooo22odl[[jeASd2GDI>cM^`e^g9b222ooo222", /* [ */
    "19=G128222222219\?22858620222o5olooZPooobhXAooiooooj4ooooooooo22o\?99922222222U\?2222C2`MM222ooo222", /* \ */
    "022292922\?22222J229222222222nMooNjP44::0b2B43c6XGo2:9ceoE_Ooo22o92222222222222222222222222ooo222", /* ] */
    "D2O222222\?M\?2G2\?2\?22222222\?2oooooooGmoooVoooooVoooBHo<oocoooo22o222G2222\?22222222222222222ooo222", /* ^ */
    "32000121112100020@10040101H2oJ7jdo`7AOo1_:QSSU`oooSUio0oGjooo29o10105100200000905001300111ooo\?22", /* _ */
    "129GG\?2OQC22C2C2O\?9N92292292oDo6Wo_gDoo2o;DlCCooooUnmoPD^okoo22o22J2M2292222222222\?2222222ooo222", /* ` */
    "0dOM\?9G9CP29SGC2a23aUC222222F2oo@o\?]okoo[oidoooojBbNooao1c7oo22o92V\?\?\?Q2\?22W2W2G22G292292Mooo222", /* { */
    "0CgCO9g2OS92\?2J\?G2QLUO22Q\?G2oRooooPXooooojoooo@ooooVookoo0ooo22o9JbO2C[JQ299V2292CJC922\?\?2ooo2M2", /* | */
    "0V\?_C8GbJC92YJ\?2W298V2229C22o=o@_iDL3cW2RN4L4G>F`@W<Woc5EG1oo22o2922292222229222222\?229222ooo222", /* } */
    "829\?292222222222222222222222oooooooYooooooJoooWoooooooooooo1o22o22222222222222222222222222ooo222", /* ~ */
    "ocoocoooooooojooooc3[o_oooooooooooooioooooooooooooooooooooooooooooooooooooooooooooooooooooooo_oo", /* U+2000 punctuation */
    "222922222222222222222222222222222222222222222222222222222222o42o22222222222222222222222222ooo\?J2", /* 2-byte letter */
    "222222222222222222222222222222222222222222222222222222222222o2Mo2\?222222222222222222222222oooSC2", /* other letter */
    ";ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooXoooooooooooooooooooooooooooooYoo", /* symbol */
    "22010WB1B:=60<1V5V03110UF2K222222222222222222222222222222222o\?2o1022d40D;C<100^1P02080900Aooo2\?2", /* A */
    "219<W0\?2212C1234\?C6C219:Q19222222222222222222222222222222222o22o\?`5O:SEQH<M4hM;YMH``8FGZ8booo292", /* B */
    "25UBH02=0B2O1481992S8gJV9Q\?2222222S2222222222222222222222222o22o7U6D69<3NY04Ci<3\?D7<[IGc2Mooo222", /* C */
    "211D\?3O2217SI<S1GU26;;6249<2222222\?2222222222222222222222222o22o=3X54=iAG21I6i9U97N;^2Q\?@Mooo222", /* D */
    "23B1091:9>921309B00881190292222222C2222222222222222222222222o22oCC81A72b`ah741IYQ041VCL309ooo222", /* E */
    "22CPl1SXG1970<:0721TG2GC2QC222222222222222222222222222222222o22o2C68717\?7O0\?=B58C4E3@1@b12ooo222", /* F */
    "2B2G21\?2S32901J4920J@1G9\?dk222222222222222222222222222222222o22o]3VO3O;5[WVO::7:O@48T<GWT[ooo222", /* G */
    "2222Q0222322=@\?42C2;53\?22=2222222222222222222222222222222222o22o<TZ[79\?=O2gXa[C>2iG0Z9O2c\?ooo212", /* H */
    "222312012Y22100312200[9\?1\?2222222212222222222222222222222222o22o6000360H29700020220001[0O0ooo222", /* I */
    "22C228G22Ha222@2\?\?202:2224C222222222222222222222222222222222o22oU2937E22f219H27@220M@222C2ooo222", /* J */
    "28:22022222\?221G\?O3d21222E2222222222222222222222222222222222o22o[2cb4K>WFV9K2AZR9eOI\\1V989ooo222", /* K */
    "272\?91CG91221\?11CCC<18822J22222222J2222222222222222222222222o22o:@SI27ka;WY>C`4:\?V^L9>]\?Giooo222", /* L */
    "21<291C222<92C21222=]32@2012222222\?2222222222222222222222222o22o56M59j99H2Q1TBFB2G>6IBO=Ehooo222", /* M */
    "2192142\?21222220M91@\?422122222222282222222222222222222222222o22o\?Q85:J1^GA97@F;Tf\\<62KQ96gooo222", /* N */
    "29012\?0;1G124;0K020201201222222222J2222222222222222222222222o22o8140h63X:B6210A2205231039Qooo222", /* O */
    "21@BJ21J2D9809719\?0I156924\?222222292222222222222222222222222o22oC`=M6^BJ32J8:112C2:;8;QJ\?2ooo2=2", /* P */
    "2222\?2232C2M8\?9BC2922029222222222222222222222222222222222222o22oY2O;22\?2G2\?0VGG2689G02G222ooo222", /* Q */
    "22;22095Q4228222Q2\?@M12C2822222222\?2222222222222222222222222o22oCeC:2OKVH\?19D=1B>5N0@0<Y29ooo222", /* R */
    "26`2I12J01\?2<C<84D4L03G3G42222222292222222222222222222222222o22oLY:\?1mM2ET4:25:87K405SEY=Xooo222", /* S */
    "26KT\?12V0399K222220R\?4G12022222222C2222222222222222222222222o22o;Z<S7=]0PXHR<57924\?3DIOE41ooo222", /* T */
    "2212\?C2M20\?6951202002CG2M22222222222222222222222222222222222o22oC0D3190252;100n12000B;229Mooo222", /* U */
    "21C2G2\?JGC292O2:2232\?A29J22222222222222222222222222222222222o22o5O7I8Y12;Q9G;a259FJG\\=<222ooo222", /* V */
    "2229202C01M\?O2\?092102229229222222222222222222222222222222222o22oB2ZKA8N7\?cDm^65790<S\\11AC2ooo2_2", /* W */
    "2<CG29\?22B92\?B9\?1222R22\?J\?22222222\?2222222222222222222222222o22oZYeGPOMQH\?\?[4`k=CT]2[2M01Zooo222", /* X */
    "2]29CLC\?272\?21212Q2M2922222222222222222222222222222222222222o22o9`bSNQA2g2:fQCM1QfG^bQI84=ooo222", /* Y */
    "26222;GCC722h1\?2C22e922122^222222222222222222222222222222222o22oE\?GI1[Y]6G2^h23Z\?9[929M12=ooo292", /* Z */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* U+0080 sign */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooUoooo", /* box drawing */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* emoji */
    "222222222222222222222222222222222222222222222222222222222222o2[o22222222222222222222222222ooo`2c", /* CJK */
    "2;12;=232222=>112217M922S22222222222222222222222222222222222oO2o22222222222222222222222222ooo9j2", /* Latin letter */
    "222222222222222222222222222222222222222222222222222222222222o22o22222222222222222222222222oooU2`", /* Hangul */
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", /* before the first character */
};
static const short o200k_run[NUNITS] = {
    16, 32, 64, 64, 64, 64, 32, 128, 64, 64, 128, 63, 32, 64, 128, 32,
    128, 128, 63, 64, 128, 128, 63, 128, 32, 64, 128, 2, 16, 64, 4, 63,
    8, 128, 64, 64, 64, 4, 8, 64, 4, 4, 4, 16, 16, 32, 4, 32,
    32, 31, 128, 63, 128, 31, 4, 128, 128, 64, 128, 8, 253, 67, 92, 186,
    32, 64, 64, 128, 64, 32, 128, 128, 64, 128, 128, 63, 64, 128, 63, 128,
    128, 128, 128, 128, 128, 128, 128, 16, 64, 128, 252, 58, 252, 180, 256, 164,
};
static const short o200k_uni[NBLOCKS] = {
    0, 1, 93, 77, 77, 150, 113, 17, 6, 77, 77, 77, 3, 15, 77, 77,
    256, 256, 3, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    7, 205, 171, 158, 82, 256, 310, 256, 256, 341, 19, 33, 128, 271, 160, 284,
    398, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    3, 299, 9, 256, 78, 256, 125, 419, 292, 551, 0,
};
static const short o200k_corr[NCLASSES] = {
    6, -15, 0, 4, 0, 16, 30, 61, 93, 144, 117, 194, 333, 278, 236, 505, 0, 3, 2, -4,
    3, -9, -5, -7, 46, 98, -2, 34, 78, 69, 55, 263, 6, -31, -8, -8, 43, 51, 63, 112,
    186, 172, 157, 233, 257, 151, 265, 459, 0, 0, 91, 72, 135, 18, 130, 246, 220, 157, 254, 71,
    252, 62, -22, -210, 5, 75, 163, 172, 260, 123, 178, 246, 0, 56, 0, 0, 0, 0, 0, 85,
    191, 16, 269, 169, -109, -48, 236, 0, 476, 0, 0, 248, 0, 0, 0, 1897, -99, -9, 177, 4,
    240, -14, 0, 21, 0, 0, 0, -108, 14, 0, 337, 812, 6, 2, 3, -6, -7, -12, -11, -11,
    -4, -1, 4, 10, 9, 13, 56, 420, 0, 4, 1, 0, -1, -4, -4, 29, 61, 43, 114, 87,
    99, 32, -8, 72, 6, -14, -17, -16, 19, 3, -32, 75, 15, -119, 210, 14, -5, 122, -351, 365,
    0, 0, 22, 23, -11, -24, 1, 128, 82, 171, 236, 148, 288, 117, 21, 337, 7, 11, 10, -2,
    83, 95, 7, -29, -32, 46, -16, 0, -16, 0, -7, 0, 150, 116, -51, 11, -135, -205, -24, 0,
    -109, -63, 0, 0, 0, 0, 0, 0, 81, 237, 361, 381, 120, 267, 434, 165, 270, 97, 241, 0,
    -324, 142, 0, 198, -5, 7, 15, 4, 19, 30, 57, 116, 205, 201, 265, 294, 417, 386, 534, 228,
    0, 96, 69, 21, 77, 57, 99, 136, 158, 218, 199, 222, 122, -21, 0, 174, -2, 29, 27, -7,
    23, 34, 57, 101, 75, 115, 231, 198, 220, -37, 298, 509, 0, 0, 92, 132, 142, 89, 258, 270,
    209, 245, 171, 196, 211, 86, 31, 0, 73, 0, 42, 0, 113, 70, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 15, 96, -34, 0, 0, 108, 292, 0, 0, 0, 0, 0, 0, 0, 0, 474,
    -80, -21, 147, 105, 11, 0, -79, -91, 1, -72, 0, -84, -100, 0, 0, -149, 6, 0, -2, 19,
    52, 116, 132, 161, 153, 167, 90, 185, 178, 195, 111, 180, 6, 2, 0, 18, 74, 153, 133, 190,
    272, 109, 117, 140, 116, 244, 183, 180, 6, 6, 6, -5, -3, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 12, 52, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    6, 6, 6, 4, 2, 0, -2, -4, -6, -7, -10, -11, -13, -15, -18, -38, 6, 6, 5, -9,
    -13, -16, -17, -15, -22, -24, 107, 93, 72, 42, 0, 0, 6, 6, 6, 0,
};
static const short o200k_slope[NCLASSES / LENS] = {
    31, 0, 0, 0, 0, 0, 0, 5, 0, 39, 0, 0, 0, 0, 3, 0,
    0, 0, 0, 0, 47, 0, 0, 0, 0, 0, 0,
};
static const char cl100k_pair[NUNITS + 1][NUNITS + 1] = {
    "0=1124011133112B9273310:3<3433333333333333333333333333333333o33o[28G]B13K3381EJG3268C37233ooo333", /* control */
    "3D000B202301000A0B000200000333333333333333333333333333333333o33oJacebg:`S:ffhKMa\?V9eVLa\?a\?ooo:73", /* a */
    "32IBB0ZO^81^1S\\2PC3GH2[aR1O333333333333333333333333333333333o33od\\aM_Z93e3EfOQXf[XQmJJ_J:3ooo3M3", /* b */
    "32H2<1`^05R018S1>;2=07BF221333333333333333333333333333333333o33ogBj[kgO\\mZScSd>k\?[jjg]`Z33ooo3C3", /* c */
    "3;7O11Y5`4a>8GS6ih74I2@[91E333333333333333333333333333333333o33ojnla]gilaUjmmjjnQllWlhiX3Gooo343", /* d */
    "32:20312B9G5110971000<2100K333333333333333333333333333333333o33oenokJljnhkll_[kVgjd`\\ml\\GOooo3\?3", /* e */
    "32BR241@@1Z25;418@1;12G=@03333333333333333333333333333333333o33ofQi_GT:\\XO3`ZHGjQe^VJ3eC\?Gooo333", /* f */
    "3>LQ`1l804::8C22nJ46256I<T9333333333333333333333333333333333o33ohijjXiXcehgfhWglaclk@bh3\?Oooo323", /* g */
    "33@aQ1[CW13YTDA2JI570:RRD>\?333333333333333333333333333333333o33okbkihmfag3efjRc^8kmhYc_:COooo333", /* h */
    "32000000S2Q000000600010Q0F0333333333333333333333333333333333o:3oOhdaJYYG[\?3_\?3:\\\?QcU3Y::M\?ooo323", /* i */
    "332FA02C2L=<>:S188\?096CM\?V3333333333333333333333333333333333o33oO::GM::GCGC3M333\?C\?33333\?Qooo333", /* j */
    "35;]G1S1`8UCOZ6>WLi;VKNA\?C9333333333333333333333333333333333o33oldmmmj^kk\?ehjikmbnhgb\\b\?::ooo333", /* k */
    "34:D000VC5\\50\\Q19\?;2211CQ0\?333333333333333333333333333333333o33oklQnokQik3\\jjegh^hhmZcf39Vooo3@3", /* l */
    "334a31f6T8a5633933k2>6ih20O333333333333333333333333333333333o33o]h^RmG_Yildfcm^f3TjhWjH3GOooo313", /* m */
    "35b20160J6@16<23@]Z3035oI2I333333333333333333333333333333333o33okkkjcmnkk\?idmikZ\?lmlj^nCGGooo3O3", /* n */
    "34010;00M16000020Z00002011=333333333333333333333333333333333o33oVfkn[fdQXRQ@dedkcfAf\\UUG3:ooo333", /* o */
    "33RT:1\\B06M215D11R1116EJI45333333333333333333333333333333333o33olhm`^nY]nM\?ckbfk:Tlnm_cM\?:ooo3G3", /* p */
    "3122H2SG6M3C0Ok3C\?PZ203P33\?333333333333333333333333333333333o33o:\?33G3C3\?3O:M\?Q\?\?3O[333:33ooo333", /* q */
    "34G610<172c27331Kk11021>U0G333333333333333333333333333333333o33ojlZYSkeccJ[kejgi3lih^bmC33ooo3K3", /* r */
    "37]9O1M>16R1;79346<102<Bh2D333333333333333333333333333333333o33oildclnkh\\3SmJ]]oSknniJTOMYooo3G3", /* s */
    "33Z5929[03a9C<W25Z14@2X=31Q333333333333333333333333333333333o33ojkYV=QmDIVdfjahh\\GkSHimGMGooo3:3", /* t */
    "31001022=1\?1000\?0:00072=621333333333333333333333333333333333o33o:28HXe3\?G33[\?:CG3C\?3G333:3ooo333", /* u */
    "31a[G1F157:\?XTM0V38YXMJG\\k3333333333333333333333333333333333o33oCCQiVG3_Q:G`G:aY:aX[:X3CJ\?ooo3Q3", /* v */
    "338RA3V502:=M`00=g32Qdc1=::333333333333333333333333333333333o33oQJZUmb\\hK3OfVMbR:bohCdbM:Jooo333", /* w */
    "35<5E5:Ma7\?G`7KN3M\\j0_[X41L333333333333333333333333333333333o33o68BHQ\?:bdGGRfb7b:kZhMJ]C3Mooo3\?3", /* x */
    "3N=Ql:kCQ>O\?=5141:422TnG762333333333333333333333333333333333o33olfkb^l_ihM\\lj[ilUmhjjea:CVooo333", /* y */
    "332:H1TM17:2Pii8O\?JiQ6QA::9333333333333333333333333333333333o33o9\?Gb:b\?:CC\?\?2:3C3J3GC\?J3:Gooo333", /* z */
    "10000000000000000000000000000000000000000000000000000000000073::00000000000000000000000000H2[D10", /* space */
    "0O3:333333:3333:J3mX333:3\?334;ooooG>LdoeE[GooD0oHo8`oohoooooo33o3G33333Q3333\?3333333333333ooo333", /* ! */
    "0]dL3`g=La3GS]V[M3[c`=:V=3\?3T3I93cXA1E60763056h4I;BI1=6I3[8\?o33o7\?_2Q\\E^Q3::B>\?\?CUUQ[3:XbMooo333", /* " */
    "3RSP00OB:2\?3RG:MF3UiM<G93333>c0_oo_lcoocoaT_ooOooiDmoo<ocoooo33o:CG3::3333Jf:33\?3:C3:33333ooo333", /* # */
    "3O3\\3:333\?22333SC3b3333J3333oca>ook9koooo_QooooooooSoooo4oooo33o333G3333\?333333\?3M333\?M333ooo333", /* $ */
    "3C32333333\?3333\?\?332::332:\?3oL[o1oKQ[oocaLooPo[oooojoYooooJoo33o8223333233333333333G3332\?3ooo333", /* % */
    "1NJXG3GG:MM:AO\?\?I7[[NC33\?C33;o6oo0`4ooo[ooooooWooooooo@oooooo33o:32323333333233333\?2333\?33ooo333", /* & */
    "1XSe0^kUNN3U40LW[C10021Yi\?_3a@488;8@1=8093224;DDE4Q32;7d9CFDo33oPCM2JMaPD::90M\?YCM11V3X:\\Gooo323", /* ' */
    "041012030501300113101432011310E64i0001Bo3:7:9Ma^^<4Kof221aoNo33o=36<F34;B24204;7G6F181@J23ooo\?33", /* ( */
    "03\?N\?3O33M33\?333:301U:2\?2:33iJoVXON20AJ0:1O00\\;aGo;R<P[F;BJoo33o33\?3:333:33333\?3333\?333333ooo33G", /* ) */
    "0>1\?O\?223222M9\?X212Q21339223QjoYooc:=0o4XH1Ro5GDmob_oo8ooocoo33o:33J3\?\?333333333333J33333\?ooo333", /* * */
    "0he\\]U^G\\f]2`WPbZJ^iV\\JO1233obodEoNX\?o1T[ZOo7o1ooo\\NKoioooooo33oF7<G@Y3\?G33Q:2CG3GQM333\?33ooo333", /* + */
    "0A8;<C;143=19951L2:C5K011123^2ioR_@fUlO>@\\]Poioooo_Looco;oooi33o:2:C;1;\?@=:>1:>53BOSM:2333ooo333", /* , */
    "2D081958380171294B;329:11323o^oE=oTGNToJ0^boCo@0oomXoohoRoooo\?3oO@9C744A_81;1HHS3MKHA16130ooo333", /* - */
    "0100010002001001020014300003o70:9_A]CF`8P01boBooooT6em1]Hgooi33o10006004210000@0:200150010oooC33", /* . */
    "0>3<1\?;2:63392676:P4:H4=3D33oI38CoEfM0^MF@0`eTP8>@\\KlFBoAoo]o:3oFAPYX;WSXS208Y4b3LP8=13123ooo333", /* / */
    "0VB[L=YK9:12CI3MN:99;M1P5;Q3B4Z@9oF\?e@WY7R11oY\?loc\\G\?kfDAoooo33o93AG24C2C:3\?Q=6G3\?9G:3\?33\?ooo333", /* : */
    "0S63@QbCV333e>I:3J_ZUM\\:3333oSoo_BWfUoojhk^o2NoooooUooooooooo33o\?3::333\?33333\?:333\?\?333:33ooo333", /* ; */
    "1L85NG53142:::=0633:FB2227:3=ioonclcooooWo2fo05[Lokoookogoooo33o3M=3222293232C:2=:2222\?3:\?ooo333", /* < */
    "7_I_ZU@89\?1;OU7HVQNK5KNY1@43I1o84\\5;o^oo;_H[oY00Jo3Goo9I2oooo33oC9K[L9;[l\?JDS2^NCC^4F<82@3ooo333", /* = */
    "0=A\?A3:3C333::2C3\?3Q3\?332233oBo[D@CDDooBo9K^_621meK<aooMg[Yoo33o2\?7>:\?329333G33\?3CJ23=9333ooo333", /* > */
    "0FV\?S:V333:7ZMSGI4GabGM::3C3L\?o\\ooV=KooBm3o>oneP2oTMmoooooooo33oC:3333:G333:33G\?:33333V:\?:ooo333", /* ? */
    ";AZJb5\\E[M3:cYU:;3_]7iiJC3G3oSooooomooooooooooooo4oRooKofofoo33o33\?33Q33333333333333\?33333ooo333", /* @ */
    "0JGF[:O\\\?000LF0KA=J<4<FQ1223o2UXMo19o=dD4AQ4oKoooW;J1Q3jLoooo33o_0YVjHBKdJG8I;c[_`eJd:]333ooo333", /* [ */
    "0:=G13833333331:\?338\?7730333o4olooRPhooofWBooiooool2ooobofooo33o\?::233333333U\?3233C3`MM333ooo333", /* \ */
    "0333:3:33\?33333J33:333333333oJoVNjO438:0W2B42c6XCo2:<cooF^Loo33o:3333333333333333333333333ooo333", /* ] */
    "D3O333333\?M\?3G3\?3\?33333333\?3oooooooGooooToooooVoooOHo=oodoooo33o333G3333\?33333333333333333ooo333", /* ^ */
    "3100000101201001001001000103oN7jdoN5\?Oo1`:QSSU`_ooTUio0oGeooo3:o01005000200000102000101111ooo\?33", /* _ */
    "13:GG\?3OQC33C3C3O\?:N:33:33:3oDo5Wo_ODoo2[:DlCCooooRPmoPD^okoo33o33J3M33:3333333333\?3333333ooo333", /* ` */
    "0dOM\?:G:CP3:SGC3b34aUC333333F2oo@o>[ojoo[oidoooojBbKooao1c7oo33o:3V\?\?\?Q3\?33X3X3G33G3:33:3Mooo333", /* { */
    "0CgCO:g3OO:3\?3J\?G3QLUO339\?G3oTcZWo\\Pooooljoooo>ooobUoIkoo0ooo33o:JbO3C\\JQ3::V33:3CJC:33\?\?3ooo3M3", /* | */
    "0V\?_C8GbJC:3YJ\?3X3:9V333:C33o=o@_iDI3Eo0PK6K3G>F`@W<Woc5EG1oo33o3:333:333333:333333\?33:333ooo333", /* } */
    "C3:\?3:3333333333333333333333oooooooYooooooJoooWoooooooooooo1o33o33333333333333333333333333ooo333", /* ~ */
    "ocoocoooooooojooooc3[o_oooooooooooooiooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* U+2000 punctuation */
    "333:33333333333333333333333333333333333333333333333333333333oi3o33333333333333333333333333ooo\?J3", /* 2-byte letter */
    "333333333333333333333333333333333333333333333333333333333333o3io3\?333333333333333333333333oooSC3", /* other letter */
    "<ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooXoooooooooooooooooooooooooooooioo", /* symbol */
    "33110XBhC<>6040Y7V03120UG2N333333333333333333333333333333333o\?3o0222d60S8C9100K1P0405E7005ooo3\?3", /* A */
    "31:Cb3\?3C1\?C53J2\?C:C:2:CQ1:333333333333333333333333333333333o33o\?\\5P7SEQD3I4hM>W[HbaGFGZ8nooo3:3", /* B */
    "36UBP85M0B3O2:\?1::4_:gJV:W\?333333333333333333333333333333333o33o7W4G69<3J704\?h26\?G9<[1Dc0Mooo333", /* C */
    "312X\?3O3337SICS4OU=;<AC3\?\?\?333333333333333333333333333333333o33o\?2Y52A_AH23I7i7U:6W@H2Q\?\?booo333", /* D */
    "34C13:1P:G:2540:B0098:1:02:333333333333333333333333333333333o33oCC93\?72`Zah641\?E;051NE;31:ooo333", /* E */
    "32MHl2S_G2:O1G:1G31\\Q9GC3SC333333333333333333333333333333333o33o2C58917\?7O1D>B58C7E3@M@b53ooo323", /* F */
    "3C:G31\?3X33:J2J4:32JJ4G:\?dk333333333333333333333333333333333o33oW2K>3O;4ZXVJ;:6PO>5:QYGX@\\ooo333", /* G */
    "32G3Q0333333\?@\?53C:J25C33>2333333333333333333333333333333333o33o=TX\\59\?=I3aWWZA>2hG0F:O3Z9ooo323", /* H */
    "35:71:073[33100_23210\\:\?Z\?3333333333333333333333333333333333o33o5000120K39D00023231001:0O0ooo333", /* I */
    "32C339G3:Cb3:3J2\?\?203>333\?C333333333333333333333333333333333o33oY::38G33f21:I379330MD3=3C3ooo333", /* J */
    "3D\?33033253\?>32G\?O3d\?<3\?3E3333333333333333333333333333333333o33o\\2cc4KJRGVAK3A[R:edM\\1V:>:ooo333", /* K */
    "393\?:1CG:133M\?11CCC\?18933J3333333333333333333333333333333333o33o9DTG07kaCXM4CP37\?ND66\?]\?H3ooo333", /* L */
    "32<2:2CB32Q:3C31333=]43A:0M333333333333333333333333333333333o33o46M48j::A2P8UB4B3A@4HBO>Efooo333", /* M */
    "31:\?143\?21G3S330\\:1@C133133333333333333333333333333333333333o33o=Q73:J2^@B37DA;Rf\\:92JQ96gooo333", /* N */
    "3:0>2\?0E1GO34=0G031D1240C33333333333333333333333333333333333o33o8230g59X6>2110A:302225039Qooo333", /* O */
    "32JJJ2OJ0E:b1GG3:\?1b157:32\?333333333333333333333333333333333o33o@_=Q4[BJ13\?0=111C3;98;QJ63ooo3C3", /* P */
    "3333\?33C3C3M\?\?:cC3::213:333333333333333333333333333333333333o33oY2OC33\?3G3\?0VSG37E:G03G333ooo333", /* Q */
    "34J:30:6Q733\?G3273\?AM0:C3\\3333333333333333333333333333333333o33o@^E:2CIVC\?17C<1=G4O0A6<Y0:ooo333", /* R */
    "37`3J13J02\?2>C<:3JHM04G3G22333333333333333333333333333333333o33oIX6\?0jM2;T8:358:2K406TAY;Gooo333", /* S */
    "3=MU\?13V02:9X233231R\?7G2303333333333333333333333333333333333o33o<R<T3=]0;YHPV56835@4BLO533ooo333", /* T */
    "331:\?C3N30\?C:S1303004CG\?M\?:333333333333333333333333333333333o33oC0=3140303;100n23000H;32:Mooo333", /* U */
    "31C3G4\?JGC3:3O3\?33M3\?B3:J3:333333333333333333333333333333333o33o3M7I7X1:7Q:G7a23:SJ\?i=>>33ooo333", /* V */
    "333::13C02M\?O3\?1:3303>3::3:333333333333333333333333333333333o33oB2ZKE9N9\?cDM^658:0;S\\O7AC3ooo3c3", /* W */
    "3GCG3:\?33B:3\?B:\?M333U33\?J\?3333333333333333333333333333333333o33o_XcGOPMQB\?\?\\4`k;CT]2\\:M11Zooo333", /* X */
    "3i3:CLC\?3a3\?3J303Q3M3:33333333333333333333333333333333333333o33o=`eSOQB3g3M_SCQ1QgHIeQI\?48ooo333", /* Y */
    "3633\?;GC2733hQ\?5C33e:3:J33_333333333333333333333333333333333o33oE\?GZ2[Y]8G3^i23Z\?:\\:3:M:2=ooo3:3", /* Z */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* U+0080 sign */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooUoooo", /* box drawing */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* emoji */
    "333333333333333333333333333333333333333333333333333333333333o3[o33333333333333333333333333oooh3c", /* CJK */
    "3223<P333::3=>M13327M:33S33333333333333333333333333333333333oO3o33333333333333333333333333ooo:k3", /* Latin letter */
    "333333333333333333333333333333333333333333333333333333333333o33o33333333333333333333333333oooU3j", /* Hangul */
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", /* before the first character */
};
static const short cl100k_run[NUNITS] = {
    8, 32, 64, 64, 64, 64, 32, 128, 128, 128, 128, 128, 128, 128, 128, 32,
    128, 128, 128, 128, 128, 128, 128, 128, 32, 64, 128, 2, 32, 128, 4, 64,
    4, 128, 128, 64, 64, 4, 8, 32, 4, 4, 4, 31, 16, 32, 4, 32,
    64, 63, 128, 64, 128, 63, 4, 128, 128, 63, 128, 7, 253, 242, 132, 186,
    32, 63, 64, 128, 64, 32, 128, 128, 128, 128, 128, 64, 64, 128, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 32, 64, 128, 252, 67, 252, 226, 256, 204,
};
static const short cl100k_uni[NBLOCKS] = {
    0, 12, 140, 77, 77, 166, 113, 73, 49, 77, 77, 77, 6, 15, 77, 77,
    256, 256, 122, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    9, 205, 213, 158, 193, 256, 366, 256, 256, 427, 21, 105, 160, 341, 160, 256,
    398, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    15, 398, 95, 256, 168, 256, 125, 419, 360, 597, 0,
};
static const short cl100k_corr[NCLASSES] = {
    6, -14, 1, 3, -12, 12, 29, 56, 82, 143, 124, 187, 304, 236, 228, 476, 0, 6, 6, 7,
    18, 5, 30, 25, 133, 129, 60, 117, 51, 144, 53, 242, 6, -23, -4, 0, 41, 43, 81, 101,
    218, 219, 174, 273, 260, 184, 272, 576, 0, -45, -73, 134, 72, 67, 58, 22, 60, 44, 35, 95,
    16, 76, 67, 92, 12, 24, 157, 252, 372, 122, 169, 233, 0, 159, 0, 0, 0, 0, 0, -46,
    185, 55, 256, 242, -189, 127, 193, 0, 164, 0, 0, 187, 0, 0, 0, 409, -33, 136, 107, 37,
    114, 44, 0, 214, 0, 0, 0, -59, -8, 0, 80, 630, 6, 2, 2, -5, -8, -13, -10, -12,
    -5, 0, 3, 8, 2, 21, 59, 411, 0, 3, 1, 1, 14, -3, 3, 29, 53, 48, 84, 78,
    87, 42, -5, 40, 6, -14, -12, -17, -17, 6, -20, 105, 54, -70, 195, 104, 68, 46, -383, 364,
    0, -38, -12, 43, 11, -24, 35, 18, 21, 3, 37, 31, 44, 33, 81, 38, 3, 1, -9, -4,
    190, 144, 190, 81, 47, 46, 9, 0, 9, 0, -19, 0, 171, 157, 80, 131, -98, -29, -54, 0,
    91, -90, 0, 0, 0, 0, 0, 0, 74, 234, 417, 449, 100, 217, 277, 116, 335, 268, 314, 0,
    -255, 349, 0, 710, -5, 6, 13, 5, 18, 33, 49, 98, 187, 204, 252, 290, 403, 333, 503, 241,
    0, 134, 114, 17, 70, 56, 100, 163, 168, 236, 123, 208, 122, -12, 0, 231, -1, 25, 26, 0,
    16, 31, 35, 95, 76, 109, 221, 229, 238, 69, 214, 602, 0, 34, 131, 135, 80, 20, 3, -7,
    25, 6, -20, 8, 102, 7, 101, 100, 69, 0, 78, 0, 202, 59, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 19, 104, 91, 0, 0, -77, 345, 0, 0, 0, 0, 0, 0, 0, 0, 184,
    18, 102, 140, 259, 233, 0, -14, -237, -16, 31, 0, 175, -265, 0, 0, -88, 6, 0, -2, 18,
    58, 113, 158, 160, 187, 183, 118, 175, 264, 201, 92, 118, 6, 2, -1, 20, 90, 162, 130, 183,
    222, 128, 134, 110, 114, 125, 118, 20, 6, 6, 6, -1, -1, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 4, 42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    6, 6, 6, 4, 2, 0, -2, -4, -6, -7, -10, -11, -13, -15, -18, -39, 6, 6, 5, -6,
    -10, -12, -14, -14, -17, -14, 104, 109, 89, 55, 0, 0, 6, 6, 6, 5,
};
static const short cl100k_slope[NCLASSES / LENS] = {
    67, 0, 0, 27, 0, 0, 0, 5, 0, 46, 14, 0, 0, 0, 3, 0,
    0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
/* END FITTED TABLES */

static const model models[] = {
    [TOKENS_O200K] = { o200k_pair, o200k_run, o200k_uni, o200k_corr, o200k_slope, 0 },
    [TOKENS_CL100K] = { cl100k_pair, cl100k_run, cl100k_uni, cl100k_corr, cl100k_slope, 1 },
};

/* A character as the scanner sees it, packed in one word: its unit class
 * (bits 0-7), category (8-11), length in bytes (12-15) and, for non-ASCII
 * characters, block (16-31). */
typedef uint32_t ch;
#define CH(unit, cat, n, blk) ((uint32_t)(unit) | (uint32_t)(cat) << 8 | (uint32_t)(n) << 12 | (uint32_t)(blk) << 16)
#define UNIT(c) ((c) & 0xff)
#define CAT(c) ((c) >> 8 & 0xf)
#define BYTES(c) ((c) >> 12 & 0xf)
#define BLOCK(c) ((c) >> 16)

/* ASCII characters, as a constant table. */
#define A_CAT(b)                                                                               \
    ((b) >= 'a' && (b) <= 'z'   ? CAT_LOWER                                                    \
     : (b) >= 'A' && (b) <= 'Z' ? CAT_UPPER                                                    \
     : (b) >= '0' && (b) <= '9' ? CAT_DIGIT                                                    \
     : (b) == '\n' || (b) == '\r' ? CAT_NL                                                     \
     : (b) == ' ' || (b) == '\t' || (b) == '\v' || (b) == '\f' ? CAT_SPACE                     \
                                                            : CAT_PUNCT)
#define A_UNIT(b)                                                                              \
    ((b) >= 'a' && (b) <= 'z'   ? U_LOWER + (b) - 'a'                                          \
     : (b) >= 'A' && (b) <= 'Z' ? U_UPPER + (b) - 'A'                                          \
     : (b) >= '0' && (b) <= '9' ? U_SYM                                                        \
     : (b) == ' '               ? U_SPACE                                                      \
     : (b) < 0x21 || (b) == 0x7f ? U_CTRL                                                      \
     : (b) <= '/'               ? U_PUNCT + (b) - '!'                                          \
     : (b) <= '@'               ? U_PUNCT + 15 + (b) - ':'                                     \
     : (b) <= '`'               ? U_PUNCT + 22 + (b) - '['                                     \
                                : U_PUNCT + 28 + (b) - '{')
#define A_CH(b) CH(A_UNIT(b), A_CAT(b), 1, 0)
#define A_ROW(r)                                                                               \
    A_CH(r + 0), A_CH(r + 1), A_CH(r + 2), A_CH(r + 3), A_CH(r + 4), A_CH(r + 5), A_CH(r + 6), \
        A_CH(r + 7), A_CH(r + 8), A_CH(r + 9), A_CH(r + 10), A_CH(r + 11), A_CH(r + 12),       \
        A_CH(r + 13), A_CH(r + 14), A_CH(r + 15)
static const ch ascii_ch[128] = { A_ROW(0),  A_ROW(16), A_ROW(32), A_ROW(48),
                                  A_ROW(64), A_ROW(80), A_ROW(96), A_ROW(112) };

/* Unicode White_Space outside ASCII. */
static int wide_space(uint32_t v)
{
    return v == 0x85 || v == 0xa0 || v == 0x1680 || (v >= 0x2000 && v <= 0x200a) || v == 0x2028 ||
           v == 0x2029 || v == 0x202f || v == 0x205f || v == 0x3000;
}

/* Letters and marks (\p{L}, \p{M}) by block: close enough for cost, exact
 * for the scripts and symbol blocks text actually uses. */
static int wide_letter(uint32_t v)
{
    if (v < 0x100)
        return v >= 0xc0 ? v != 0xd7 && v != 0xf7 : v == 0xaa || v == 0xb5 || v == 0xba;
    if (v < 0x2000)
        return 1; /* Latin Extended .. Greek Extended */
    if (v < 0x2c00)
        return 0; /* punctuation, arrows, math, box drawing, dingbats */
    if (v < 0x2e00)
        return 1;
    if (v < 0x3040) /* supplemental punctuation, radicals, CJK symbols but 々 and kana marks */
        return (v >= 0x3005 && v <= 0x3007) || (v >= 0x3031 && v <= 0x3035) || v == 0x303b ||
               v == 0x303c;
    if (v < 0xe000)
        return 1; /* kana, CJK, Yi, Hangul */
    if (v < 0xf900)
        return 0; /* private use */
    if (v < 0xfe10)
        return 1; /* compatibility ideographs, presentation forms, variation selectors */
    if (v < 0xfe70)
        return 0;
    if (v < 0xff00)
        return 1;
    if (v < 0xff21)
        return 0; /* fullwidth punctuation and digits */
    if (v < 0xfff0)
        return !((v >= 0xff3b && v <= 0xff40) || (v >= 0xff5b && v <= 0xff65) || v >= 0xffe0);
    if (v < 0x10000)
        return 0;
    if (v >= 0x1f000 && v < 0x1fc00)
        return 0; /* emoji and pictographs */
    return !(v >= 0xe0000 && v < 0xe0100); /* tags are format characters */
}

static unsigned short block(uint32_t v)
{
    if (v < 0x3000)
        return (unsigned short)(v >> 7);
    if (v < 0x3100)
        return BLK_CJK_SYM;
    if (v < 0x4e00)
        return BLK_CJK_A;
    if (v < 0xa000)
        return BLK_CJK;
    if (v < 0xac00)
        return BLK_YI;
    if (v < 0xd800)
        return BLK_HANGUL;
    if (v < 0xf900)
        return BLK_PRIVATE;
    if (v < 0x10000)
        return BLK_COMPAT;
    if (v < 0x1f000)
        return BLK_ASTRAL;
    if (v < 0x1fb00)
        return BLK_EMOJI;
    return BLK_ASTRAL_HI;
}

/* The non-ASCII character at s[i] (i < len).  A byte that does not start
 * a valid UTF-8 sequence is one symbol character of its own. */
static ch peek_wide(const unsigned char *s, size_t len, size_t i)
{
    unsigned b = s[i];
    uint32_t v;
    size_t n;
    if (b >= 0xc2 && b <= 0xdf) {
        n = 2;
        v = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
        n = 3;
        v = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        n = 4;
        v = b & 0x07;
    } else {
        return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
    }
    if (n > len - i)
        return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xc0) != 0x80)
            return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
        v = v << 6 | (s[i + k] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v <= 0xdfff))
        return CH(U_SYM, CAT_PUNCT, 1, BLK_INVALID);
    if (wide_space(v))
        return CH(v < 0xc0 ? U_LATIN1 : U_GENPUNCT, CAT_SPACE, n, block(v));
    if (wide_letter(v))
        return CH(v >= 0x3040 && v < 0xa000   ? U_CJK
                  : v >= 0xac00 && v < 0xd7b0 ? U_HANGUL
                  : v < 0x250                 ? U_LATIN
                  : n == 2                    ? U_NA2
                                              : U_NA3,
                  CAT_LETTER, n, block(v));
    unsigned unit = v < 0xc0                      ? U_LATIN1
                    : v >= 0x2000 && v < 0x2070   ? U_GENPUNCT
                    : v >= 0x2500 && v < 0x2600   ? U_BOX
                    : v >= 0x1f000 && v < 0x1fb00 ? U_EMOJI
                                                  : U_SYM;
    return CH(unit, CAT_PUNCT, n, block(v));
}

/* The character at s[i] (i < len). */
static inline ch peek(const unsigned char *s, size_t len, size_t i)
{
    return s[i] < 0x80 ? ascii_ch[s[i]] : peek_wide(s, len, i);
}

/* The character at s[i] in *c, and where the next one starts.  For ASCII
 * the next position does not wait for the table lookup, which keeps the
 * scanning loops from stalling on it. */
static inline __attribute__((always_inline)) size_t next(const unsigned char *s, size_t len,
                                                          size_t i, ch *c)
{
    if (__builtin_expect(s[i] < 0x80, 1)) {
        *c = ascii_ch[s[i]];
        return i + 1;
    }
    *c = peek_wide(s, len, i);
    return i + BYTES(*c);
}

static inline int is_letter(unsigned cat)
{
    return cat <= CAT_LETTER;
}

/* The cost of a piece's characters: the fitted chance of a split between
 * each two neighbours, and inside each non-ASCII character. */
typedef struct acc {
    long cost;
    unsigned prev;  /* unit of the previous character, NUNITS before the first */
    unsigned run;   /* characters in a row of that unit, up to the previous */
    unsigned units;
    unsigned over;  /* length past the last length class */
} acc;

static inline __attribute__((always_inline)) void add(const model *m, acc *a, ch c)
{
    unsigned u = UNIT(c);
    if (u == a->prev) {
        a->cost += a->run >= RUN ? m->run[u] : 4L * (m->pair[u][u] - '0');
        a->run++;
    } else {
        a->cost += 4L * (m->pair[a->prev][u] - '0');
        a->run = 1;
    }
    if (BLOCK(c))
        a->cost += m->uni[BLOCK(c)];
    a->prev = u;
    a->units++;
}

/* The length class of a piece of n units; pieces longer than LENS also
 * pay a fitted cost for each unit past it. */
static inline unsigned len_bucket(acc *a, unsigned n)
{
    a->over = n > LENS ? n - LENS : 0;
    return n == 0 ? 0 : n > LENS ? LENS - 1 : n - 1;
}

/* Length of a contraction ('s 't 're 've 'm 'll 'd, any case) at s[j]. */
static size_t contraction(const unsigned char *s, size_t len, size_t j)
{
    if (j >= len || s[j] != '\'' || j + 1 >= len)
        return 0;
    unsigned a = s[j + 1] | 0x20, b = j + 2 < len ? s[j + 2] | 0x20 : 0;
    if (a == 's' || a == 't' || a == 'm' || a == 'd')
        return 2;
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l'))
        return 3;
    return 0;
}

/* A letter run starting at j (after an optional lead already added):
 * o200k takes upper-case letters then lower-case ones and an optional
 * contraction; cl100k takes all letters. */
static inline __attribute__((always_inline)) size_t word(const model *m, const unsigned char *s,
                                                          size_t len, size_t j, unsigned lead,
                                                          acc *a, unsigned *cls)
{
    const unsigned upper_run = 1u << CAT_UPPER | 1u << CAT_LETTER;
    unsigned seen = 0, upper = 0, wide = 0, units0 = a->units, first = CAT(peek(s, len, j));
    unsigned accept = m->cl100k ? upper_run | 1u << CAT_LOWER : upper_run;
    for (ch c; j < len;) {
        size_t after = next(s, len, j, &c);
        unsigned cat = CAT(c);
        if (!(accept >> cat & 1)) {
            if (accept != upper_run || cat != CAT_LOWER)
                break;
            accept = 1u << CAT_LOWER | 1u << CAT_LETTER;
        }
        seen |= 1u << cat;
        upper += cat == CAT_UPPER;
        if (cat == CAT_LETTER)
            wide |= UNIT(c) == U_CJK ? 4 : UNIT(c) == U_LATIN ? 1 : 2;
        add(m, a, c);
        j = after;
        /* The rest of a lower-case run, most of any text, without the
         * table: both regexes take it whole. */
        if (cat == CAT_LOWER)
            for (; j < len && (unsigned)(s[j] - 'a') < 26; j++)
                add(m, a, CH(U_LOWER + s[j] - 'a', CAT_LOWER, 1, 0));
    }
    unsigned shape = wide & 4                     ? SHAPE_CJK
                     : wide & 2                   ? SHAPE_NONASCII
                     : wide                       ? SHAPE_LATIN
                     : !upper                     ? SHAPE_LOWER
                     : !(seen >> CAT_LOWER & 1)   ? SHAPE_UPPER
                     : upper == 1 && first == CAT_UPPER ? SHAPE_CAPITAL
                                                        : SHAPE_MIXED;
    size_t k = !m->cl100k && j < len && s[j] == '\'' ? contraction(s, len, j) : 0;
    if (k && shape < SHAPE_LATIN)
        shape = SHAPE_MIXED;
    for (size_t e = j + k; j < e; j++)
        add(m, a, ascii_ch[s[j]]);
    *cls = CLS_WORD + (lead * NSHAPES + shape) * LENS + len_bucket(a, a->units - units0);
    return j;
}

typedef struct piece_info {
    unsigned cls;  /* piece class */
    unsigned over; /* units past the last length class */
    long cost;     /* estimate, 1/SCALE tokens */
} piece_info;

/* The piece starting at s[i] (i < len): its end, class and cost.  The
 * branches follow the order of the alternatives in the regexes:
 *   o200k  letters (with a lead) | \p{N}{1,3} | ` ?[^\s\p{L}\p{N}]+[\r\n/]*`
 *          | `\s*[\r\n]+` | `\s+(?!\S)` | `\s+`
 *   cl100k contractions | lead? \p{L}+ | the same, without '/' after
 *          punctuation. */
static inline __attribute__((always_inline)) size_t piece(const model *m, const unsigned char *s,
                                                           size_t len, size_t i, piece_info *p)
{
    acc a = { 0, NUNITS, 0, 0, 0 };
    ch c0 = peek(s, len, i), c1 = 0;
    size_t j = i, k;
    unsigned cat0 = CAT(c0);

    if (m->cl100k && s[i] == '\'' && (k = contraction(s, len, i)) > 0) {
        for (; j < i + k; j++)
            add(m, &a, ascii_ch[s[j]]);
        p->cls = CLS_CONTRACTION;
    } else if (is_letter(cat0)) {
        j = word(m, s, len, i, LEAD_NONE, &a, &p->cls);
    } else if (cat0 == CAT_DIGIT) {
        while (j < len && j < i + 3 && s[j] >= '0' && s[j] <= '9')
            j++;
        p->cls = CLS_DIGIT + (unsigned)(j - i - 1);
    } else if (cat0 != CAT_NL && i + BYTES(c0) < len &&
               is_letter(CAT(c1 = peek(s, len, i + BYTES(c0))))) {
        add(m, &a, c0);
        j = word(m, s, len, i + BYTES(c0), s[i] == ' ' ? LEAD_SPACE : LEAD_OTHER, &a, &p->cls);
    } else if (cat0 == CAT_PUNCT || (s[i] == ' ' && i + 1 < len && CAT(c1) == CAT_PUNCT)) {
        /* (c1, the character after a space, was read by the test above) */
        unsigned lead = s[i] == ' ';
        if (lead) {
            add(m, &a, c0);
            j++;
        }
        unsigned units0 = a.units;
        for (ch c; j < len;) {
            size_t after = next(s, len, j, &c);
            if (CAT(c) != CAT_PUNCT)
                break;
            add(m, &a, c);
            j = after;
        }
        for (; j < len && (s[j] == '\n' || s[j] == '\r' || (s[j] == '/' && !m->cl100k)); j++)
            add(m, &a, ascii_ch[s[j]]);
        p->cls = CLS_PUNCT + lead * LENS + len_bucket(&a, a.units - units0);
    } else {
        /* A whitespace run: up to its last newline if it has one; else
         * all of it at the end of the text, or all but its last
         * character, which leads the next piece. */
        size_t nl_end = 0, last = i;
        for (ch c; j < len;) {
            size_t after = next(s, len, j, &c);
            if (CAT(c) != CAT_SPACE && CAT(c) != CAT_NL)
                break;
            last = j;
            if (CAT(c) == CAT_NL)
                nl_end = j + 1;
            j = after;
        }
        size_t end = nl_end ? nl_end : j == len || last == i ? j : last;
        unsigned nls = 0, other = 0;
        for (j = i; j < end;) {
            size_t after = next(s, len, j, &c1);
            nls += CAT(c1) == CAT_NL;
            other += nl_end ? CAT(c1) != CAT_NL : s[j] != ' ';
            add(m, &a, c1);
            j = after;
        }
        p->cls = nl_end ? CLS_NEWLINE + (other > 0) * LENS + len_bucket(&a, nls)
                        : CLS_SPACE + (other > 0) * LENS + len_bucket(&a, a.units);
    }
    long total = SCALE + a.cost + m->corr[p->cls];
    if (a.over)
        total += (long)a.over * m->slope[p->cls / LENS];
    p->over = a.over;
    p->cost = total > 0 ? total : 0;
    return j;
}

static const model *model_of(enum tokens_encoding enc)
{
    return &models[enc == TOKENS_CL100K ? TOKENS_CL100K : TOKENS_O200K];
}

static uint64_t scaled_count(const model *m, const unsigned char *s, size_t len)
{
    uint64_t sum = 0;
    piece_info p;
    for (size_t i = 0; i < len; sum += (uint64_t)p.cost)
        i = piece(m, s, len, i, &p);
    return sum;
}

size_t tokens_count_enc(enum tokens_encoding enc, const char *text, size_t len)
{
    uint64_t sum = scaled_count(model_of(enc), (const unsigned char *)text, len);
    return (size_t)((sum + SCALE / 2) / SCALE);
}

size_t tokens_count(const char *text, size_t len)
{
    return tokens_count_enc(TOKENS_O200K, text, len);
}

/* The most a text estimated at `budget` tokens may cost in 1/SCALE: the
 * count is rounded to the nearest token. */
static uint64_t scaled_budget(size_t budget)
{
    return budget >= UINT64_MAX / SCALE - 1 ? UINT64_MAX : (uint64_t)budget * SCALE + SCALE / 2 - 1;
}

/* A piece of several lines (blank lines, "}\n\n") ends lines inside it:
 * the last of those, in s[i, end), that still fits when the text before
 * it costs sum; 0 when none does.  A binary search, as the cost grows
 * with the length. */
static size_t cut_inside(const model *m, const unsigned char *s, size_t i, size_t end, uint64_t sum,
                         uint64_t limit)
{
    size_t best = 0, lo = i + 1, hi = end - 1;
    while (lo <= hi) {
        size_t mid = lo + (hi - lo) / 2, q = mid;
        while (q >= lo && s[q - 1] != '\n')
            q--;
        if (q < lo)
            lo = mid + 1;
        else if (sum + scaled_count(m, s + i, q - i) <= limit)
            best = q, lo = mid + 1;
        else
            hi = q - 1;
    }
    return best;
}

/* Where to cut text[0, len) for budget, judged by the pieces of the whole
 * text: the end of the last line, else of the last piece, that fits. */
static size_t scan_cut(const model *m, const unsigned char *s, size_t len, size_t budget)
{
    uint64_t limit = scaled_budget(budget), sum = 0;
    size_t line_cut = 0, piece_cut = 0;
    piece_info p;
    for (size_t i = 0; i < len;) {
        size_t end = piece(m, s, len, i, &p);
        if (sum + (uint64_t)p.cost > limit) {
            size_t inside = cut_inside(m, s, i, end, sum, limit);
            return inside ? inside : line_cut ? line_cut : piece_cut;
        }
        sum += (uint64_t)p.cost;
        piece_cut = end;
        /* Punctuation takes the newlines after it, and o200k slashes
         * after those ("}\n//"): a line can end inside a piece. */
        for (size_t q = end; p.cls >= CLS_PUNCT && p.cls < CLS_SPACE && q > i; q--) {
            if (s[q - 1] == '\n') {
                line_cut = q;
                break;
            }
        }
        i = end;
    }
    return len;
}

size_t tokens_prefix_enc(enum tokens_encoding enc, const char *text, size_t len, size_t budget)
{
    const model *m = model_of(enc);
    const unsigned char *s = (const unsigned char *)text;
    size_t cut = scan_cut(m, s, len, budget);
    /* A prefix can be cut into pieces differently from the whole text
     * (a whitespace run at its end is not followed by a word): check it
     * on its own, and cut again inside it when it costs more. */
    while (cut > 0 && cut < len && scaled_count(m, s, cut) > scaled_budget(budget))
        cut = scan_cut(m, s, cut, budget);
    return cut;
}

size_t tokens_prefix(const char *text, size_t len, size_t budget)
{
    return tokens_prefix_enc(TOKENS_O200K, text, len, budget);
}
