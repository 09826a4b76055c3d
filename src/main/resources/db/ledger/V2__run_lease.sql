-- One run of a migration at a time across every hub on this ledger: the hub running it holds a lease and renews it;
-- a lease that ran out (its hub died) may be taken over. Times are the database's, never a hub's clock.
CREATE TABLE hub_run_lease (
    migration   VARCHAR(200) NOT NULL PRIMARY KEY,
    instance_id VARCHAR(64)  NOT NULL,   -- the hub holding it
    lease_token VARCHAR(36)  NOT NULL,   -- the run holding it: only that run renews or gives it back
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- When the hub last compared an item's source and target and found them equal (copy or `verify`).
ALTER TABLE hub_item ADD COLUMN checked_at TIMESTAMP WITH TIME ZONE;

-- Migrations an operator paused: every hub on this ledger holds their runs at an item boundary until resumed,
-- and a restart keeps them paused.
CREATE TABLE hub_pause (
    migration  VARCHAR(200) NOT NULL PRIMARY KEY,
    paused_by  VARCHAR(64)  NOT NULL,
    paused_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Time a run took no new items (paused by an operator, outside its maintenance window): rates leave it out.
ALTER TABLE hub_run ADD COLUMN waited_seconds BIGINT;
