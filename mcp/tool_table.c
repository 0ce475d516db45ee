/*
 * tool_table.c — cairn's MCP tools as data: name, title, a description
 * written for a model, input and output JSON Schemas, annotations and the
 * handler.  Adding a tool is one row here and one function in
 * mcp/handlers*.c.
 */
#include "mcp/handlers.h"
#include "mcp/tools.h"
#include "query/read.h"

/* The JSON shape of a definition (query/json.h qjson_sym). */
#define SYM_SCHEMA                                                                          \
    "{\"type\":\"object\",\"properties\":{"                                              \
    "\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"                    \
    "\"lang\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"                    \
    "\"qualname\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\"},"                \
    "\"signature\":{\"type\":[\"string\",\"null\"]},\"doc\":{\"type\":[\"string\",\"null\"]}," \
    "\"start_line\":{\"type\":\"integer\"},\"end_line\":{\"type\":\"integer\"},"        \
    "\"match\":{\"type\":\"string\"}},"                                                   \
    "\"required\":[\"path\",\"root\",\"name\",\"qualname\",\"kind\",\"start_line\","      \
    "\"end_line\"]}"

#define STR(x) #x
#define XSTR(x) STR(x)

const tool_def tool_table[] = {
    {
        .name = "search",
        .title = "Search code and writing",
        .description =
            "Ranked search over the indexed source code and prose (notes, docs, posts). "
            "Use it first for questions like 'where is X handled', 'how do we do Y' or "
            "'what have I written about Z'. The query is free text: a question, "
            "identifiers, or both. Identifiers match across camelCase, snake_case and "
            "kebab-case (getUserName finds get_user_name), English words match their "
            "stems, and a result need not contain every word, so use the words the text "
            "itself would contain; when the index has embeddings, prose is also found by "
            "meaning, so a paraphrase can find a note in other words. Returns chunks best first (about 40 lines of code, or "
            "one section of prose), at most 2 per file, each with its path relative to "
            "its root, line range, enclosing symbol or heading path and a snippet; call "
            "`read` with the path and lines to see the text. Filter with `path` (glob), "
            "`language` and `kind`, and writing by `since`, `until` and `tag`. A query "
            "naming an identifier puts its definition first.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096,"
            "\"description\":\"Free text: a question, identifiers, or both.\"},"
            "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":10,"
            "\"description\":\"How many results to return (1-100, default 10).\"},"
            "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1024,"
            "\"description\":\"Only files whose root-relative path matches this glob; '*' "
            "also matches '/', so '*.py' and 'src/net/*' both work.\"},"
            "\"language\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":64,"
            "\"description\":\"Only files of this language, named as index_status lists "
            "them (python, c, markdown, ...).\"},"
            "\"kind\":{\"type\":\"string\",\"enum\":[\"code\",\"prose\"],"
            "\"description\":\"Only source code, or only prose (notes, documentation).\"},"
            "\"since\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$\","
            "\"description\":\"Only files dated on or after this day (YYYY, YYYY-MM or "
            "YYYY-MM-DD): a document's own date, else its first git commit, else its mtime.\"},"
            "\"until\":{\"type\":\"string\",\"pattern\":\"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$\","
            "\"description\":\"Only files dated on or before this day; 2023 includes all of 2023.\"},"
            "\"tag\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200,"
            "\"description\":\"Only documents with this tag or category (any case).\"}"
            "},\"required\":[\"query\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{\"results\":{\"type\":\"array\",\"items\":"
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\",\"description\":\"relative to root\"},"
            "\"root\":{\"type\":\"string\",\"description\":\"absolute path of the indexed root\"},"
            "\"start_line\":{\"type\":\"integer\",\"minimum\":1},"
            "\"end_line\":{\"type\":\"integer\",\"minimum\":1},"
            "\"symbol\":{\"type\":[\"string\",\"null\"],\"description\":\"the definition "
            "the chunk belongs to\"},"
            "\"kind\":{\"type\":\"string\",\"enum\":[\"code\",\"prose\"]},"
            "\"lang\":{\"type\":\"string\"},"
            "\"context\":{\"type\":[\"string\",\"null\"],\"description\":\"heading path of "
            "a prose chunk\"},"
            "\"title\":{\"type\":[\"string\",\"null\"]},"
            "\"date\":{\"type\":[\"string\",\"null\"]},"
            "\"score\":{\"type\":\"number\",\"description\":\"BM25, higher is better\"},"
            "\"snippet\":{\"type\":\"string\"},"
            "\"mtime\":{\"type\":\"integer\",\"description\":\"file modification time, "
            "Unix seconds\"}},"
            "\"required\":[\"path\",\"root\",\"start_line\",\"end_line\",\"symbol\",\"kind\","
            "\"lang\",\"context\",\"score\",\"snippet\"]}}},"
            "\"required\":[\"results\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_search,
    },
    {
        .name = "find_symbol",
        .title = "Find a definition",
        .description =
            "Where is a function, method, class, struct, enum, interface, trait, type, macro or "
            "constant defined? Give its name (join) or qualified name (Path.join, "
            "http.server.HTTPServer). Exact matches come first; when there are none, names "
            "starting with it; when none either, names within a few typos or containing its "
            "letters in order (the result says which). Returns each definition's path, lines, "
            "kind, qualified name, signature and doc comment; call read for the body.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":127,"
            "\"description\":\"A name or qualified name.\"},"
            "\"kind\":{\"type\":\"string\",\"enum\":[\"function\",\"method\",\"class\",\"struct\","
            "\"union\",\"enum\",\"interface\",\"trait\",\"impl\",\"type\",\"macro\",\"constant\","
            "\"module\",\"namespace\",\"variable\"],\"description\":\"Only this kind.\"},"
            "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200,\"default\":20}"
            "},\"required\":[\"name\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"match\":{\"type\":\"string\",\"enum\":[\"exact\",\"prefix\",\"fuzzy\"]},"
            "\"definitions\":{\"type\":\"array\",\"items\":" SYM_SCHEMA "}},"
            "\"required\":[\"match\",\"definitions\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_find_symbol,
    },
    {
        .name = "find_references",
        .title = "Who uses it, or what it uses",
        .description =
            "direction=callers (default): every reference to a name — calls, type uses, imports "
            "and includes, inheritance — with the definition it sits in (the caller) and the "
            "source line. direction=callees: what the definitions of that name reference, each "
            "resolved to the definition it most likely means. References are matched by name: "
            "when several definitions share it, the result says how many and each reference has "
            "confidence 1/n. A qualified name looks up references by its last component.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"name\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":127},"
            "\"direction\":{\"type\":\"string\",\"enum\":[\"callers\",\"callees\"],"
            "\"default\":\"callers\"},"
            "\"kind\":{\"type\":\"string\",\"enum\":[\"call\",\"type\",\"import\",\"include\","
            "\"inherit\"],\"description\":\"callers only: only references of this kind\"},"
            "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000,\"default\":100}"
            "},\"required\":[\"name\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"direction\":{\"type\":\"string\",\"enum\":[\"callers\",\"callees\"]},"
            "\"definitions\":{\"type\":\"integer\",\"description\":\"definitions sharing the name\"},"
            "\"references\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"
            "\"line\":{\"type\":\"integer\",\"minimum\":1},\"kind\":{\"type\":\"string\"},"
            "\"name\":{\"type\":\"string\"},\"qualifier\":{\"type\":[\"string\",\"null\"]},"
            "\"caller\":{\"type\":[\"string\",\"null\"]},\"caller_kind\":{\"type\":[\"string\",\"null\"]},"
            "\"text\":{\"type\":[\"string\",\"null\"]},\"confidence\":{\"type\":\"number\"}},"
            "\"required\":[\"path\",\"root\",\"line\",\"kind\",\"name\",\"caller\",\"confidence\"]}},"
            "\"callees\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"from\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
            "\"qualifier\":{\"type\":[\"string\",\"null\"]},\"kind\":{\"type\":\"string\"},"
            "\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"
            "\"line\":{\"type\":\"integer\",\"minimum\":1},"
            "\"target\":{\"type\":[\"object\",\"null\"]},\"confidence\":{\"type\":\"number\"}},"
            "\"required\":[\"from\",\"name\",\"kind\",\"path\",\"line\",\"target\",\"confidence\"]}}},"
            "\"required\":[\"direction\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_find_references,
    },
    {
        .name = "outline",
        .title = "Outline of a file",
        .description =
            "The definitions of one indexed file as a tree (classes with their methods), each "
            "with its kind, qualified name, signature, doc comment and lines. Cheaper than "
            "reading the file when you need its shape. The path is relative to a root (as "
            "search returns it) or absolute inside one.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096}"
            "},\"required\":[\"path\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"
            "\"symbols\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}},"
            "\"required\":[\"path\",\"root\",\"symbols\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_outline,
    },
    {
        .name = "related",
        .title = "Related notes and documents",
        .description =
            "For writers: the documents most related to a draft (text: a paragraph or a whole "
            "page, not a keyword list) or to an indexed note (path), excluding the note itself. "
            "One result per document with its title, date, path and best passage, best first; "
            "use it to find past pieces to cite or link.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"text\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1048576},"
            "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096},"
            "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200,\"default\":10}"
            "},\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"terms\":{\"type\":[\"string\",\"null\"],\"description\":\"the words matched on\"},"
            "\"documents\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"
            "\"title\":{\"type\":[\"string\",\"null\"]},\"date\":{\"type\":[\"string\",\"null\"]},"
            "\"score\":{\"type\":\"number\"},\"start_line\":{\"type\":\"integer\"},"
            "\"end_line\":{\"type\":\"integer\"},\"context\":{\"type\":[\"string\",\"null\"]},"
            "\"passage\":{\"type\":\"string\"}},"
            "\"required\":[\"path\",\"root\",\"title\",\"date\",\"score\",\"start_line\","
            "\"end_line\",\"passage\"]}}},"
            "\"required\":[\"documents\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_related,
    },
    {
        .name = "quote",
        .title = "Citable passages",
        .description =
            "For writers: the sentences of the writing that best answer a query, as exact "
            "quotes with the document's title, date, path and the quote's own lines, one per "
            "document — ready to cite.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096},"
            "\"k\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":100,\"default\":5}"
            "},\"required\":[\"query\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{\"quotes\":{\"type\":\"array\",\"items\":"
            "{\"type\":\"object\",\"properties\":{"
            "\"text\":{\"type\":\"string\"},\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"
            "\"title\":{\"type\":[\"string\",\"null\"]},\"date\":{\"type\":[\"string\",\"null\"]},"
            "\"context\":{\"type\":[\"string\",\"null\"]},\"start_line\":{\"type\":\"integer\"},"
            "\"end_line\":{\"type\":\"integer\"},\"score\":{\"type\":\"number\"}},"
            "\"required\":[\"text\",\"path\",\"root\",\"title\",\"date\",\"start_line\",\"end_line\"]}}},"
            "\"required\":[\"quotes\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_quote,
    },
    {
        .name = "pack_context",
        .title = "Code for a task, within a budget",
        .description =
            "Starting a task (an issue, a bug report, a question about the code)? Give its text "
            "and a token budget, and get in one call the code you need to read: the chunks that "
            "best match the task, the definitions they call or use (bodies when there is room, "
            "else signatures), and the repo map around them, merged per file with no line "
            "twice and ordered by file and line. When the budget is tight, bodies shrink to "
            "signatures first. `omitted` lists what ranked next and did not fit: ask for it "
            "with read or find_symbol. Tokens are counted as GPT-4o's tokenizer counts them; "
            "the pack never exceeds the budget.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"task\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":1048576,"
            "\"description\":\"What you are about to do, in words: an issue text, a question.\"},"
            "\"budget\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000000,\"default\":8000,"
            "\"description\":\"Tokens the pack may use.\"},"
            "\"focus\":{\"type\":\"array\",\"maxItems\":32,\"items\":{\"type\":\"string\","
            "\"minLength\":1,\"maxLength\":4096},\"description\":\"Files to centre on (paths as "
            "search returns them).\"}"
            "},\"required\":[\"task\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"budget\":{\"type\":\"integer\"},\"tokens\":{\"type\":\"integer\"},"
            "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"
            "\"start_line\":{\"type\":\"integer\"},\"end_line\":{\"type\":\"integer\"},"
            "\"symbol\":{\"type\":[\"string\",\"null\"]},"
            "\"kind\":{\"type\":\"string\",\"enum\":[\"body\",\"signature\",\"map\"]},"
            "\"text\":{\"type\":\"string\"}},"
            "\"required\":[\"path\",\"root\",\"start_line\",\"end_line\",\"symbol\",\"kind\",\"text\"]}},"
            "\"omitted\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"symbol\":{\"type\":[\"string\",\"null\"]}},"
            "\"required\":[\"path\",\"symbol\"]}}},"
            "\"required\":[\"budget\",\"tokens\",\"items\",\"omitted\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_pack_context,
    },
    {
        .name = "repo_map",
        .title = "Map of the code that matters",
        .description =
            "The definitions that matter most — ranked by PageRank over the graph of references "
            "between them, centred on the words of `query` and on the `focus` files — shown as "
            "signatures inside their enclosing classes, grouped by file, filled to a token "
            "budget. Use it to get your bearings in an unfamiliar repository, or to see the "
            "surroundings of the code you are changing.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":65536},"
            "\"budget\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":1000000,\"default\":1024},"
            "\"focus\":{\"type\":\"array\",\"maxItems\":32,\"items\":{\"type\":\"string\","
            "\"minLength\":1,\"maxLength\":4096}}"
            "},\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"budget\":{\"type\":\"integer\"},\"tokens\":{\"type\":\"integer\"},"
            "\"text\":{\"type\":\"string\"},"
            "\"items\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"root\":{\"type\":\"string\"},"
            "\"qualname\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\"},"
            "\"start_line\":{\"type\":\"integer\"},\"end_line\":{\"type\":\"integer\"},"
            "\"signature\":{\"type\":\"string\"},\"score\":{\"type\":\"number\"},"
            "\"depth\":{\"type\":\"integer\"}},"
            "\"required\":[\"path\",\"root\",\"qualname\",\"kind\",\"start_line\",\"signature\"]}}},"
            "\"required\":[\"budget\",\"tokens\",\"items\",\"text\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_repo_map,
    },
    {
        .name = "read",
        .title = "Read an indexed file",
        .description =
            "The text of an indexed file, or of a range of its lines, exactly as on disk "
            "(as UTF-8). Use it after `search` to see a whole function or note: pass the "
            "result's path and, to keep the answer small, start_line and end_line. `path` "
            "is relative to an indexed root (as search returns it) or absolute inside a "
            "root; '..', symbolic links that lead out of the roots, and files that are not "
            "in the index (ignored or skipped ones) are refused. At most "
            XSTR(READ_MAX_LINES) " lines or 256 KiB come back per call; when `truncated` is "
            "true, call again with start_line set to end_line + 1.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096,"
            "\"description\":\"Root-relative path as search returns it, or an absolute "
            "path inside an indexed root.\"},"
            "\"start_line\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000000,"
            "\"description\":\"First line to return (1-based, default 1).\"},"
            "\"end_line\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000000,"
            "\"description\":\"Last line to return, inclusive (default: the end of the "
            "file).\"}"
            "},\"required\":[\"path\"],\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\",\"description\":\"relative to root\"},"
            "\"root\":{\"type\":\"string\"},"
            "\"start_line\":{\"type\":\"integer\",\"minimum\":1},"
            "\"end_line\":{\"type\":\"integer\",\"minimum\":0,\"description\":\"last line "
            "returned; start_line - 1 when none\"},"
            "\"total_lines\":{\"type\":\"integer\",\"minimum\":0},"
            "\"text\":{\"type\":\"string\"},"
            "\"truncated\":{\"type\":\"boolean\",\"description\":\"true when the line or "
            "byte cap cut the range short\"}},"
            "\"required\":[\"path\",\"root\",\"start_line\",\"end_line\",\"total_lines\","
            "\"text\",\"truncated\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_read,
    },
    {
        .name = "index_status",
        .title = "Index status",
        .description =
            "What this cairn index covers and how fresh it is: each indexed root "
            "directory with its file and chunk counts and when it was last indexed, the "
            "languages present (the names `search` accepts as `language`) with their "
            "counts, and totals. Use it to learn what can be searched, or to decide "
            "whether to call `reindex` after files changed.",
        .input_schema = "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"index\":{\"type\":\"string\",\"description\":\"the index directory\"},"
            "\"files\":{\"type\":\"integer\"},\"chunks\":{\"type\":\"integer\"},"
            "\"bytes\":{\"type\":\"integer\"},"
            "\"last_indexed\":{\"type\":\"integer\",\"description\":\"Unix seconds, 0 never\"},"
            "\"roots\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"path\":{\"type\":\"string\"},\"files\":{\"type\":\"integer\"},"
            "\"chunks\":{\"type\":\"integer\"},"
            "\"indexed_at\":{\"type\":\"integer\",\"description\":\"Unix seconds, 0 never\"}},"
            "\"required\":[\"path\",\"files\",\"chunks\",\"indexed_at\"]}},"
            "\"languages\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"lang\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\"},"
            "\"files\":{\"type\":\"integer\"},\"chunks\":{\"type\":\"integer\"},"
            "\"bytes\":{\"type\":\"integer\"}},"
            "\"required\":[\"lang\",\"kind\",\"files\",\"chunks\",\"bytes\"]}}},"
            "\"required\":[\"index\",\"files\",\"chunks\",\"bytes\",\"last_indexed\",\"roots\","
            "\"languages\"]}",
        .read_only = 1,
        .idempotent = 1,
        .run = handlers_index_status,
    },
    {
        .name = "reindex",
        .title = "Refresh the index",
        .description =
            "Bring the index up to date with the files on disk: new files are added, "
            "changed ones re-read, deleted or newly ignored ones dropped, and unchanged "
            "files cost one stat each. Call it after files were edited when results look "
            "stale. `paths` limits the refresh to some indexed roots (each given as the "
            "root's absolute path, as index_status lists it, or any path inside it); by "
            "default every root is refreshed. It never adds roots and never changes the "
            "files themselves. Reports progress when asked and can be cancelled; work "
            "done before a cancel is kept.",
        .input_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"paths\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":256,"
            "\"items\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096},"
            "\"description\":\"Indexed roots to refresh (default: all).\"}"
            "},\"additionalProperties\":false}",
        .output_schema =
            "{\"type\":\"object\",\"properties\":{"
            "\"roots\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
            "\"description\":\"the roots refreshed\"},"
            "\"seen\":{\"type\":\"integer\"},\"added\":{\"type\":\"integer\"},"
            "\"updated\":{\"type\":\"integer\"},\"unchanged\":{\"type\":\"integer\"},"
            "\"removed\":{\"type\":\"integer\"},\"skipped\":{\"type\":\"integer\"},"
            "\"chunks\":{\"type\":\"integer\",\"description\":\"chunks written\"},"
            "\"seconds\":{\"type\":\"number\"},"
            "\"errors\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
            "\"root\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}},"
            "\"required\":[\"root\",\"message\"]}}},"
            "\"required\":[\"roots\",\"seen\",\"added\",\"updated\",\"unchanged\",\"removed\","
            "\"skipped\",\"chunks\",\"seconds\",\"errors\"]}",
        .idempotent = 1,
        .long_running = 1,
        .run = handlers_reindex,
    },
};

const size_t tool_table_len = sizeof tool_table / sizeof tool_table[0];
