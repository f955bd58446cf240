-- A task's lead or supporting unit may be a body of an organisation (a board, the office, the
-- inspection committee, a đảng đoàn, a ban cán sự đảng, the Front): the lead keeps its
-- organisation in `lead_org_id` (the body's own), so that every count and queue of a subtree
-- holds the tasks of the bodies inside it, and names the body in `lead_body_id`.
ALTER TABLE tasks ADD COLUMN lead_body_id BIGINT REFERENCES bodies(id);
CREATE INDEX tasks_by_lead_body ON tasks (lead_body_id);

CREATE TABLE task_support_bodies (
    task_id  BIGINT NOT NULL REFERENCES tasks(id),
    body_id  BIGINT NOT NULL REFERENCES bodies(id),
    PRIMARY KEY (task_id, body_id)
);
CREATE INDEX task_support_bodies_by_body ON task_support_bodies (body_id, task_id);

-- The queue of results waiting for the assigning office: few rows, read on every office's home.
CREATE INDEX tasks_pending_review ON tasks (org_id, id) WHERE review = 'pending';

-- A cell secretary's home counts the members' tasks of the cell.
CREATE INDEX cell_meeting_tasks_by_org ON cell_meeting_tasks (org_id, done_on);
