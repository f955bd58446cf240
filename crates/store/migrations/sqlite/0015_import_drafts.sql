-- Files sent to the members' import page, kept while their account looks at the preview and
-- maps the columns (dangvu_store::members::import_drafts). They live in the database, not in
-- a server's memory, so that the import is confirmed on whichever server the load balancer
-- picks. As for sessions, only the SHA-256 of the token handed to the browser is stored.
CREATE TABLE import_drafts (
    token_hash  TEXT NOT NULL PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    file_name   TEXT NOT NULL,
    xlsx        INTEGER NOT NULL,
    -- The length of `data`, so that an account's drafts are summed without reading them.
    size        INTEGER NOT NULL,
    data        BLOB NOT NULL,
    kept_at     INTEGER NOT NULL
);
-- An account's drafts, oldest first: the ones beyond its limits go.
CREATE INDEX import_drafts_by_user ON import_drafts (user_id, kept_at);
-- Expired drafts are deleted when a new one is kept.
CREATE INDEX import_drafts_by_expiry ON import_drafts (kept_at);
