/*
 * test_astchunk_stdlib.c — definition-aligned chunks on the Python standard
 * library.
 *
 * The definitions and statement spans come from Python's own ast and
 * tokenize modules (a small script run through popen), not from cairn's
 * parser, so the chunker is checked against an independent source of
 * truth: every chunk's symbol and context, no definition under the cap
 * cut, no cut inside a statement or between a block header and its body
 * except inside the windows of over-long code.
 */
#include "tests/unit/test_astchunk.h"

#include "tests/unit/test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "indexer/astchunk.h"
#include "util/err.h"

static const char FINDER[] =
    "import ast, io, os, sys, tokenize\n"
    "def files(top):\n"
    "    if os.path.isfile(top):\n"
    "        yield top\n"
    "        return\n"
    "    for root, dirs, names in os.walk(top):\n"
    "        dirs.sort()\n"
    "        for n in sorted(names):\n"
    "            if n.endswith('.py'):\n"
    "                yield os.path.join(root, n)\n"
    "def first_line(n):\n"
    "    return min([d.lineno for d in getattr(n, 'decorator_list', [])] + [n.lineno])\n"
    "def emit(path):\n"
    "    try:\n"
    "        src = open(path, 'rb').read()\n"
    "        src.decode('utf-8')\n"
    "        tree = ast.parse(src)\n"
    "        lines = src.splitlines()\n"
    "    except (SyntaxError, UnicodeDecodeError, ValueError):\n"
    "        return\n"
    "    print('F', path)\n"
    "    out = []\n"
    "    def visit(node, parent, prefix):\n"
    "        for ch in ast.iter_child_nodes(node):\n"
    "            if isinstance(ch, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):\n"
    "                kind = 'class' if isinstance(ch, ast.ClassDef) else "
    "'method' if isinstance(node, ast.ClassDef) else 'function'\n"
    "                out.append((kind, ch.lineno, ch.col_offset, ch.end_lineno, ch.end_col_offset,\n"
    "                            first_line(ch), parent, prefix + ch.name, ch.name))\n"
    "                visit(ch, len(out) - 1, prefix + ch.name + '.')\n"
    "            else:\n"
    "                visit(ch, parent, prefix)\n"
    "    visit(tree, -1, '')\n"
    "    for s in out:\n"
    "        print('S', *s)\n"
    "    for n in ast.walk(tree):\n"
    "        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):\n"
    "            if first_line(n) < n.lineno:\n"
    "                print('B', first_line(n), n.lineno)\n"
    "        elif isinstance(n, ast.stmt) and isinstance(getattr(n, 'body', None), list) and n.body:\n"
    "            if not (isinstance(n, ast.If) and lines[n.lineno - 1].lstrip().startswith(b'elif')):\n"
    "                print('O', n.lineno, n.body[0].lineno)\n"
    "    start = None\n"
    "    for tok in tokenize.tokenize(io.BytesIO(src).readline):\n"
    "        if tok.type in (tokenize.ENCODING, tokenize.NL, tokenize.COMMENT, tokenize.INDENT,\n"
    "                        tokenize.DEDENT, tokenize.ENDMARKER):\n"
    "            continue\n"
    "        if tok.type == tokenize.NEWLINE:\n"
    "            if start is not None and tok.start[0] > start:\n"
    "                print('B', start, tok.start[0])\n"
    "            start = None\n"
    "        elif start is None:\n"
    "            start = tok.start[0]\n"
    "for top in sys.argv[1:]:\n"
    "    for p in files(top):\n"
    "        emit(p)\n";

typedef struct pydef {
    char kind[16], qual[256], name[128];
    int line, col, end_line, end_col, first, parent;
} pydef;

typedef struct pyfile {
    char path[PATH_MAX];
    pydef *defs;
    size_t ndefs, capdefs;
    int (*stmts)[3]; /* line ranges: 'B' a statement, 'O' a block opener to its body */
    size_t nstmts, capstmts;
} pyfile;

static struct {
    size_t files, chunks, bytes, aligned, defs, cuts, mid_cuts, mid_unavoidable, mid_window, opener_window;
    size_t cc_chunks, cc_bytes, cc_aligned, small_defs, cc_cut_defs, cc_cuts, cc_mid;
} st;

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *d = malloc(cap);
    size_t got;
    while (d && (got = fread(d + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            d = realloc(d, cap *= 2);
    }
    fclose(f);
    *len = n;
    return d;
}

/* Lines of a chunk's first non-blank, non-comment line is a definition's
 * first line (its decorator or its keyword). */
static int aligned(const char *t, const tac_lines *x, const chunk *k, const unsigned char *def_first)
{
    for (int ln = k->start_line; ln <= k->end_line; ln++) {
        size_t p = x->start[ln - 1], e = x->start[ln];
        while (p < e && (t[p] == ' ' || t[p] == '\t'))
            p++;
        if (p == e || t[p] == '\n' || t[p] == '\r' || t[p] == '#')
            continue;
        return def_first[ln];
    }
    return 0;
}

/* The expected context of a chunk anchored at definition d: the header
 * lines of the definitions around it, and its own when `own`. */
static void expected_context(const pyfile *pf, const char *t, const tac_lines *x, int d, int own, char *out, size_t cap)
{
    int chain[64], nc = 0;
    for (int a = own ? d : pf->defs[d].parent; a >= 0 && nc < 64; a = pf->defs[a].parent)
        chain[nc++] = a;
    size_t n = 0;
    out[0] = '\0';
    for (int i = nc; i-- > 0;) {
        int ln = pf->defs[chain[i]].line;
        size_t p = x->start[ln - 1], e = tac_text_end(x, t, ln);
        while (p < e && (t[p] == ' ' || t[p] == '\t'))
            p++;
        while (e > p && (t[e - 1] == ' ' || t[e - 1] == '\t'))
            e--;
        if (e - p > 200) {
            e = p + 200;
            while (e > p && ((unsigned char)t[e] & 0xC0) == 0x80)
                e--;
        }
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%.*s", i + 1 < nc ? " > " : "", (int)(e - p),
                              t + p);
    }
}

static void py_check(pyfile *pf)
{
    size_t len;
    char *t = read_all(pf->path, &len);
    if (!t) {
        test_fail(__FILE__, __LINE__, "cannot read %s", pf->path);
        return;
    }
    tac_lines x;
    tac_lines_build(&x, t, len);
    parse_symbol *syms = calloc(pf->ndefs + 1, sizeof *syms);
    unsigned char *def_first = calloc(x.n + 2, 1), *mid = calloc(x.n + 2, 1);
    size_t *stmt_size = calloc(x.n + 2, sizeof *stmt_size);
    for (size_t i = 0; i < pf->ndefs; i++) {
        const pydef *d = &pf->defs[i];
        parse_symbol *y = &syms[i];
        y->name = (char *)d->name;
        y->qualname = (char *)d->qual;
        y->kind = !strcmp(d->kind, "class") ? "class" : !strcmp(d->kind, "method") ? "method" : "function";
        y->start_byte = x.start[d->line - 1] + (size_t)d->col;
        y->end_byte = x.start[d->end_line - 1] + (size_t)d->end_col;
        y->start_line = d->line;
        y->end_line = d->end_line;
        y->parent = d->parent;
        def_first[d->first] = 1;
    }
    /* A cut before line L is mid-statement when a logical line (or a
     * definition with its decorators) spans lines a..b with a < L <= b;
     * it leaves a block opener behind when L is between the opener ("if
     * X:") and the first statement of its body. */
    for (size_t i = 0; i < pf->nstmts; i++) {
        int a = pf->stmts[i][0], b = pf->stmts[i][1];
        size_t size = tac_text_end(&x, t, b) - x.start[a - 1];
        for (int ln = a + 1; ln <= b; ln++) {
            if (pf->stmts[i][2] == 'O') {
                mid[ln] |= 2;
                continue;
            }
            mid[ln] |= 1;
            if (size > stmt_size[ln])
                stmt_size[ln] = size;
        }
    }
    chunk_list cl, cc;
    chunk_list_init(&cl);
    chunk_list_init(&cc);
    if (astchunk_build(t, len, syms, pf->ndefs, NULL, &cl) != CAIRN_OK ||
        chunk_code(t, len, NULL, &cc) != CAIRN_OK) {
        test_fail(__FILE__, __LINE__, "%s: %s", pf->path, err_msg());
        goto done;
    }
    int bad = tac_check_tiling(pf->path, t, len, &cl, 0, CHUNK_CODE_BYTES);
    st.files++;
    st.defs += pf->ndefs;
    st.chunks += cl.n;
    st.cc_chunks += cc.n;
    for (size_t i = 0; i < cc.n; i++) {
        const chunk *k = &cc.items[i];
        st.cc_bytes += tac_trimmed_size(t, k);
        st.cc_aligned += (size_t)aligned(t, &x, k, def_first);
        if (i > 0 && x.start[k->start_line - 1] == k->start_byte) {
            st.cc_cuts++;
            st.cc_mid += mid[k->start_line] && stmt_size[k->start_line] <= CHUNK_CODE_BYTES;
        }
    }
    for (size_t i = 0; i < cl.n && bad < 5; i++) {
        const chunk *k = &cl.items[i];
        st.bytes += tac_trimmed_size(t, k);
        st.aligned += (size_t)aligned(t, &x, k, def_first);
        /* The symbol: the first definition starting in the chunk, else the
         * innermost one around it; the context: the headers around that. */
        int d = -1, own = 0;
        for (size_t j = 0; j < pf->ndefs && d < 0; j++)
            if (pf->defs[j].first >= k->start_line && pf->defs[j].first <= k->end_line)
                d = (int)j;
        if (d < 0) {
            for (size_t j = 0; j < pf->ndefs; j++)
                if (syms[j].start_byte <= k->start_byte && k->start_byte < syms[j].end_byte)
                    d = (int)j; /* preorder: the last match is the innermost */
            own = 1;
        }
        const char *want = d >= 0 ? pf->defs[d].qual : NULL;
        if (!want != !k->symbol || (want && strcmp(want, k->symbol))) {
            test_fail(__FILE__, __LINE__, "%s chunk %zu (lines %d-%d): symbol %s, want %s", pf->path, i,
                      k->start_line, k->end_line, k->symbol ? k->symbol : "NULL", want ? want : "NULL");
            bad++;
        }
        char ctx[4096];
        ctx[0] = '\0';
        if (d >= 0)
            expected_context(pf, t, &x, d, own, ctx, sizeof ctx);
        if (strlen(ctx) < CHUNK_CONTEXT_MAX && (!ctx[0] != !k->context || (ctx[0] && strcmp(ctx, k->context)))) {
            test_fail(__FILE__, __LINE__, "%s chunk %zu (lines %d-%d): context \"%s\", want \"%s\"", pf->path, i,
                      k->start_line, k->end_line, k->context ? k->context : "NULL", ctx);
            bad++;
        }
        if (i == 0 || x.start[k->start_line - 1] != k->start_byte)
            continue;
        /* Boundaries: never inside a statement, except inside one bigger
         * than the cap or inside a window of chunk_code's. */
        st.cuts++;
        int ln = k->start_line;
        if (!mid[ln])
            continue;
        st.mid_cuts++;
        if ((mid[ln] & 1) && stmt_size[ln] > CHUNK_CODE_BYTES) {
            st.mid_unavoidable++;
            continue;
        }
        int windowed = !k->symbol || !cl.items[i - 1].symbol || !strcmp(k->symbol, cl.items[i - 1].symbol);
        if (windowed) {
            st.mid_window += mid[ln] & 1;
            st.opener_window += !(mid[ln] & 1);
            continue;
        }
        test_fail(__FILE__, __LINE__, "%s chunk %zu starts %s at line %d", pf->path, i,
                  mid[ln] & 1 ? "mid-statement" : "after a block opener", ln);
        bad++;
    }
    /* A definition that fits under the cap, decorators included, is never
     * cut (line windows cut some: counted). */
    for (size_t j = 0; j < pf->ndefs && bad < 5; j++) {
        size_t s = x.start[pf->defs[j].first - 1], e = syms[j].end_byte;
        if (e - s > CHUNK_CODE_BYTES)
            continue;
        st.small_defs++;
        for (size_t i = 0; i < cc.n; i++)
            if (cc.items[i].start_byte <= s && s < cc.items[i].end_byte) {
                st.cc_cut_defs += e > cc.items[i].end_byte;
                break;
            }
        for (size_t i = 0; i < cl.n; i++) {
            const chunk *k = &cl.items[i];
            if (k->start_byte <= s && s < k->end_byte) {
                if (e > k->end_byte) {
                    test_fail(__FILE__, __LINE__, "%s: %s (lines %d-%d) is cut at line %d", pf->path,
                              pf->defs[j].qual, pf->defs[j].first, pf->defs[j].end_line, k->end_line);
                    bad++;
                }
                break;
            }
        }
    }
done:
    chunk_list_release(&cl);
    chunk_list_release(&cc);
    free(x.start);
    free(syms);
    free(def_first);
    free(mid);
    free(stmt_size);
    free(t);
}

static int stdlib_dir(char *out, size_t n)
{
    FILE *p = popen("python3 -c \"import sysconfig; print(sysconfig.get_paths()['stdlib'])\" 2>/dev/null", "r");
    if (!p)
        return 0;
    int ok = fgets(out, (int)n, p) != NULL;
    pclose(p);
    out[strcspn(out, "\n")] = '\0';
    return ok && out[0];
}

TEST(astchunk_python_stdlib)
{
    char dir[PATH_MAX];
    if (!stdlib_dir(dir, sizeof dir)) {
        printf("     (skipped: python3 not found)\n");
        return;
    }
    char script[PATH_MAX];
    snprintf(script, sizeof script, "%s", test_tmpdir());
    test_write_file(script, "finder.py", FINDER, sizeof FINDER - 1);
    char cmd[16 * PATH_MAX];
    snprintf(cmd, sizeof cmd,
             "python3 %s/finder.py %s/json %s/http %s/asyncio %s/email %s/argparse.py %s/_pydecimal.py "
             "%s/dataclasses.py %s/typing.py %s/os.py %s/socket.py %s/selectors.py",
             script, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir, dir);
    FILE *p = popen(cmd, "r");
    REQUIRE(p);
    memset(&st, 0, sizeof st);
    pyfile pf;
    memset(&pf, 0, sizeof pf);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, p)) >= 0) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == 'F') {
            if (pf.path[0])
                py_check(&pf);
            snprintf(pf.path, sizeof pf.path, "%s", line + 2);
            pf.ndefs = pf.nstmts = 0;
        } else if (line[0] == 'S') {
            if (pf.ndefs == pf.capdefs) {
                pf.capdefs = pf.capdefs ? 2 * pf.capdefs : 256;
                pf.defs = realloc(pf.defs, pf.capdefs * sizeof *pf.defs);
            }
            pydef *d = &pf.defs[pf.ndefs];
            if (sscanf(line, "S %15s %d %d %d %d %d %d %255s %127s", d->kind, &d->line, &d->col, &d->end_line,
                       &d->end_col, &d->first, &d->parent, d->qual, d->name) == 9)
                pf.ndefs++;
        } else if (line[0] == 'B') {
            if (pf.nstmts == pf.capstmts) {
                pf.capstmts = pf.capstmts ? 2 * pf.capstmts : 1024;
                pf.stmts = realloc(pf.stmts, pf.capstmts * sizeof *pf.stmts);
            }
            if (sscanf(line, "B %d %d", &pf.stmts[pf.nstmts][0], &pf.stmts[pf.nstmts][1]) == 2)
                pf.stmts[pf.nstmts++][2] = 'B';
        } else if (line[0] == 'O') {
            if (pf.nstmts == pf.capstmts) {
                pf.capstmts = pf.capstmts ? 2 * pf.capstmts : 1024;
                pf.stmts = realloc(pf.stmts, pf.capstmts * sizeof *pf.stmts);
            }
            if (sscanf(line, "O %d %d", &pf.stmts[pf.nstmts][0], &pf.stmts[pf.nstmts][1]) == 2)
                pf.stmts[pf.nstmts++][2] = 'O';
        }
    }
    if (pf.path[0])
        py_check(&pf);
    CHECK_INT(pclose(p), 0);
    free(line);
    free(pf.defs);
    free(pf.stmts);
    REQUIRE(st.files > 0 && st.chunks > 0 && st.cc_chunks > 0);
    printf("     (%zu files, %zu definitions: %zu chunks of %zu bytes on average, %.0f%% start at a definition;"
           " line windows: %zu chunks of %zu bytes, %.0f%%)\n",
           st.files, st.defs, st.chunks, st.bytes / st.chunks, 100.0 * (double)st.aligned / (double)st.chunks,
           st.cc_chunks, st.cc_bytes / st.cc_chunks, 100.0 * (double)st.cc_aligned / (double)st.cc_chunks);
    printf("     (%zu definitions under the cap: line windows cut %zu of them, these none; line windows: %zu cuts, "
           "%zu inside a statement under the cap or after a block opener)\n",
           st.small_defs, st.cc_cut_defs, st.cc_cuts, st.cc_mid);
    printf("     (%zu cuts: %zu inside a statement or after a block opener: %zu inside a statement over the cap, "
           "%zu + %zu between windows of long code)\n",
           st.cuts, st.mid_cuts, st.mid_unavoidable, st.mid_window, st.opener_window);
    CHECK(st.files >= 60);
    CHECK(st.aligned * 100 >= st.chunks * 70);
    CHECK(st.bytes / st.chunks >= 800 && st.bytes / st.chunks <= 2600);
}
