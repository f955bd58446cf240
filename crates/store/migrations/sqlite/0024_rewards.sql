-- Emulation and rewards: the Party badge, campaigns, award proposals and decisions.
--
-- `members.badge_years` is the highest Party badge the member has received (0: none), kept with
-- each badge recorded: the badge candidates of an award day are the members whose next
-- milestone falls on or before it, one range of `members_badge_due` per milestone, read from
-- the index alone (`ended_on` in it). Not partial, so that a bulk load drops it and builds it
-- again by one sort rather than row by row.
ALTER TABLE members ADD COLUMN badge_years INTEGER NOT NULL DEFAULT 0;
CREATE INDEX members_badge_due ON members (badge_years, admitted_on, org_id, ended_on);

-- An emulation campaign launched by a committee for its subtree (docs/huong-dan.md).
CREATE TABLE campaigns (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    theme       TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    criteria    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('open', 'closed')),
    summary     TEXT,
    closed_on   TEXT,
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX campaigns_by_org ON campaigns (org_id, starts_on);

-- A unit of the subtree taking part: its registration (pledge) and its reported results.
CREATE TABLE campaign_units (
    campaign_id    INTEGER NOT NULL REFERENCES campaigns(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    registered_on  TEXT NOT NULL,
    pledge         TEXT NOT NULL,
    result         TEXT,
    reported_on    TEXT,
    PRIMARY KEY (campaign_id, org_id)
);

-- A decision to award (Huy hiệu Đảng, giấy khen, bằng khen …), by the deciding organisation;
-- `document_id` the decision in the documents' registry.
CREATE TABLE awards (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    kind         TEXT NOT NULL CHECK (kind IN ('badge', 'certificate', 'merit', 'flag', 'title')),
    title        TEXT NOT NULL,
    decided_on   TEXT NOT NULL,
    ceremony_on  TEXT,
    document_id  INTEGER REFERENCES documents(id),
    proposal_id  INTEGER,
    campaign_id  INTEGER REFERENCES campaigns(id),
    created_by   INTEGER REFERENCES users(id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX awards_by_org ON awards (org_id, decided_on);
CREATE INDEX awards_by_day ON awards (decided_on);

-- Who received an award: a member or a collective. A member receives each badge once.
CREATE TABLE award_recipients (
    id           INTEGER PRIMARY KEY,
    award_id     INTEGER NOT NULL REFERENCES awards(id),
    member_id    INTEGER REFERENCES members(id),
    org_id       INTEGER REFERENCES orgs(id),
    badge_years  INTEGER,
    achievement  TEXT NOT NULL DEFAULT '',
    CHECK ((member_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX award_recipients_by_award ON award_recipients (award_id);
CREATE INDEX award_recipients_by_member ON award_recipients (member_id) WHERE member_id IS NOT NULL;
CREATE INDEX award_recipients_by_org ON award_recipients (org_id) WHERE org_id IS NOT NULL;
CREATE UNIQUE INDEX award_recipients_one_badge ON award_recipients (member_id, badge_years) WHERE badge_years IS NOT NULL;

-- A unit's proposal to the level that awards (docs/state-machines/award-proposal.md).
CREATE TABLE award_proposals (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    to_org_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind          TEXT NOT NULL CHECK (kind IN ('certificate', 'merit', 'flag', 'title')),
    title         TEXT NOT NULL,
    year          INTEGER NOT NULL,
    campaign_id   INTEGER REFERENCES campaigns(id),
    state         TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'returned', 'decided', 'rejected', 'withdrawn')),
    reason        TEXT,
    submitted_on  TEXT,
    closed_on     TEXT,
    award_id      INTEGER REFERENCES awards(id),
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL
);
CREATE INDEX award_proposals_by_org ON award_proposals (org_id, state);
CREATE INDEX award_proposals_by_decider ON award_proposals (to_org_id, state);

CREATE TABLE award_proposal_items (
    id           INTEGER PRIMARY KEY,
    proposal_id  INTEGER NOT NULL REFERENCES award_proposals(id),
    member_id    INTEGER REFERENCES members(id),
    org_id       INTEGER REFERENCES orgs(id),
    achievement  TEXT NOT NULL,
    CHECK ((member_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX award_proposal_items_by_proposal ON award_proposal_items (proposal_id);
