-- Party age leaves out the periods a member was out of the Party or out of its activity
-- (reference/domain-rules.md §4.4): expulsion, removal from the list, resignation, lost
-- contact, gaps between transfers. A re-admission records the time out as one of them.
CREATE TABLE member_inactive_periods (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    from_on     TEXT NOT NULL,
    -- Open while the member is still out.
    until_on    TEXT,
    reason      TEXT NOT NULL
                CHECK (reason IN ('expelled', 'removed_from_list', 'resigned', 'lost_contact', 'transfer_gap')),
    note        TEXT,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX member_inactive_periods_by_member ON member_inactive_periods (member_id);

-- How many such periods a member has, so that lists and figures read the periods of the
-- few members who have any, and how many times the member was re-admitted (once at most
-- under the current rules).
ALTER TABLE members ADD COLUMN inactive_periods INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN readmissions INTEGER NOT NULL DEFAULT 0;
