/*
 * test_eval.c — judged query sets and the ranking metrics of query/eval.h:
 * parsing (and refusing) JSON lines, MRR, nDCG and recall at file and
 * definition level worked out by hand, per-type groups, and a set run
 * through search on a small index.
 */
#include "query/eval.h"
#include "store/store.h"
#include "store/symbols.h"
#include "util/err.h"
#include "test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define NEAR(a, b) (fabs((a) - (b)) < 1e-9)

static int parse(const char *text, eval_set *set)
{
    return eval_set_parse(text, strlen(text), "q.jsonl", set);
}

TEST(eval_set_reads_json_lines)
{
    eval_set set;
    REQUIRE(parse("{\"query\": \"open the db\", \"type\": \"concept\", \"relevant\": "
                  "[{\"path\": \"db.py\", \"symbol\": \"open_db\", \"grade\": 2}, "
                  "{\"path\": \"notes.md\"}]}\n"
                  "\n   \n"
                  "{\"query\": \"x\", \"relevant\": [{\"path\": \"a\", \"grade\": 1}]}\r\n",
                  &set) == CAIRN_OK);
    REQUIRE(set.n == 2);
    CHECK_STR(set.q[0].text, "open the db");
    CHECK_STR(set.q[0].type, "concept");
    REQUIRE(set.q[0].nanswers == 2);
    CHECK_STR(set.q[0].answers[0].symbol, "open_db");
    CHECK_INT(set.q[0].answers[0].grade, 2);
    CHECK(set.q[0].answers[1].symbol == NULL);
    CHECK_INT(set.q[0].answers[1].grade, 1); /* absent: 1 */
    CHECK(set.q[1].type == NULL);
    eval_set_release(&set);
    eval_set_release(NULL);
}

TEST(eval_set_refuses_malformed_lines_by_line_number)
{
    eval_set set;
    const char *bad[][2] = {
        {"{\"query\": \"a\", \"relevant\": [{\"path\": \"x\"}]}\nnot json\n", "q.jsonl:2: not valid JSON"},
        {"[1, 2]\n", "q.jsonl:1: not a JSON object"},
        {"{\"relevant\": [{\"path\": \"x\"}]}\n", "\"query\" must be a non-empty string"},
        {"{\"query\": \"\", \"relevant\": [{\"path\": \"x\"}]}\n", "non-empty string"},
        {"{\"query\": \"a\", \"relevant\": []}\n", "\"relevant\" must be an array"},
        {"{\"query\": \"a\"}\n", "\"relevant\" must be an array"},
        {"{\"query\": \"a\", \"relevant\": [{\"path\": \"x\", \"grade\": 3}]}\n", "answer 1"},
        {"{\"query\": \"a\", \"relevant\": [{\"path\": \"x\", \"grade\": 1.5}]}\n", "grade"},
        {"{\"query\": \"a\", \"relevant\": [{\"path\": \"x\"}, {\"symbol\": \"f\"}]}\n", "answer 2"},
        {"{\"query\": \"a\", \"relevant\": [{\"path\": 7}]}\n", "answer 1"},
        {"{\"query\": 5, \"relevant\": [{\"path\": \"x\"}]}\n", "\"query\""},
        {"\n\n", "no queries"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int rc = parse(bad[i][0], &set);
        CHECK(rc == CAIRN_ERR_INVALID);
        if (!strstr(err_msg(), bad[i][1]))
            test_fail(__FILE__, __LINE__, "case %zu: '%s' lacks '%s'", i, err_msg(), bad[i][1]);
        CHECK(set.n == 0 && set.q == NULL);
    }
    CHECK(eval_set_load("/nonexistent/q.jsonl", &set) == CAIRN_ERR_NOTFOUND);
    CHECK(strstr(err_msg(), "/nonexistent/q.jsonl") != NULL);
}

TEST(eval_set_loads_the_committed_sets)
{
    eval_set set;
    REQUIRE(eval_set_load("tests/eval/til.jsonl", &set) == CAIRN_OK);
    CHECK(set.n >= 30);
    eval_set_release(&set);
    REQUIRE(eval_set_load("tests/eval/stdlib.jsonl", &set) == CAIRN_OK);
    CHECK(set.n >= 300);
    size_t concept = 0;
    for (size_t i = 0; i < set.n; i++) {
        CHECK(set.q[i].nanswers == 1 && set.q[i].answers[0].symbol != NULL);
        concept += set.q[i].type && strcmp(set.q[i].type, "concept") == 0;
    }
    CHECK(concept >= 30);
    eval_set_release(&set);
}

/* answers: a.py (grade 2), b.py (grade 1) */
static eval_query two_files(eval_answer *ans)
{
    memset(ans, 0, 2 * sizeof *ans);
    ans[0].path = "a.py";
    ans[0].grade = 2;
    ans[1].path = "b.py";
    ans[1].grade = 1;
    eval_query q = {.text = "q", .answers = ans, .nanswers = 2};
    return q;
}

TEST(eval_file_level_metrics_by_hand)
{
    eval_answer ans[2];
    eval_query q = two_files(ans);
    /* Files in order: x, a (its second chunk does not count again), c, b. */
    eval_hit hits[] = {{"x.py", NULL, 1, 9}, {"a.py", NULL, 1, 9}, {"a.py", NULL, 10, 19},
                       {"c.py", NULL, 1, 9}, {"b.py", NULL, 1, 9}};
    eval_scores s;
    eval_score_files(&q, hits, 5, &s);
    CHECK(NEAR(s.mrr, 0.5));
    CHECK(NEAR(s.r1, 0));
    CHECK(NEAR(s.r5, 1));
    CHECK(NEAR(s.r10, 1));
    /* DCG = 3/log2(3) + 1/log2(5); ideal = 3/log2(2) + 1/log2(3) */
    double dcg = 3 / log2(3) + 1 / log2(5), ideal = 3 + 1 / log2(3);
    CHECK(NEAR(s.ndcg, dcg / ideal));

    /* Perfect order. */
    eval_hit best[] = {{"a.py", NULL, 1, 9}, {"b.py", NULL, 1, 9}};
    eval_score_files(&q, best, 2, &s);
    CHECK(NEAR(s.mrr, 1) && NEAR(s.ndcg, 1) && NEAR(s.r1, 0.5) && NEAR(s.r5, 1));

    /* Nothing relevant, and nothing at all. */
    eval_hit none[] = {{"x.py", NULL, 1, 9}};
    eval_score_files(&q, none, 1, &s);
    CHECK(s.mrr == 0 && s.ndcg == 0 && s.r10 == 0);
    eval_score_files(&q, NULL, 0, &s);
    CHECK(s.mrr == 0 && s.ndcg == 0);

    /* Past the tenth file nothing counts. */
    eval_hit late[11];
    char names[10][16];
    for (int i = 0; i < 10; i++) {
        snprintf(names[i], sizeof names[i], "f%d.py", i);
        late[i] = (eval_hit){names[i], NULL, 1, 2};
    }
    late[10] = (eval_hit){"a.py", NULL, 1, 2};
    eval_score_files(&q, late, 11, &s);
    CHECK(s.mrr == 0 && s.r10 == 0);
    late[9] = (eval_hit){"b.py", NULL, 1, 2};
    eval_score_files(&q, late, 11, &s);
    CHECK(NEAR(s.mrr, 0.1) && NEAR(s.r5, 0) && NEAR(s.r10, 0.5));
    CHECK(NEAR(s.ndcg, (1 / log2(11)) / ideal));
}

TEST(eval_definition_level_metrics_by_hand)
{
    int lines[] = {40};
    eval_answer ans[2] = {
        {.path = "a.py", .symbol = "Queue.put", .grade = 2, .def_lines = lines, .ndef_lines = 1},
        {.path = "a.py", .symbol = "Queue.get", .grade = 1},
    };
    eval_query q = {.text = "q", .answers = ans, .nanswers = 2};
    eval_hit hits[] = {
        {"a.py", "Queue", 1, 30},       /* the file, not the definition */
        {"b.py", "Queue.put", 30, 50},  /* the name in another file */
        {"a.py", "Queue.qsize", 35, 60},/* spans line 40: finds Queue.put */
        {"a.py", "Queue.get", 61, 70},  /* carries the name */
    };
    eval_scores s;
    REQUIRE(eval_score_defs(&q, hits, 4, &s) == 1);
    CHECK(NEAR(s.mrr, 1.0 / 3));
    CHECK(NEAR(s.r1, 0) && NEAR(s.r5, 1) && NEAR(s.r10, 1));
    double dcg = 3 / log2(4) + 1 / log2(5), ideal = 3 + 1 / log2(3);
    CHECK(NEAR(s.ndcg, dcg / ideal));

    /* One chunk holding both definitions finds both at once. */
    eval_hit both[] = {{"a.py", "Queue.get", 30, 80}};
    REQUIRE(eval_score_defs(&q, both, 1, &s) == 1);
    CHECK(NEAR(s.mrr, 1) && NEAR(s.r1, 1));
    CHECK(NEAR(s.ndcg, 3 / ideal));

    /* A query whose answers name no symbol is not scored here. */
    eval_answer plain[2];
    eval_query fq = two_files(plain);
    CHECK(eval_score_defs(&fq, hits, 4, &s) == 0);
    CHECK(s.mrr == 0 && s.ndcg == 0);
}

TEST(eval_report_groups_by_type)
{
    eval_answer a1[2], a2[2], a3[2];
    eval_query q1 = two_files(a1), q2 = two_files(a2), q3 = two_files(a3);
    q1.type = "concept";
    q2.type = "concept";
    eval_hit first[] = {{"a.py", NULL, 1, 2}}, second[] = {{"x.py", NULL, 1, 2}, {"a.py", NULL, 1, 2}};
    eval_report r;
    eval_report_init(&r);
    REQUIRE(eval_report_add(&r, &q1, first, 1) == CAIRN_OK);
    REQUIRE(eval_report_add(&r, &q2, second, 2) == CAIRN_OK);
    REQUIRE(eval_report_add(&r, &q3, NULL, 0) == CAIRN_OK);
    CHECK_INT(r.file.n, 3);
    CHECK_INT(r.def.n, 0);
    CHECK(NEAR(eval_mean(&r.file).mrr, 0.5));
    REQUIRE(r.ngroups == 2);
    CHECK_STR(r.groups[0].type, "concept");
    CHECK(NEAR(eval_mean(&r.groups[0].file).mrr, 0.75));
    CHECK_STR(r.groups[1].type, "");
    CHECK(eval_mean(&r.groups[1].file).mrr == 0);
    eval_sum empty = {0};
    CHECK(eval_mean(&empty).mrr == 0);
    eval_report_release(&r);
    eval_report_release(NULL);
}

/* ---- through search ---- */

static store *fixture(void)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/idx", test_tmpdir());
    store *s = NULL;
    if (store_open(dir, STORE_WRITE, &s) != CAIRN_OK)
        return NULL;
    int64_t root, id;
    store_begin(s);
    store_root_ensure(s, "/proj", &root);
    const char *paths[] = {"queue.py", "db.py"};
    const char *texts[][2] = {
        {"class Queue:\n    def put(self, item):\n        self.items.append(item)\n",
         "    def get(self):\n        return self.items.pop(0)\n"},
        {"def open_database(path):\n    return sqlite3.connect(path)\n",
         "def close_database(conn):\n    conn.close()\n"},
    };
    for (int f = 0; f < 2; f++) {
        store_file sf = {.root_id = root, .path = paths[f], .size = 1, .mtime_ns = 1, .hash = (uint64_t)f + 1,
                         .lang = "python", .kind = "code", .encoding = "utf-8"};
        store_file_put(s, &sf, &id);
        for (int c = 0; c < 2; c++) {
            store_chunk ch = {.seq = c, .start_line = c * 10 + 1, .end_line = c * 10 + 9,
                              .text = texts[f][c], .text_len = strlen(texts[f][c])};
            store_chunk_add(s, id, &ch);
        }
        store_sym_in syms[] = {
            {.name = f ? "open_database" : "put", .qualname = f ? "open_database" : "Queue.put",
             .kind = f ? "function" : "method", .signature = "def", .start_line = 2,
             .end_line = 3, .parent = -1},
            {.name = f ? "close_database" : "get", .qualname = f ? "close_database" : "Queue.get",
             .kind = f ? "function" : "method", .signature = "def", .start_line = 11,
             .end_line = 12, .parent = -1},
        };
        store_symbols_put(s, id, syms, 2, NULL, 0);
    }
    store_commit(s);
    return s;
}

TEST(eval_runs_a_set_through_search)
{
    store *s = fixture();
    REQUIRE(s != NULL);
    const char *text =
        "{\"query\": \"open database\", \"relevant\": [{\"path\": \"db.py\", \"symbol\": "
        "\"open_database\", \"grade\": 2}]}\n"
        "{\"query\": \"items pop\", \"type\": \"t\", \"relevant\": [{\"path\": \"queue.py\", "
        "\"symbol\": \"Queue.get\", \"grade\": 2}]}\n"
        "{\"query\": \"?!\", \"relevant\": [{\"path\": \"db.py\"}]}\n"
        "{\"query\": \"close\", \"relevant\": [{\"path\": \"db.py\", \"symbol\": \"gone\"}]}\n";
    eval_set set;
    REQUIRE(parse(text, &set) == CAIRN_OK);
    size_t unresolved = 9, failed = 9;
    REQUIRE(eval_resolve(s, &set, &unresolved) == CAIRN_OK);
    CHECK_INT(unresolved, 1);
    REQUIRE(set.q[0].answers[0].ndef_lines == 1);
    CHECK_INT(set.q[0].answers[0].def_lines[0], 2);
    eval_report r;
    eval_report_init(&r);
    search_opts o = {.mode = SEARCH_LEXICAL};
    REQUIRE(eval_run(s, &set, &o, &r, &failed) == CAIRN_OK);
    CHECK_INT(failed, 1);          /* "?!" has no searchable words */
    CHECK_INT(r.file.n, 4);
    CHECK_INT(r.def.n, 3);
    eval_scores f = eval_mean(&r.file), d = eval_mean(&r.def);
    /* Queries 1, 2 and 4 find their file first; query 3 finds nothing. */
    CHECK(NEAR(f.mrr, 0.75));
    /* Query 1 and 2 find their definition's chunk first; "gone" never. */
    CHECK(NEAR(d.mrr, 2.0 / 3));
    CHECK(r.seconds >= 0 && r.warned == 0);
    REQUIRE(r.nlatency == 4);
    CHECK(eval_latency_ms(&r, 50) <= eval_latency_ms(&r, 99));
    r.latency[0] = 0.004;
    r.latency[1] = 0.001;
    r.latency[2] = 0.003;
    r.latency[3] = 0.002;
    CHECK(NEAR(eval_latency_ms(&r, 50), 2));
    CHECK(NEAR(eval_latency_ms(&r, 99), 4));
    CHECK(NEAR(eval_latency_ms(&r, 0), 1));
    eval_report_release(&r);
    eval_set_release(&set);
    store_close(s);
}
