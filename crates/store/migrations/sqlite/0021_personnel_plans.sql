-- The congress personnel plan (đề án nhân sự): one per congress, its structure (the seats of
-- each post, the candidates to put on each list) and the names proposed, approved by the
-- committee above (docs/state-machines/personnel-plan.md).
CREATE TABLE personnel_plans (
    id               INTEGER PRIMARY KEY,
    congress_id      INTEGER NOT NULL REFERENCES congresses(id),
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    state            TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved')),
    note             TEXT NOT NULL DEFAULT '',
    decision         TEXT,
    decided_on       TEXT,
    returned_reason  TEXT,
    created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX personnel_plans_per_congress ON personnel_plans (congress_id);

CREATE TABLE personnel_plan_posts (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES personnel_plans(id),
    post        TEXT NOT NULL CHECK (post IN ('executive_committee', 'standing_board', 'secretary',
                    'deputy_secretary', 'inspection_committee', 'inspection_chair')),
    seats       INTEGER NOT NULL,
    candidates  INTEGER NOT NULL
);
CREATE UNIQUE INDEX personnel_plan_posts_once ON personnel_plan_posts (plan_id, post);

CREATE TABLE personnel_plan_names (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES personnel_plans(id),
    post        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    member_id   INTEGER REFERENCES members(id),
    full_name   TEXT NOT NULL
);
CREATE INDEX personnel_plan_names_by_plan ON personnel_plan_names (plan_id, post, position);
