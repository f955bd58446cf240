-- Indexes no statement reads any more, each written on every insert of a member and built
-- again by every bulk load (a sort of the whole registry each):
-- - a card number or a citizen id is found through `member_terms` (0011), where both are
--   words of the member, by prefix as well as whole;
-- - a cell's members are read through `members_search` (org_id, ended_on, status, …),
--   which starts with the organisation as `members_by_org` did.
DROP INDEX members_by_card;
DROP INDEX members_by_national_id;
DROP INDEX members_by_org;
