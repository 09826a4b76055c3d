-- A quiet nightly re-run of a migration that lists its source again (files) finds most items unchanged: instead of
-- stamping each of them (10,000 row updates for 10,000 files), the merge stamps the migration once. Every item still
-- VERIFIED after that merge was listed then and found unchanged (a changed one went back to PENDING, a deleted one to
-- GONE), so an item's comparison time is the later of its own checked_at and this stamp (Ledger.freshness, the report).
ALTER TABLE hub_migration ADD COLUMN verified_compared_at TIMESTAMP WITH TIME ZONE;
