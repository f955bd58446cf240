-- A re-admitted member is probationary again and members.official_on is emptied until the
-- new probation ends; the period out keeps the date the member had become a full member
-- before leaving (NULL: left while probationary), so that the recognitions of that year
-- stay in its figures (store::member_figures::flows). Members re-admitted before this
-- column existed are not backfilled.
ALTER TABLE member_inactive_periods ADD COLUMN official_on TEXT;
CREATE INDEX member_inactive_periods_by_official_on ON member_inactive_periods (official_on)
    WHERE official_on IS NOT NULL;
