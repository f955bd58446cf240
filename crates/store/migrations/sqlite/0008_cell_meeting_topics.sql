-- Topics and documents a higher level sets for every cell of its subtree in a month
-- ("định hướng nội dung sinh hoạt"): they appear on the agenda of each cell's meetings of that
-- month, read through the cell's ancestors, so a cell moved elsewhere follows its new committee.
CREATE TABLE cell_meeting_topics (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    month         INTEGER NOT NULL,
    title         TEXT NOT NULL,
    detail        TEXT NOT NULL DEFAULT '',
    -- A document of the registry to read for it, if any.
    document_id   INTEGER REFERENCES documents(id),
    withdrawn_at  INTEGER,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX cell_meeting_topics_by_org ON cell_meeting_topics (org_id, month);
