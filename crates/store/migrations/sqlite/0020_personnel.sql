-- Personnel work (công tác cán bộ): who may read it, the posts of each organisation and their
-- seats, holders appointed as well as elected, and the planning pools of each post for a term.

-- The grant that opens personnel data to an account (Ban Tổ chức, Thường trực), given by an
-- admin; without it no role reads any of it.
ALTER TABLE users ADD COLUMN personnel INTEGER NOT NULL DEFAULT 0;

-- Holders gain the heads of boards (appointed, naming their board), the decision that
-- appointed or ended them and why they left. SQLite changes a CHECK only by rebuilding.
CREATE TABLE post_holders_next (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    post          TEXT NOT NULL CHECK (post IN ('executive_committee', 'standing_board', 'secretary',
                      'deputy_secretary', 'inspection_committee', 'inspection_chair', 'board_head')),
    body_id       INTEGER REFERENCES bodies(id),
    term          TEXT NOT NULL,
    member_id     INTEGER REFERENCES members(id),
    full_name     TEXT NOT NULL,
    election_id   INTEGER REFERENCES elections(id),
    decision      TEXT,
    since         TEXT NOT NULL,
    until         TEXT,
    end_reason    TEXT,
    CHECK ((post = 'board_head') = (body_id IS NOT NULL))
);
INSERT INTO post_holders_next (id, org_id, post, term, member_id, full_name, election_id, since, until)
    SELECT id, org_id, post, term, member_id, full_name, election_id, since, until FROM post_holders;
DROP TABLE post_holders;
ALTER TABLE post_holders_next RENAME TO post_holders;
CREATE INDEX post_holders_by_org ON post_holders (org_id, post, until);
CREATE INDEX post_holders_by_member ON post_holders (member_id);
-- A single post has one holder at a time (a head of board: one per board).
CREATE UNIQUE INDEX post_holders_one_holder ON post_holders (org_id, post, COALESCE(body_id, 0))
    WHERE until IS NULL AND post IN ('secretary', 'inspection_chair', 'board_head');

-- How many seats each post of an organisation has (its structure): what the gaps are counted
-- against. An organisation with no row for its secretary still has one.
CREATE TABLE post_seats (
    id       INTEGER PRIMARY KEY,
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    post     TEXT NOT NULL CHECK (post IN ('executive_committee', 'standing_board', 'secretary',
                 'deputy_secretary', 'inspection_committee', 'inspection_chair', 'board_head')),
    body_id  INTEGER REFERENCES bodies(id),
    seats    INTEGER NOT NULL CHECK (seats BETWEEN 0 AND 500)
);
CREATE UNIQUE INDEX post_seats_per_post ON post_seats (org_id, post, COALESCE(body_id, 0));

-- One person in the planning pool of one post for one term, with the decisions that added
-- and removed them (reviewed yearly) and the standards found met.
CREATE TABLE planning_entries (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES orgs(id),
    post              TEXT NOT NULL CHECK (post IN ('executive_committee', 'standing_board', 'secretary',
                          'deputy_secretary', 'inspection_committee', 'inspection_chair', 'board_head')),
    body_id           INTEGER REFERENCES bodies(id),
    term              TEXT NOT NULL,
    member_id         INTEGER NOT NULL REFERENCES members(id),
    standards         TEXT NOT NULL DEFAULT '[]',
    added_on          TEXT NOT NULL,
    added_decision    TEXT NOT NULL,
    removed_on        TEXT,
    removed_decision  TEXT,
    removed_reason    TEXT,
    created_at        INTEGER NOT NULL
);
CREATE INDEX planning_by_org ON planning_entries (org_id, term, post);
CREATE INDEX planning_by_member ON planning_entries (member_id, term);
CREATE UNIQUE INDEX planning_once ON planning_entries (org_id, post, COALESCE(body_id, 0), term, member_id)
    WHERE removed_on IS NULL;
