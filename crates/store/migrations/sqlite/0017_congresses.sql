-- Congresses (dangvu_domain::congresses): the congress of an organisation for a term, the plan
-- of milestones a higher committee pushes down, the drafts in versions and the comments on them.

CREATE TABLE congresses (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('members', 'delegates')),
    term          TEXT NOT NULL,
    opens_on      TEXT NOT NULL,
    closes_on     TEXT,
    place         TEXT NOT NULL DEFAULT '',
    -- dangvu_domain::congresses::State; opened_on and closed_on are the days it happened.
    state         TEXT NOT NULL CHECK (state IN ('preparing', 'approved', 'in_session', 'closed')),
    state_note    TEXT NOT NULL DEFAULT '',
    opened_on     TEXT,
    closed_on     TEXT,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
-- One congress of an organisation per term.
CREATE UNIQUE INDEX congresses_by_org_term ON congresses (org_id, term);

-- A higher committee's plan for the congresses of its subtree in a term: which kinds of
-- organisation hold one, the day by which they are held, and the milestones each gets, as JSON
-- [{"milestone": "...", "days_before": n}], days before the congress opens.
CREATE TABLE congress_plans (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    term          TEXT NOT NULL,
    kinds         TEXT NOT NULL,
    held_by       TEXT NOT NULL,
    milestones    TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX congress_plans_by_org ON congress_plans (org_id, term);

-- Each milestone of a congress is a task of the tasks capability, so the dashboards and the
-- reminders follow it.
CREATE TABLE congress_milestones (
    congress_id   INTEGER NOT NULL REFERENCES congresses(id),
    milestone     TEXT NOT NULL,
    task_id       INTEGER NOT NULL REFERENCES tasks(id),
    PRIMARY KEY (congress_id, milestone)
);

CREATE TABLE congress_drafts (
    id              INTEGER PRIMARY KEY,
    congress_id     INTEGER NOT NULL REFERENCES congresses(id),
    title           TEXT NOT NULL,
    -- The days the draft is open for comments; no first day means from its creation, no last
    -- day means until the window is closed.
    comments_from   TEXT,
    comments_until  TEXT,
    created_by      INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL
);
CREATE INDEX congress_drafts_by_congress ON congress_drafts (congress_id, id);

-- A version is kept whole and never changes.
CREATE TABLE congress_draft_versions (
    draft_id      INTEGER NOT NULL REFERENCES congress_drafts(id),
    version       INTEGER NOT NULL,
    text          TEXT NOT NULL,
    paragraphs    INTEGER NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    sha256        TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    PRIMARY KEY (draft_id, version)
);

-- A comment points at the (version, paragraph) it was made on and keeps its quote (the whole
-- paragraph when it quoted none). at_version and at_paragraph say where the quote stands in the
-- latest version that holds it; outdated when the draft's latest version no longer does.
CREATE TABLE congress_comments (
    id                INTEGER PRIMARY KEY,
    draft_id          INTEGER NOT NULL REFERENCES congress_drafts(id),
    version           INTEGER NOT NULL,
    paragraph         INTEGER NOT NULL,
    quote             TEXT NOT NULL,
    -- On the whole paragraph (quote is then its text when the comment was made): it follows
    -- the paragraph through rewrites and is outdated only when the paragraph is removed.
    whole_paragraph   INTEGER NOT NULL DEFAULT 0,
    text              TEXT NOT NULL,
    group_key         TEXT NOT NULL,
    -- From a member (the handbook) or on behalf of an organisation, never both.
    member_id         INTEGER REFERENCES members(id),
    org_id            INTEGER REFERENCES orgs(id),
    -- How many of the unit's members agreed at its meeting, when it says.
    members_agreeing  INTEGER,
    -- Typed in from paper, with the scanned page when there is one.
    from_paper        INTEGER NOT NULL DEFAULT 0,
    file_id           INTEGER REFERENCES files(id),
    at_version        INTEGER NOT NULL,
    at_paragraph      INTEGER,
    outdated          INTEGER NOT NULL DEFAULT 0,
    disposition       TEXT CHECK (disposition IN ('accepted', 'partly_accepted', 'not_accepted', 'noted')),
    reason            TEXT,
    disposed_by       INTEGER REFERENCES users(id),
    disposed_at       INTEGER,
    created_by        INTEGER REFERENCES users(id),
    created_at        INTEGER NOT NULL,
    CHECK ((member_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX congress_comments_by_paragraph ON congress_comments (draft_id, at_paragraph, group_key);
CREATE INDEX congress_comments_by_group ON congress_comments (draft_id, group_key);
CREATE INDEX congress_comments_by_member ON congress_comments (member_id);
CREATE INDEX congress_comments_by_org ON congress_comments (org_id);
