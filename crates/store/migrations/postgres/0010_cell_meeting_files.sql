-- The documents to read for a meeting, on the handbook before it (the rules ask for one day
-- at least); a file added later is marked as late.
CREATE TABLE cell_meeting_files (
    meeting_id  BIGINT NOT NULL REFERENCES cell_meetings(id),
    file_id     BIGINT NOT NULL REFERENCES files(id),
    PRIMARY KEY (meeting_id, file_id)
);
CREATE INDEX cell_meeting_files_by_file ON cell_meeting_files (file_id);
