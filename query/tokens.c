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

/* Unit classes: the alphabet of the pair table.  Each ASCII letter (in
 * either case) and punctuation character has its own class; non-ASCII
 * characters fall into a few classes by script or kind of symbol. */
enum {
    U_CTRL = 0,      /* tab, CR, LF and other control characters */
    U_LOWER = 1,     /* 1..26: a..z */
    U_SPACE = 27,
    U_PUNCT = 28,    /* 28..59: the 32 ASCII punctuation characters */
    U_GENPUNCT = 60, /* U+2000..U+206F: quotes, dashes, bullets, ellipsis */
    U_NA2 = 61,      /* other two-byte letters: Latin, Greek, Cyrillic, Hebrew, Arabic */
    U_NA3 = 62,      /* other letters: Indic, Thai, Hangul, astral scripts */
    U_SYM = 63,      /* other symbols; digits (never in pairs) */
    U_UPPER = 64,    /* 64..89: A..Z */
    U_LATIN1 = 90,   /* U+0080..U+00BF: C1 controls, Latin-1 signs */
    U_BOX = 91,      /* U+2500..U+25FF: box drawing, blocks, shapes */
    U_EMOJI = 92,    /* U+1F000..U+1FAFF */
    U_CJK = 93,      /* U+3040..U+9FFF: kana, CJK ideographs */
    U_MATH = 94,     /* U+2190..U+24FF: arrows, math, technical */
    U_INVALID = 95,  /* a byte that is not UTF-8 */
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
enum { SHAPE_LOWER, SHAPE_CAPITAL, SHAPE_UPPER, SHAPE_MIXED, SHAPE_NONASCII, NSHAPES };
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
    const char (*pair)[NUNITS + 1]; /* split chance, '0' + 64ths */
    const short *run;               /* NUNITS, split chance in a long run, 1/256 tokens */
    const short *uni;               /* NBLOCKS, 1/256 tokens */
    const short *corr;              /* NCLASSES, 1/256 tokens */
    const short *slope;             /* per LENS classes: 1/256 tokens per unit past LENS */
    int cl100k;                     /* cl100k's regex rather than o200k's */
} model;

/* BEGIN FITTED TABLES: written by tests/tokens/fit.mjs (bias 1.025) */
static const char o200k_pair[NUNITS][NUNITS + 1] = {
    "0>01462111220F2F\?173400G2E2422222222222222822222222222222222o22og2<KgE02T22>JR1;21N;W2<122ooo2oo", /* control */
    "2B000F208300000H0A0002010002222222Q2222222222222222222222222o22o22222222222222222222222222ooo5oo", /* a */
    "22DIC1\\Na81a1VZ3PO3GN2^aJ0O2222222l2222222222222222222222222o@2o22222222222222222222222222ooo2oo", /* b */
    "22J2=1`^05Q018R1\?\?1<05;F:212222222`2222222222222222222222222o:2o22222222222222222222222222ooo2oo", /* c */
    "2;:T01Z5a4a\?8KS4ji85I2=];2C2222222M2222222222222222222222222oA2o22222222222222222222222222ooo2oo", /* d */
    "23:20412B9H7110981000;4101M222222282222222222222222222222222o42o22222222222222222222222222ooo2oo", /* e */
    "22CN@41G\?1K27D\?08;1=12GW=022222222c2222222222222222222222222o32o22222222222222222222222222ooo2oo", /* f */
    "2<GYk1lH05254B15oY26256J@T;2222222]2222222222222222222222222o22o22222222222222222222222222ooo2oo", /* g */
    "23@jM0YJZ12]TD>1OK6505SQM9>2222222L2222222222222222222222222o22o22222222222222222222222222ooo2oo", /* h */
    "22000000X2>000000900000P0102222222^2222222222222222222222222o72o22222222222222222222222222ooo2oo", /* i */
    "231I=05D7BT:<GF1;9M186O@8L22222222@2222222222222222222222222o22o22222222222222222222222222ooo2oo", /* j */
    "27\?Y@1R1W:S2P\\4D^Gc;LEO>2A52222222R2222222222222222222222222o22o22222222222222222222222222ooo2oo", /* k */
    "249D000RL6E61\\X1<8<2212CI0T2222222a2222222222222222222222222o<2o22222222222222222222222222ooo2oo", /* l */
    "233f21c9J9gS633222j2D5ia11Y2222222]2222222222222222222222222o12o22222222222222222222222222ooo2oo", /* m */
    "24i20150J8A17<23CY_2027oK1j222222222222222222222222222222222oE2o22222222222222222222222222ooo2oo", /* n */
    "24010;00S16000020`00102021@2222222O2222222222222222222222222o22o22222222222222222222222222ooo2oo", /* o */
    "22FT;1VK471211B11N1116EYJ4@2222222[2222222222222222222222222o<2o22222222222222222222222222ooo2oo", /* p */
    "2222G2EX6S2O0OY2J1PT202S228222222222222222222222222222222222o22o22222222222222222222222222ooo2oo", /* q */
    "24A611E173\\16231Kl11022@U0<2222222T2222222222222222222222222o42o22222222222222222222222222ooo2oo", /* r */
    "27_<J4L=1;Q1:=I366:003=Cg3C2222222b2222222222222222222222222oB2o22222222222222222222222222ooo2oo", /* s */
    "24Y6;19[03bAD=Z25V1422f=:1C222222242222222222222222222222222o82o22222222222222222222222222ooo2oo", /* t */
    "2100001061;000050@000221610222222232222222222222222222222222o22o22222222222222222222222222ooo2oo", /* u */
    "21ebR0f156@9ZSM0c21QYNEG`m22222222Q2222222222222222222222222o82o22222222222222222222222222ooo2oo", /* v */
    "237UA2T502:ALc00M^42QT^1>252222222L2222222222222222222222222o22o22222222222222222222222222ooo2oo", /* w */
    "25=5C8<O`88Kh7PL4Mbh0X]UB1M222222222222222222222222222222222o82o22222222222222222222222222ooo2oo", /* x */
    "2N=XL:k8J>B2<8441@322GkL6422222222B2222222222222222222222222o22o22222222222222222222222222ooo2oo", /* y */
    "223GE0YV16@2\\le3BBTkA6`F515222222222222222222222222222222222o22o22222222222222222222222222ooo2oo", /* z */
    "10000000000000000000000000000000000000000000000000000000000033:A00000000000000000000000000F1O1>o", /* space */
    "0B2522222252222@Q2jI222@28220BooooKHEcoo\?YFooo0oYo8boogoooooo22o2<22222D222282222222222222ooo2oo", /* '!' */
    "0Z[V3VgBOd2<ZOOe@2\\b\\=@M=282a3J85dZJ1ID0863049h3V>IJ1F7H8]7Go22o78^2SWAZG255<;88:GMPL25cV@ooo2oo", /* '"' */
    "4TPV00TG@2I2TC@RL2_kM>TI2222>d0boo`looojoeMWooooooEooo9ojoooo22o5FE25@2222Hk@22825\?2@22222ooo2oo", /* '#' */
    "2Q2\\25222828222V:2d2222M2222odY;ook5ooooo]Ooooooooo\\oooo4oooo22o222<2222822222282L2228L222ooo2oo", /* '$' */
    "3:22322222822228I2225G2225I2oKao1oLSRoo^eNooEoeoooomodooooDoo22o5122222W22222222222<222582ooo2oo", /* '%' */
    "1JQbK2RI@UY5H\\\?IP:YdVO22IO229o6oo0o4ooodoooooo\\ooooooo;oooooo22o52222222222222222281222822ooo2oo", /* '&' */
    "1IM[0@`<U32G30FJN:10021JA5\?2bA589A8C1==0=4223<HVG4Q32C9d\?bIKo22oABI2>@TE\?555148J:H11F2I5M<ooo2oo", /* ''' */
    "040123051503410223101942021211\?57m0101<h3<67=K`dS54Moc211`oMo22o>36BH3M\?B24601[BH6C1;0@K23ooo2oo", /* '(' */
    "028JB2R22P2282225211V:182522MQoYPOT20NP091Q00^;`Ko=R\?^oG<EKoo22o22825222522222=22228222222ooo2oo", /* ')' */
    "1718L8222222A5:I222P22222212Elo_ooheD0o4[G1ho1O>mogboo8ooo`oo22o522B288222222222222A222228ooo2oo", /* '*' */
    "2lhaeLfK`ke2h_ZicWejY^RR1222o\\odooO^\?o1U[[No5o1oooZPNoooooooo22oJ:G=GS2IE22J5IJP2P\\M222822ooo2oo", /* '+' */
    "0B8<=C<043=1:325E1;C5MX11112]2mo`IBhWoE=<ZZ[oaooooiLoobo9oooa22o525S=1\?ID@5O1@D42ASdU51222ooo2oo", /* ',' */
    "\?A090959690:40096E6229:10352o_o@=oUJJao^0aaoAoA0ooiXookoVoooo82oP\?8A624=\\81;3HMW2YKG@12120ooo2oo", /* '-' */
    "0000000003010001040028200102g80H=WH\\>Db6Q01Vo@ooooF7`n1[Kcoja22o10106023310000C19310300810ooo2oo", /* '.' */
    "0@5C3>>8>84H;458;:P4;H6=3MO2oK38HoIfL1\\NK@0boSg49<bJlLAoEooZo52oQGPkZY]V]f4NIZ:K2TV:RZ6012ooo2oo", /* '/' */
    "0XLaP=ZO6:12CI3NN:B:<B1>5;12o4_\?;oH\?e;[^=O01o[\?oojYRHkfF\?oooo22oC2DG14:1O22IX77P2=88528228ooo2oo", /* ':' */
    "0V63OAcFW322fAK<2GbXVP_@2222oWoohEheNoomimdo2[oooooZooooooooo22o825:2228222228:22288222:22ooo2oo", /* ';' */
    "1J95S<520455\?;;0>22:HM122<52>noooXlbooooVo1ho05\\Uoloooloioooo22o2PA2222252222E522:21124258ooo2oo", /* '<' */
    "8`J^KUA:9\?1LRW7Q]TRK7KNY1@42I1o4:X6;oUoo\?_KXoX01Mo4IooAE2oooo22oB9JY[;J]hI>@O2YK:L[4G>61E2ooo2oo", /* '=' */
    "0@A8A252O222@5GF282E2B222522oCoUS:D:GooAoaF]O421nhWIbooJgXXoo22oH8ZO@D22=222T22I2OQ12BI222ooo2oo", /* '>' */
    "0KHIH@M223:TcV\\MM4KeeTP252F2G\?nbooW=;oo\?m1l>oooR0oPNoo@oojooo22oF52222:A222522D8522222K585ooo2oo", /* '?' */
    "JOKKL4MGbU25aVVG;2Y\\6glSC2<2oeoooooloooooooeooooo3oaooQoaoooo22o22822D22222222222222822222ooo2oo", /* '@' */
    "0LHG]:O]F000Pe0R@9H>5<HJ1222o2cjSo1@oIfF;@L5oooooY=T1P6PPoooo22oel\\\\jgC[f2<CI=eMabf`i@c222ooo2oo", /* '[' */
    "1:<P127222222215822748420222o5olooZQooobhXAoomooooj4ooooooooo22o855522222222G82222:2R@@222ooo2oo", /* '\' */
    "022252522822222H225222222222nOooMiP44=;0g2A53\\6[Ho3;9jkoF^Ooo22o52222222222222222222222222ooo2oo", /* ']' */
    "L2Q2222228@Q2<28282222222282oooooooFloooUoooooXoooCIoAooYoooo22o222<2222822222222222222222ooo2oo", /* '^' */
    "32000121112100020@10040101H2oK3hjo`7AMo1b;NTK[aoooVVko0oEfooo25o10105100200000905001300110ooo2oo", /* '_' */
    "12@TT82\\^O22D2J2\\8@W@22@22@2oAo6Mo_fDoo1o:BkB=ooooSnmoND\\oloo22o22W2@22@2222222222I2222222ooo2oo", /* '`' */
    "0jEP85G5FQ25VGF2V23bWF222222L2oo:o@^ojooPogaooooh@cMooco5j7oo22o:2UA8AD2K22Y2Z2J22<2:22@2Pooo2oo", /* '{' */
    "0C]JU:_2\\M@2A2PAK2TP\\V22D8<2oUooooRXooooomooooCooooVooeoo0ooo@2o@Ni\\2FiTd2@@a22:2FWJ:22A82ooo2oo", /* '|' */
    "0W=`F9JdRF52\\ME2Z2:5Y2225F22o=o\?RaEM3a[2QN4L3A=M`=X<Voj5KF4oo22o25222G2222225222222A225222ooo2oo", /* '}' */
    "82@82@2222222222222222222222oooooooWooooooHoooVoooooooooooo1o22o22222222222222222222222222ooo2oo", /* '~' */
    "oXooXoooooooodooooX2OoRoooooooooooooaooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* U+2000 punctuation */
    "282\?7\?23222289172248@522E22222222222222222222222222222222222of2o22222222222222222222222222oooAoo", /* 2-byte letter */
    "222222222222222222222222222222222222222222222222222222222222o8Lo2A222222222222222222222222ooo2oo", /* other letter */
    "ooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooohoo", /* symbol */
    "22010RB4E=E80<1_5U03110YE1Q222222222222222222222222222222222oO2o1022b40D;G;100X1X02080800Dooo2oo", /* A */
    "215>P0B2112D12348:6D21@=D1@222222222222222222222222222222222o@2o\?:;P:SGQH<N4jR;]IHhf8Q<f8cooo2oo", /* B */
    "25GDH02>0C2B13515@2R9hGY5SB2222222Q2222222222222222222222222o22o7V6D69:3PJ04Bl<3BD7<[EBl2@ooo2oo", /* C */
    "212F83B2217KA:Q1IL27:;8249:222222282222222222222222222222222o22o=3Z54=fCG21I7j9X@7N;^1N\?AJooo2oo", /* D */
    "23\?10:09@=51130:\?008:11502@2222222:2222222222222222222222222o22oCC81A72``dg741IYQ041VBL30Gooo2oo", /* E */
    "22GYn1Y^P1@70B:0:23ZO2OO2JD222222222222222222222222222222222o22o2B6871687R0\?>B59O4E3@2@k12ooo2oo", /* F */
    "2C2<21I2U32501K4@20Y>3K@Iff222222222222222222222222222222222o22o]3XO3R<5[IOO;:7:K@48S=MaYRooo2oo", /* G */
    "2222T0222322@9872O2:53\?22<2222222222222222222222222222222222o22o<SV_768:O2cT_eCA2iF0Z@J2b8ooo2oo", /* H */
    "212312012f22100312100i@8082222222212222222222222222222222222o22o6000360A29700020220001d0I0ooo2oo", /* I */
    "23D22:T22NU222>288102;2224O222222222222222222222222222222222o22o_2>47J22c21GT28@220@<212J2ooo2oo", /* J */
    "29\?220222228221H8B3Y21222B2222222222222222222222222222222222o22oZ2fe4I>TFM7H2AZW@]OMb1Q@55ooo2oo", /* K */
    "272A51I<51221H11J:J=18A22F22222222>2222222222222222222222222o22o:ASJ27i\\;If>De4;8V_L9@[IGmooo2oo", /* L */
    "21<2@1F224;@2O22222=`32=2012222222I2222222222222222222222222o22o57M59h55H2Y1TBFC2H>6I@SKI_ooo2oo", /* M */
    "21@1042A21222220O@0@\?422022222222282222222222222222222222222o22o\?T85:J1UG>:7AF;V^]<62LN=6iooo2oo", /* N */
    "2@0118082<124<0@020201200222222222>2222222222222222222222222o22o8140i63V:A6210A2205231038Jooo2oo", /* O */
    "21HFQ21>2D@80=41@80I157525I2222222G2222222222222222222222222o72oC`=N6_CJ32F8;112@2:;8;UW\?2ooo2oo", /* P */
    "222282232F2@=85AD2@21025222222222222222222222222222222222222o22oS2IB22N2T2I0]D<268@T02K222ooo2oo", /* Q */
    "227220@5[422=122\\28B@12:2:22222222Q2222222222222222222222222o22oCgD:2OLRHQ19D=1CF5N0A0=h2@ooo2oo", /* R */
    "26k2W12X0182<C<84D4X03G3X41222222252222222222222222222222222o22oLZ:\?1nM2EO4:25:87L405TFV=Vooo2oo", /* S */
    "27RQ812Y03@9M122220S84E12022222222M2222222222222222222222222o22o;_<S7=f0PcGR<67924\?3DLPE41ooo2oo", /* T */
    "2212BD2S2086G51202002:T2P12222222222222222222222222222222222o22oC0E3190252:100m12000B:215@ooo2oo", /* U */
    "21D2<2IQKC2@2I2<2242BD2@L22222222222222222222222222222222222o22o6R7S8a02;D@J;^25@DKIZ@:222ooo2oo", /* V */
    "222G212:01@IB280G210212@22@222222222222222222222222222222222oW2oB2_OA5Z7\?bHie65:50<``11BJ2ooo2oo", /* W */
    "27:K25822\?528E@82222b22I>82222222282222222222222222222222222o22obeeKQSYYIQ8d4en=:W`2_2@01`ooo2oo", /* X */
    "2^2@:::B262822212O2^2G22222222222222222222222222222222222222o22o:dgVNSJ2`2:fSCL0DfG]XSF=4=ooo2oo", /* Y */
    "25222;<J:722i2I2:22g@22122Q222222222222222222222222222222222o@2oCQEM1gSV6O2`l23SB@_G2@P12:ooo2oo", /* Z */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* U+0080 sign */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooSoooo", /* box drawing */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* emoji */
    "222222222222222222222222222222222222222222222222222222222222o2Ao22222222222222222222222222oooioo", /* CJK */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* math */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* invalid */
};
static const short o200k_run[NUNITS] = {
    0, 29, 63, 63, 63, 63, 29, 126, 63, 63, 126, 59, 29, 63, 126, 29,
    126, 126, 59, 63, 126, 130, 59, 130, 29, 63, 130, 0, 13, 63, 0, 59,
    4, 126, 63, 63, 63, 0, 4, 63, 0, 0, 0, 13, 13, 29, 0, 29,
    29, 25, 126, 59, 130, 25, 0, 130, 126, 63, 126, 4, 253, 232, 95, 252,
    29, 63, 63, 130, 63, 29, 126, 126, 63, 126, 126, 59, 63, 126, 59, 130,
    126, 126, 126, 126, 126, 126, 130, 13, 63, 126, 252, 58, 252, 230, 253, 252,
};
static const short o200k_uni[NBLOCKS] = {
    0, 2, 57, 77, 77, 158, 77, 18, 5, 77, 77, 77, 11, 77, 77, 77,
    256, 256, 5, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    5, 195, 158, 116, 75, 256, 256, 256, 256, 256, 19, 27, 256, 272, 121, 268,
    412, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    50, 256, 78, 256, 256, 256, 78, 361, 301, 534, 256,
};
static const short o200k_corr[NCLASSES] = {
    6, -16, 0, 1, 0, 12, 29, 59, 91, 143, 118, 196, 342, 290, 255, 520,
    0, 3, 2, -3, 2, -9, -6, -8, 45, 95, -2, 32, 85, 84, 32, 423,
    6, -31, -9, -8, 42, 48, 62, 114, 192, 181, 170, 268, 386, 216, 474, 509,
    0, 0, 81, 71, 118, 17, 127, 256, 227, 168, 275, 79, 396, 90, -65, -213,
    14, 135, 180, 330, 375, -13, 221, 205, 479, 123, 0, 29, 0, 0, 0, 50,
    6, 2, 3, -7, -7, -12, -11, -12, -5, -2, -2, 9, 8, 12, 57, 424,
    0, 3, 0, 0, -1, -8, -5, 30, 59, 42, 115, 89, 105, 39, -12, 36,
    6, -15, -16, -17, 19, 0, -33, 75, 14, -123, 216, 14, -20, 151, -390, 427,
    0, 0, 20, 15, -13, -25, -4, 122, 80, 184, 251, 175, 375, 201, 11, 224,
    145, 3, -122, -89, 127, 102, 9, -39, -222, 107, -33, 0, -32, 0, -27, 0,
    -6, 6, 15, 3, 18, 29, 57, 115, 202, 199, 264, 294, 423, 394, 577, 227,
    0, 95, 70, 20, 59, 64, 96, 133, 158, 220, 203, 248, 251, -58, 0, 75,
    -3, 24, 26, -10, 20, 31, 56, 100, 74, 114, 238, 223, 279, -49, 405, 578,
    0, 0, 104, 173, 192, 130, 270, 307, 231, 276, 240, 273, 206, 42, 143, 0,
    29, 32, 12, -144, 113, -9, 144, 0, 0, 0, 0, 0, 0, 0, 0, -8,
    6, 1, -2, 19, 52, 116, 131, 166, 165, 183, 105, 236, 251, 244, 169, 351,
    6, 2, 0, 19, 68, 155, 138, 203, 310, 142, 160, 233, 180, 330, 339, 250,
    6, 6, 6, 6, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    16, 101, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 2,
    6, 6, 6, -3, -6, -8, -9, -10, -10, -10, 253, 252, 253, 253, 0, 0,
    6, 6, 6, 0,
};
static const short o200k_slope[NCLASSES / LENS] = {
    31, 0, 0, 0, 0, 8, 0, 40, 0, 0, 6, 0, 0, 0, 0, 0,
    3, 0, 0, 1, 0,
};
static const char cl100k_pair[NUNITS][NUNITS + 1] = {
    "0>0125011122002F:173300<2E2422222222222222222222222222222222o22od2<KgF02T22>0RT\\217;X2<222ooo2oo", /* control */
    "2D000B205301000D0C000200000222222222222222222222222222222222o62oMacbch5\\M5hifKPeIX9dVNWB]Iooo5oo", /* a */
    "22IBB0ZNa81^1S[2PO3GH2^aJ1O222222222222222222222222222222222oA2oh[]M^S=2f2OdODXfMTQjIQbG52ooo2oo", /* b */
    "22H2<1`]04Q018S1>;2=07AF221222222222222222222222222222222222o:2obBj]giPakPSeQf>k8]keibcL22ooo2oo", /* c */
    "2;7O11X5a4a>8GS4ji75I3@]91C222222222222222222222222222222222oA2ojmla\\gim`XkmmjjnZllWlihR2Pooo2oo", /* d */
    "22:20412B9G<110971000;2100K222222222222222222222222222222222oB2obnokJkknhlll_[kVcjd`]ml^OUooo2oo", /* e */
    "22BR241@>1P25;418<1;12G\?=02222222222222222222222222222222222o32ogSjbKT5YZT2c^HHhJd_^T2jO8Tooo2oo", /* f */
    "2>KQ`1l804@58C24nY46266J@T9222222222222222222222222222222222o22ojhjiWjR_eiifiWjk[aljA`h2BRooo2oo", /* g */
    "22@bQ1YBZ12WTDA2JK540:SRM>\?222222222222222222222222222222222o22okakghm[`j2ffiRd^8lmh[e`5JBooo2oo", /* h */
    "22000000X2R000000600000P0L0222222222222222222222222222222222o32oUgicFcXTY82gQ2@_I^aZ2_5@AIooo2oo", /* i */
    "232I>02O2LB:<GF189\?097OA8N2222222222222222222222222222222222o22oI@@=A@@=D=F2A222@OI222228Dooo2oo", /* j */
    "25;WG1S1`8V:N\\6>WHf<VFMA8D5222222222222222222222222222222222o22oldmnmi]liIfikilmdnhedObI;@ooo2oo", /* k */
    "24:D000VC6V50\\P198;2211CE0@222222222222222222222222222222222o<2oklRnnkThl2Yjjfih`ihm_ef2<[ooo2oo", /* l */
    "234a31d6U9g5633932j2>6ib20Y222222222222222222222222222222222o12o`h`RmGc[clch^haf2SjfYkG2JIooo2oo", /* m */
    "24b20160I6@16<23@\\Z3025oK2J222222222222222222222222222222222oG2olkkjcmmki8idlilZ8lmli^l:NEooo2oo", /* n */
    "24010;00O16000020`00002011=222222222222222222222222222222222o22oWgkn[giRXSJAecblafAc]YTG25ooo2oo", /* o */
    "23RT:1\\B07W215D11M1116EJJ46222222222222222222222222222222222o=2omeka]lSbmS8fjcfk;WlmibcH8@ooo2oo", /* p */
    "2222G2EX6R2O0Oe2DIPX202L228222222222222222222222222222222222o22o@822K2O282I@A8T882WM222@22ooo2oo", /* q */
    "24G610<172\\27331Km11021>U0=222222222222222222222222222222222oJ2oVlZYSg_dc\?]jejgj2lihackD22ooo2oo", /* r */
    "27]9O1M>16Q1;79346<102<Bg2C222222222222222222222222222222222oB2oTmddmnli[2VmJ]]oVjnmlJTPP\\ooo2oo", /* s */
    "23Y5929[04c9C<W25V14@2W=31E222222222222222222222222222222222o82ojkYV=QnDIWdfj\\hhXGkSHilEOEooo2oo", /* t */
    "21001020=1E1000\?0@000729610222222222222222222222222222222222o22o525Efg28K22eQ@JS2:I3E222@2ooo2oo", /* u */
    "21c[H1F157@9ZSM1c29ZYNEG`m2222222222222222222222222222222222oD2oJ:JkYD2aS@JdJ@e\\@cId@Z2O\?Iooo2oo", /* v */
    "237RA3T502;AM`00>_32Ri^1>55222222222222222222222222222222222o22oRM\\VjbYiK2VeYOdR5eoh:fcA@Gooo2oo", /* w */
    "25<5E59Oa78K_7JL3Mbh0X]V41M222222222222222222222222222222222o82o68BHQ\?5fe=JSf`7c@k[iLPS:2Hooo2oo", /* x */
    "2O=Qi<kDJ>B\?=5141@422TkG662222222222222222222222222222222222o22olfjb]j^igQ_kk[ilMlhjiea@J\\ooo2oo", /* y */
    "232GE1SU27@2Qnf8BBTkD6`F598222222222222222222222222222222222o22o8QZaGeB@UDIB2G2:2]2XOI]2@=ooo2oo", /* z */
    "1000000000000000000000000000000000000000000000000000000000003D:A00000000000000000000000000F1P1>o", /* space */
    "0B2522222252222@Q2jI222@28226>ooooI=PcohF\\Foo;0oSo6boogoooooo22o2=22222D222282222222222222ooo2oo", /* '!' */
    "0Z[F3Vb;Od2=ZPPeA2\\b\\=@J=282Y3J85cXC1HD0763057i3J<FJ1\?7G9]7@o22o78^2SWAYH255<988:GMPM25cVAooo2oo", /* '"' */
    "3TPS00TG@2I2TE@RL2^kM>T=2222=e0_oo`lPoojoeMWooZoomEnoo9ojoooo22o5FE25@2222Ik@22825\?2@22222ooo2oo", /* '#' */
    "3Q2\\25222822222V:2d2222M2222odY;ook6koooo]Qoooooooo\\oooo4oooo22o222=2222822222282L2228L222ooo2oo", /* '$' */
    "3:22322222822228I2225G2225I2oMao1oLWRoocePooEoeoooomodooooDoo22o5222222122222222222=222282ooo2oo", /* '%' */
    "1JQbK2RI@UX5H\\\?IP:adVO22IO229o6oo0a4ooodoooooo\\ooooooo;oooooo22o52222222222222222282222822ooo2oo", /* '&' */
    "1VN[0ReGIE2G40FJO:10021Ka:R2bA489\?8A1>=0:3324<EEG4Q32>7d\?EGIo22oE;I2\?AUE\?5551A8K:D11H2I5N=ooo2oo", /* ''' */
    "041012030501300113101432012210\?57m0000>o3:678P`d^54Koe221`oMo22o=36<F34:C24204;:D6F191\?K23ooo2oo", /* '(' */
    "028KB2R22P2282225201V;282522iJoWPON20CK091O00^:`Go<R<^cF;ELoo22o22825222522222=22228222222ooo2oo", /* ')' */
    "0818K8222222B5:I222N22226222PjoZood9=0o4XG1So1N>mob`oo8ooo`oo22o522C288222222222222E222228ooo2oo", /* '*' */
    "0lhabMbK`ka2g_UicWejY^RR1222o\\oYDoOX>o1U[WNo5o1oooZPJojoooooo22oJ:>P>S2IE22J52JP2P[M222822ooo2oo", /* '+' */
    "0A8;<C;043=1:951N1;C5M011122]2mo_I@fUnE>=[Z[oboooobLoobo9ooob22o525S=1\?ID@5E1@E52ASaU51222ooo2oo", /* ',' */
    "2D081958380170294C;329:10322o_oB=oTJNRoG0aboAoA0oomXoogoVoooo82oO\?9C744A\\81;1KMR2PKGA16220ooo2oo", /* '-' */
    "0100010002001001020014300002o809=WA]CFb6R01^oAooooT7en1\\Kgoob22o10006004210000@09200150010ooo2oo", /* '.' */
    "0>3<1\?;2:63392676:P4:H4=3E32oI27DoEfL0]ND\?0beRW49<\\JlEAo\?ooZo52oHCP\\Z<[VYX208Z4c2NP8>13112ooo2oo", /* '/' */
    "0VB]M=ZM9:12CI3NO;99;N1R5;T2@4_\?;oF\?e;[\\9S01o[\?koj\\H@kfC\?oooo22o:2EG24:1O52IX77P2I8E528228ooo2oo", /* ':' */
    "0V63EVcFW322fAK<2Gb]VP_@2222oUoohGXeToomgmdo2[oooooZooooooooo22o825;2228222228;22288222;22ooo2oo", /* ';' */
    "1K95R=520425=;;0622:HM222552>joooXlbooooVo1ho05]Uoloooloioooo22o2P92222252222F52@;2112B258ooo2oo", /* '<' */
    "7^H_ZU@79\?1:NT7GUTNK5KMY1@42I1o47X5;oUoo=_KYoX00Mo4Ioo\?E2oooo22oB8JYM9=]hI\?@O2YK:\?\\4G772\?2ooo2oo", /* '=' */
    "0@A8A252O222@52F282E2B222222oCoTS:C>EooAo5F]O421nhPE`ooJg^Xoo22o189E@\?22=222T22I2OQ12@=222ooo2oo", /* '>' */
    "0KHIH@N223;:cV\\MM4TeeTP;52F2P@o\\ooW<Loo\?m3o>oofR2oVOmoooooooo22oF52222;A222522D8522222K585ooo2oo", /* '?' */
    ">CLKX5NGbU25aUVG;2Z\\7glTC2=2oQooooolooooooooooooo3oVooQoaoaoo22o22822D22222222222222822222ooo2oo", /* '@' */
    "0JGFZ:M^\?000KF0IA9I<4<EJ1222o2PVSo19oAfF6@O5oJoooJ;K1Q3jKoooo22o`0ZWjICQfX=7I;e\\abfKf@^222ooo2oo", /* '[' */
    "0;<P1272222222158237>7520222o4olooSQhooofWAoomooool2oooaogooo22o855222222222G82222:2SAA222ooo2oo", /* '\' */
    "022252522822222I225222222222oKoVMiO43;:0_2A51\\6[Co3;<jooF^Loo22o52222222222222222222222222ooo2oo", /* ']' */
    "L2Q2222228AQ2=28282222222282oooooooFooooRoooooXoooPIoAoo[oooo22o222=2222822222222222222222ooo2oo", /* '^' */
    "3100000101201001001001000102oO3hjoN5\?Mo1b;NUK[a\\ooWVko0oE_ooo25o01005000200000101000101110ooo2oo", /* '_' */
    "12@TT82\\^O22D2J2\\8@W@22@22@2oAo5No_NDoo1[:BkB=ooooPOmoND\\okoo22o22W2A22@2222222222I2222222ooo2oo", /* '`' */
    "0jFP85G5FQ25VGF2V23bWF222222L2oo:o\?\\ojooQogaoooohAcIooco5j7oo22o;2UA8AD2K22Y2Z2J22=2;22@2Pooo2oo", /* '{' */
    "0C]JU;_2\\I@2A2PAK2TP\\V2268=2oWaZ\\o]OoooolmooooAooobVoHeoo0oooA2o@Oi\\2FiTd2@@a22;2FWJ;22A82ooo2oo", /* '|' */
    "0W=`F9JdRF52\\ME2Z2;5Y2225F22o=o\?RbDI3Ao0NK6K2B=M`>X<Voj5KF4oo22o25222G2222225222222A225222ooo2oo", /* '}' */
    "C2@82@2222222222222222222222oooooooWooooooHoooVoooooooooooo1o22o22222222222222222222222222ooo2oo", /* '~' */
    "oXooXoooooooodooooX2PoRooooooooooooobooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* U+2000 punctuation */
    "242\?7S242@52999722=9A522E22222222222222222222222222222222222oi2o22222222222222222222222222oooAoo", /* 2-byte letter */
    "222222222222222222222222222222222222222222222222222222222222o8ho2A222222222222222222222222ooo2oo", /* other letter */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* symbol */
    "22110RB>E\?E8040b7U03120YE1T222222222222222222222222222222222oO2o0222b60R8G9100G1X0405E7006ooo2oo", /* A */
    "215GX3B2J1BD52M28::D52@JD1@222222222222222222222222222222222o@2o\?6;R7SGQD3J4jR>ZTHifGQ=f8oooo2oo", /* B */
    "26GDP84M0C2B2:815@4]:hGY5XB222222222222222222222222222222222o22o7X4F69:3K504\?k26BG9<[1@l0Aooo2oo", /* C */
    "222[83B2237LA\?Q4RM=;:AJ2B\?=222222222222222222222222222222222o22o\?2Z52A\\CH23I7j7X@6X@H2N\?\?]ooo2oo", /* D */
    "24\?13;1N@E51540;\?009::1502@222222222222222222222222222222222o22oCC93\?72^Zdg641\?E;051ME;31Gooo2oo", /* E */
    "22SNn2YeP2@R1T:1T24b\\9OO2LD222222222222222222222222222222222o22o2B5891687R0D\?B59O7F3@A@k52ooo2oo", /* F */
    "2D@=21I2Z325J1K4@22YFBK@Iff222222222222222222222222222222222o22oW3L\?3R<4ZIOJ;:6PK>5:P\\MaCRooo2oo", /* G */
    "22=2T0222322B:882O@G25D22<2222222222222222222222222222222222o22o=ST_568:I2]SVeAA2iF0G@J2Z5ooo2oo", /* H */
    "26571;072i22100e12110i@8h82222222222222222222222222222222222o22o5000120C49C00023231011<0I0ooo2oo", /* I */
    "23D22:T2@HU2@2G288202>222BO222222222222222222222222222222222o22oc@\?48K22c21GT289220A@2C2J2ooo2oo", /* J */
    "2FE220222528821H8B3Z8@282B2222222222222222222222222222222222o22o[2fe4JIOGN>H2A[W@^dRb1Q@85ooo2oo", /* K */
    "292A51J=5122GH21J:J@18A22F2222222222222222222222222222222222o22o9ETG07i\\CIW4DS378ND66@[IH3ooo2oo", /* L */
    "22<2@2F:23O@2O21222=`42>50M222222222222222222222222222222222o22o47M48i55A2W8UB4B2B@4H@SKI^ooo2oo", /* M */
    "21@I042A21=2U220`@0@D122022222222222222222222222222222222222o22o=T73:J2U@>37EB;S^]:92KN=6iooo2oo", /* N */
    "2@0\?280\?2=I24>0>021G1240G22222222222222222222222222222222222o22o8230h59V6=2110A:202225039Jooo2oo", /* O */
    "22WPQ2_\?0E@`1P=3@81b157521I222222222222222222222222222222222o:2o@_=R4[CJ12<0=111@3;98;UW62ooo2oo", /* P */
    "2222822J2F2AI85^D2@@1125222222222222222222222222222222222222o22oS2IR22N2T2I0]N=26E@T02K222ooo2oo", /* Q */
    "24\?@20@6[722IJ23828BA0@:2f2222222222222222222222222222222222o22o@`E:2CISCQ17C<1=V4O0A7=h0@ooo2oo", /* R */
    "27k3W12X0282>C<:3IIY04G3X22222222222222222222222222222222222o22oIY7\?0lM2;O8:358:2K406UAW;Eooo2oo", /* S */
    "28UR812Y02@9Z223221S87E2202222222222222222222222222222222222o22o<U<T3=f0;dGPW66825@4AOO532ooo2oo", /* T */
    "221@BD2T208DGX1202004:T8PI;222222222222222222222222222222222o22oC0=3140202:100m22000H:215Aooo2oo", /* U */
    "21D2=4IQKC2@2I2A22U2BD2@M2@222222222222222222222222222222222o22o3O7S7`057D@J7^23@PK@f@;822ooo2oo", /* V */
    "232G@12:02AIB281G2302@2@52@222222222222222222222222222222222oZ2oB2_OF5Z:\?bHKe65:50;``I9BJ2ooo2oo", /* W */
    "2=:K25822\?528E@8A222e22I\?82222222222222222222222222222222222o22ohccKPSYYCQ8d4en;:W`2_5A11`ooo2oo", /* X */
    "2j2@:;:B2]282\?202O2^2G22222222222222222222222222222222222222o22o=dkVOSK2`2M_UCO1DfHH[SFI48ooo2oo", /* Y */
    "25228;=J2722iDI4:22g@2@F22Q222222222222222222222222222222222o@2oCQE`2gSV8P2am23SB@_G2@P:2:ooo2oo", /* Z */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* U+0080 sign */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooSoooo", /* box drawing */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* emoji */
    "222222222222222222222222222222222222222222222222222222222222o2Ao22222222222222222222222222ooojoo", /* CJK */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* math */
    "oooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooooo", /* invalid */
};
static const short cl100k_run[NUNITS] = {
    0, 29, 63, 63, 63, 63, 29, 126, 130, 130, 126, 126, 126, 130, 126, 29,
    126, 126, 126, 130, 126, 126, 126, 130, 29, 63, 126, 0, 29, 130, 0, 63,
    0, 126, 130, 63, 63, 0, 4, 29, 0, 0, 0, 25, 13, 29, 0, 29,
    63, 59, 126, 63, 126, 59, 0, 130, 130, 59, 130, 0, 253, 246, 135, 252,
    29, 59, 63, 130, 63, 29, 126, 126, 130, 126, 126, 63, 63, 126, 126, 130,
    126, 126, 126, 126, 126, 126, 130, 29, 63, 126, 252, 67, 252, 240, 253, 252,
};
static const short cl100k_uni[NBLOCKS] = {
    0, 7, 120, 77, 77, 176, 77, 73, 49, 77, 77, 77, 41, 77, 77, 77,
    256, 256, 123, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    7, 196, 207, 117, 191, 256, 316, 256, 256, 256, 20, 50, 256, 346, 122, 256,
    411, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256,
    55, 256, 234, 256, 256, 256, 79, 361, 384, 533, 256,
};
static const short cl100k_corr[NCLASSES] = {
    6, -15, 1, 2, -12, 9, 28, 55, 82, 144, 124, 189, 313, 248, 247, 488,
    0, 5, 6, 7, 18, 7, 29, 24, 133, 126, 62, 120, 57, 267, 26, 338,
    6, -23, -5, 0, 37, 40, 80, 102, 226, 232, 190, 316, 391, 277, 488, 650,
    0, -46, -71, 131, 62, 66, 57, 18, 61, 45, 34, 90, 16, 78, 70, 91,
    42, 178, 87, 281, 439, 148, 179, 147, 3, 208, 0, 122, 0, 0, 0, 2,
    6, 2, 2, -5, -8, -13, -10, -13, -6, -1, -3, 6, -1, 18, 58, 415,
    0, 3, 0, 0, 2, -7, 1, 26, 52, 47, 85, 79, 94, 50, -12, 19,
    6, -15, -11, -18, -17, 3, -21, 105, 54, -74, 199, 109, 74, 63, -421, 429,
    0, -101, -11, 31, 9, -25, 29, 12, 13, -6, 38, 27, 51, 43, 82, 26,
    227, 8, 81, -14, 85, 137, -15, 105, 203, 108, 38, 0, 39, 0, -57, 0,
    -5, 6, 13, 5, 18, 33, 49, 98, 187, 203, 252, 291, 407, 341, 547, 242,
    0, 142, 112, 17, 57, 65, 99, 162, 170, 249, 125, 330, 307, -43, 0, 102,
    -2, 20, 25, -3, 13, 29, 34, 94, 75, 108, 229, 258, 304, 86, 290, 684,
    0, 37, 148, 125, 85, 23, 11, -8, 27, 6, -21, 8, 103, 15, 101, 100,
    82, 25, 115, -228, 290, -23, 249, 0, 0, 0, 0, 0, 0, 0, 0, 27,
    6, 1, -2, 18, 58, 113, 158, 165, 205, 200, 136, 232, 363, 252, 147, 302,
    6, 2, 0, 22, 81, 164, 137, 201, 252, 167, 196, 186, 178, 206, 171, 116,
    6, 6, 6, 6, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    7, 88, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 3,
    6, 6, 6, -3, -6, -8, -9, -10, -10, -10, 224, 252, 253, 253, 0, 0,
    6, 6, 6, 5,
};
static const short cl100k_slope[NCLASSES / LENS] = {
    68, 0, 0, 27, 0, 8, 0, 46, 15, 0, 6, 0, 1, 7, 0, 0,
    3, 0, 0, 0, 0,
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
    if (v < 0x3040)
        return 0; /* supplemental punctuation, radicals, CJK symbols */
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
        return CH(U_INVALID, CAT_PUNCT, 1, BLK_INVALID);
    }
    if (n > len - i)
        return CH(U_INVALID, CAT_PUNCT, 1, BLK_INVALID);
    for (size_t k = 1; k < n; k++) {
        if ((s[i + k] & 0xc0) != 0x80)
            return CH(U_INVALID, CAT_PUNCT, 1, BLK_INVALID);
        v = v << 6 | (s[i + k] & 0x3f);
    }
    if ((n == 3 && v < 0x800) || (n == 4 && (v < 0x10000 || v > 0x10ffff)) ||
        (v >= 0xd800 && v <= 0xdfff))
        return CH(U_INVALID, CAT_PUNCT, 1, BLK_INVALID);
    if (wide_space(v))
        return CH(v < 0xc0 ? U_LATIN1 : U_GENPUNCT, CAT_SPACE, n, block(v));
    if (wide_letter(v))
        return CH(v >= 0x3040 && v < 0xa000 ? U_CJK : n == 2 ? U_NA2 : U_NA3, CAT_LETTER, n,
                  block(v));
    unsigned unit = v < 0xc0                      ? U_LATIN1
                    : v >= 0x2000 && v < 0x2070   ? U_GENPUNCT
                    : v >= 0x2190 && v < 0x2500   ? U_MATH
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
    unsigned prev;  /* unit of the previous character */
    unsigned run;   /* characters in a row of that unit, up to the previous */
    unsigned units;
    unsigned over;  /* length past the last length class */
} acc;

static inline __attribute__((always_inline)) void add(const model *m, acc *a, ch c)
{
    unsigned u = UNIT(c);
    if (!a->units) {
        a->run = 1;
    } else if (u == a->prev) {
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
    unsigned seen = 0, upper = 0, units0 = a->units, first = CAT(peek(s, len, j));
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
        add(m, a, c);
        j = after;
        /* The rest of a lower-case run, most of any text, without the
         * table: both regexes take it whole. */
        if (cat == CAT_LOWER)
            for (; j < len && (unsigned)(s[j] - 'a') < 26; j++)
                add(m, a, CH(U_LOWER + s[j] - 'a', CAT_LOWER, 1, 0));
    }
    unsigned shape = seen >> CAT_LETTER & 1       ? SHAPE_NONASCII
                     : !upper                     ? SHAPE_LOWER
                     : !(seen >> CAT_LOWER & 1)   ? SHAPE_UPPER
                     : upper == 1 && first == CAT_UPPER ? SHAPE_CAPITAL
                                                        : SHAPE_MIXED;
    size_t k = !m->cl100k && j < len && s[j] == '\'' ? contraction(s, len, j) : 0;
    if (k && shape != SHAPE_NONASCII)
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
    acc a = { 0, 0, 0, 0, 0 };
    ch c0 = peek(s, len, i), c1 = 0;
    size_t j = i, k;
    unsigned cat0 = CAT(c0);

    if (m->cl100k && (k = contraction(s, len, i)) > 0) {
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
    return (size_t)((sum + SCALE - 1) / SCALE);
}

size_t tokens_count(const char *text, size_t len)
{
    return tokens_count_enc(TOKENS_O200K, text, len);
}

/* Where to cut text[0, len) for budget, judged by the pieces of the whole
 * text: the end of the last line, else of the last piece, that fits. */
static size_t scan_cut(const model *m, const unsigned char *s, size_t len, size_t budget)
{
    uint64_t limit = budget > UINT64_MAX / SCALE ? UINT64_MAX
                                                         : (uint64_t)budget * SCALE;
    uint64_t sum = 0;
    size_t line_cut = 0, piece_cut = 0;
    piece_info p;
    for (size_t i = 0; i < len;) {
        size_t end = piece(m, s, len, i, &p);
        sum += (uint64_t)p.cost;
        if (sum > limit)
            return line_cut ? line_cut : piece_cut;
        piece_cut = end;
        if (s[end - 1] == '\n')
            line_cut = end;
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
    while (cut > 0 && tokens_count_enc(enc, text, cut) > budget)
        cut = scan_cut(m, s, cut, budget);
    return cut;
}

size_t tokens_prefix(const char *text, size_t len, size_t budget)
{
    return tokens_prefix_enc(TOKENS_O200K, text, len, budget);
}
