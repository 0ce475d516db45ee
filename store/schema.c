/*
 * schema.c — the index's schema, as the migrations that build it: entry v
 * of store_migrations takes a database from version v to v + 1, so every
 * index, however old, reaches the current schema by the same steps.
 * store.c runs them.
 */
#include "store/store_int.h"

/* Schema migrations: entry v takes a database from version v to v + 1.
 * Version 0 is an empty file. */
const char *const store_migrations[STORE_SCHEMA_VERSION] = {
    /* 0 -> 1: files, chunks and their full-text index. */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE roots("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  added_at INTEGER NOT NULL,"
    "  indexed_at INTEGER);"
    "CREATE TABLE files("
    "  id INTEGER PRIMARY KEY,"
    "  root_id INTEGER NOT NULL REFERENCES roots(id),"
    "  path TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  mtime_ns INTEGER NOT NULL,"
    "  hash INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('code', 'prose')),"
    "  encoding TEXT NOT NULL,"
    "  indexed_at INTEGER NOT NULL,"
    "  UNIQUE(root_id, path));"
    "CREATE TABLE chunks("
    "  id INTEGER PRIMARY KEY,"
    "  file_id INTEGER NOT NULL REFERENCES files(id),"
    "  seq INTEGER NOT NULL,"
    "  start_line INTEGER NOT NULL,"
    "  end_line INTEGER NOT NULL,"
    "  start_byte INTEGER NOT NULL,"
    "  end_byte INTEGER NOT NULL,"
    "  path TEXT NOT NULL,"
    "  symbol TEXT,"
    "  context TEXT,"
    "  text TEXT NOT NULL);"
    "CREATE INDEX chunks_by_file ON chunks(file_id, seq);"
    "CREATE VIRTUAL TABLE chunks_fts USING fts5("
    "  path, symbol, context, text, content='chunks', content_rowid='id', tokenize='cairn');"
    "CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN"
    "  INSERT INTO chunks_fts(rowid, path, symbol, context, text)"
    "  VALUES (new.id, new.path, new.symbol, new.context, new.text);"
    "END;"
    "CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN"
    "  INSERT INTO chunks_fts(chunks_fts, rowid, path, symbol, context, text)"
    "  VALUES ('delete', old.id, old.path, old.symbol, old.context, old.text);"
    "END;",
    /* 1 -> 2: code intelligence (definitions and references) and writing
     * (document metadata, tags, links). */
    "CREATE TABLE symbols("
    "  id INTEGER PRIMARY KEY,"
    "  file_id INTEGER NOT NULL REFERENCES files(id),"
    "  parent_id INTEGER,"
    "  name TEXT NOT NULL,"
    "  qualname TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  signature TEXT,"
    "  doc TEXT,"
    "  start_line INTEGER NOT NULL,"
    "  end_line INTEGER NOT NULL,"
    "  start_byte INTEGER NOT NULL,"
    "  end_byte INTEGER NOT NULL);"
    "CREATE INDEX symbols_by_file ON symbols(file_id, start_byte);"
    "CREATE INDEX symbols_by_name ON symbols(name COLLATE NOCASE);"
    "CREATE INDEX symbols_by_qualname ON symbols(qualname COLLATE NOCASE);"
    "CREATE TABLE refs("
    "  id INTEGER PRIMARY KEY,"
    "  file_id INTEGER NOT NULL REFERENCES files(id),"
    "  symbol_id INTEGER,"
    "  name TEXT NOT NULL,"
    "  qualifier TEXT,"
    "  kind TEXT NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  start_byte INTEGER NOT NULL,"
    "  end_byte INTEGER NOT NULL,"
    "  target_id INTEGER,"
    "  confidence REAL);"
    "CREATE INDEX refs_by_file ON refs(file_id);"
    "CREATE INDEX refs_by_name ON refs(name);"
    "CREATE INDEX refs_by_symbol ON refs(symbol_id);"
    "CREATE INDEX refs_by_target ON refs(target_id);"
    "CREATE TABLE docs("
    "  file_id INTEGER PRIMARY KEY REFERENCES files(id),"
    "  title TEXT NOT NULL,"
    "  date TEXT,"
    "  date_source TEXT,"
    "  url TEXT,"
    "  words INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX docs_by_date ON docs(date);"
    "CREATE TABLE doc_tags("
    "  file_id INTEGER NOT NULL REFERENCES files(id),"
    "  tag TEXT NOT NULL,"
    "  PRIMARY KEY(file_id, tag));"
    "CREATE INDEX doc_tags_by_tag ON doc_tags(tag COLLATE NOCASE);"
    "CREATE TABLE links("
    "  id INTEGER PRIMARY KEY,"
    "  file_id INTEGER NOT NULL REFERENCES files(id),"
    "  line INTEGER NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  target TEXT NOT NULL,"
    "  target_path TEXT,"
    "  text TEXT);"
    "CREATE INDEX links_by_file ON links(file_id);"
    "CREATE INDEX links_by_target ON links(target_path);",
    /* 2 -> 3: dense retrieval.  embeddings caches one vector per distinct
     * text per embedder (store/embcache.h); chunk_vectors says which text
     * each chunk was embedded as, and goes with its chunk.  Every change to
     * either counts up meta's vectors_generation, which the FAISS file
     * must match to be used as it is (store/vectors.h).  IF NOT EXISTS:
     * a database rolled back to an older version by hand keeps these. */
    "CREATE TABLE IF NOT EXISTS embeddings("
    "  provider TEXT NOT NULL,"
    "  model TEXT NOT NULL,"
    "  hash INTEGER NOT NULL,"
    "  dim INTEGER NOT NULL,"
    "  vec BLOB NOT NULL,"
    "  PRIMARY KEY(provider, model, hash));"
    "CREATE TABLE IF NOT EXISTS chunk_vectors("
    "  chunk_id INTEGER PRIMARY KEY,"
    "  hash INTEGER NOT NULL);"
    "INSERT OR IGNORE INTO meta(key, value) VALUES ('vectors_generation', '0');"
    "CREATE TRIGGER IF NOT EXISTS chunks_ad_vectors AFTER DELETE ON chunks BEGIN"
    "  DELETE FROM chunk_vectors WHERE chunk_id = old.id;"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS chunk_vectors_ai AFTER INSERT ON chunk_vectors BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'vectors_generation';"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS chunk_vectors_au AFTER UPDATE ON chunk_vectors BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'vectors_generation';"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS chunk_vectors_ad AFTER DELETE ON chunk_vectors BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'vectors_generation';"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS embeddings_ai AFTER INSERT ON embeddings BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'vectors_generation';"
    "END;"
    "CREATE TRIGGER IF NOT EXISTS embeddings_ad AFTER DELETE ON embeddings BEGIN"
    "  UPDATE meta SET value = value + 1 WHERE key = 'vectors_generation';"
    "END;",
    /* 3 -> 4: references are resolved when asked (query/symbols.c), never
     * stored, so their target columns and index only cost writes. */
    "DROP INDEX IF EXISTS refs_by_target;"
    "ALTER TABLE refs DROP COLUMN target_id;"
    "ALTER TABLE refs DROP COLUMN confidence;",
};

/* Indexes that serve lookups by name only.  Filling an empty index, they
 * are dropped and built again at the end (store_lookup_indexes_defer):
 * one sort instead of hundreds of thousands of random B-tree inserts.
 * Writers create any that is missing when they open, so a run killed in
 * between leaves nothing broken for long. */
const char store_lookup_indexes_create_sql[] =
    "CREATE INDEX IF NOT EXISTS symbols_by_name ON symbols(name COLLATE NOCASE);"
    "CREATE INDEX IF NOT EXISTS symbols_by_qualname ON symbols(qualname COLLATE NOCASE);"
    "CREATE INDEX IF NOT EXISTS refs_by_name ON refs(name);";
const char store_lookup_indexes_drop_sql[] =
    "DROP INDEX IF EXISTS symbols_by_name;"
    "DROP INDEX IF EXISTS symbols_by_qualname;"
    "DROP INDEX IF EXISTS refs_by_name;";
