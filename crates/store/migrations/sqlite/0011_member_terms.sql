-- The words members are found by: each word of a member's folded name, card number and
-- citizen id (members.search_text, no case, no diacritics, đ as d), once per member. A word
-- typed in the search reads the members it starts a word of from this index instead of
-- reading every member of the subtree (store::members::search).
CREATE TABLE member_terms (
    term       TEXT NOT NULL,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (term, member_id)
) WITHOUT ROWID;

WITH RECURSIVE words(member_id, word, rest) AS (
    SELECT id, '', search_text || ' ' FROM members
    UNION ALL
    SELECT member_id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM words WHERE rest <> ''
)
INSERT OR IGNORE INTO member_terms (term, member_id)
SELECT word, member_id FROM words WHERE word <> '';

-- A search that walks a subtree reads its cells' current members from this index alone,
-- and seeks a member's row only for those whose words match. Not a partial index
-- (WHERE ended_on IS NULL): without statistics SQLite takes a partial index for a small
-- one and scans it for every member a word finds instead of seeking each by id.
CREATE INDEX members_search ON members (org_id, ended_on, status, search_text);
