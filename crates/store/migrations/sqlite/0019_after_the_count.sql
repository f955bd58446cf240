-- After the count (Chương VI, QĐ 190-QĐ/TW; dangvu_domain::elections::{body, approval, custody}).

-- What an election elects (dangvu_domain::elections::Body) and for which term: the bodies are
-- approved by the committee above and then hold the organisation's posts.
ALTER TABLE elections ADD COLUMN body TEXT NOT NULL DEFAULT 'other' CHECK (body IN
    ('executive_committee', 'standing_board', 'secretary', 'deputy_secretary', 'inspection_committee',
     'inspection_chair', 'delegates', 'other'));
ALTER TABLE elections ADD COLUMN term TEXT;
-- The committee above's approval (chuẩn y, dangvu_domain::elections::approval::Approval): the
-- task it was given when the ballots were sealed, its decision (reference and day), and the
-- numbers on the ballot of the people it refused to approve, comma-separated.
ALTER TABLE elections ADD COLUMN approval TEXT NOT NULL DEFAULT 'awaiting' CHECK (approval IN
    ('awaiting', 'approved', 'partly_approved', 'annulled'));
ALTER TABLE elections ADD COLUMN approval_task_id INTEGER REFERENCES tasks(id);
ALTER TABLE elections ADD COLUMN approval_reference TEXT;
ALTER TABLE elections ADD COLUMN approval_on TEXT;
ALTER TABLE elections ADD COLUMN approval_refused TEXT;
ALTER TABLE elections ADD COLUMN approval_note TEXT;
-- The decision destroying the sealed ballots (Điều 35), after the sealing months.
ALTER TABLE elections ADD COLUMN destroyed_on TEXT;
ALTER TABLE elections ADD COLUMN destruction_reference TEXT;

-- Complaints about an election (Điều 33), as the register of the committee receiving them
-- records them: the day received and the register's reference, never who complained (the
-- person is in the petitions' register, behind its handlers). A pending complaint holds the
-- ballots from destruction.
CREATE TABLE election_complaints (
    id            INTEGER PRIMARY KEY,
    election_id   INTEGER NOT NULL REFERENCES elections(id),
    received_on   TEXT NOT NULL,
    reference     TEXT NOT NULL,
    resolved_on   TEXT,
    outcome       TEXT,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX election_complaints_by_election ON election_complaints (election_id, id);

-- Who holds an organisation's posts (dangvu_domain::elections::Body, the posts a congress
-- fills): written when the committee above approves a result. A holder steps down (`until`)
-- when the next term's holders of the same post are approved.
CREATE TABLE post_holders (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    post          TEXT NOT NULL CHECK (post IN ('executive_committee', 'standing_board', 'secretary',
                      'deputy_secretary', 'inspection_committee', 'inspection_chair')),
    term          TEXT NOT NULL,
    member_id     INTEGER REFERENCES members(id),
    full_name     TEXT NOT NULL,
    election_id   INTEGER REFERENCES elections(id),
    since         TEXT NOT NULL,
    until         TEXT
);
CREATE INDEX post_holders_by_org ON post_holders (org_id, post, until);
CREATE INDEX post_holders_by_member ON post_holders (member_id);
-- A single post has one holder at a time, whatever two decisions recorded at once would do.
CREATE UNIQUE INDEX post_holders_one_holder ON post_holders (org_id, post)
    WHERE until IS NULL AND post IN ('secretary', 'inspection_chair');
