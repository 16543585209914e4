-- 0023_former_participants_index: the housekeeping pass finds former
-- participants through an index instead of reading every current period.
--
-- The retention pass (store/retention.c, every instance at start and every
-- ten minutes) picks each participant's latest current period and limits or
-- pseudonymises those whose latest period is dormant or ended, with an end
-- date, long enough ago. It read all current periods of all participants:
-- 3.2 s at 1,000,000 participants, a parallel query on both cores. Only a
-- participant with such a period can qualify, and those are a few per cent
-- of the periods (144,000 of 2.24 million at 1M); this partial index lists
-- them, and the pass now starts from it (1.3 s at 1M). Inserting an active
-- period, what a change mostly writes, does not touch it.
CREATE INDEX participant_periods_former ON participant_periods (participant_id)
    WHERE superseded_at IS NULL AND status IN ('dormant', 'ended') AND employment_end IS NOT NULL;
