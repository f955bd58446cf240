-- The walk of a member search checks each cell's members against the words in this index
-- alone (an index-only scan) and reads the table only for the members it finds: the index
-- needs the id for that. On a national registry the search "nguyen van an" in a province
-- went from 26-28 ms to 16-18 ms.
DROP INDEX members_search;
CREATE INDEX members_search ON members (org_id, ended_on, status, search_text) INCLUDE (id);
