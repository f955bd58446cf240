-- The words members are found by: each word of a member's folded name, card number and
-- citizen id (members.search_text, no case, no diacritics, đ as d), once per member. A word
-- typed in the search reads the members it starts a word of from this index instead of
-- reading every member of the subtree (store::members::search). Byte order, as the ranges
-- `term >= 'dang' AND term < 'danh'` expect.
CREATE TABLE member_terms (
    term       TEXT COLLATE "C" NOT NULL,
    member_id  BIGINT NOT NULL REFERENCES members(id),
    PRIMARY KEY (term, member_id)
);

INSERT INTO member_terms (term, member_id)
SELECT DISTINCT word, id FROM members, regexp_split_to_table(search_text, '\s+') AS word
WHERE word <> '';

-- A search that walks a subtree reads its cells' current members from this index.
CREATE INDEX members_search ON members (org_id, ended_on, status, search_text);
