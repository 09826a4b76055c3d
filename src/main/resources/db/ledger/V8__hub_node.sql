-- Several hubs on one ledger and one broker (issue 15): every hub announces itself here and renews its row every few
-- seconds (times are the database's). A hub not seen for a while is gone (killed, cut off): the items its workers had
-- claimed are freed for the others, and the run it held is taken over by another hub.
CREATE TABLE hub_node (
    node_id    VARCHAR(64)  NOT NULL PRIMARY KEY,  -- the hub instance (hub_item.claimed_by, hub_run_lease.instance_id)
    host       VARCHAR(200) NOT NULL,              -- pid@host of its JVM
    workers    INT          NOT NULL,              -- worker threads it runs (0: a tool that only reads)
    started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The hub that ran (or runs) each run: a run taken over from a hub that died names the hub that finished it.
ALTER TABLE hub_run ADD COLUMN run_by VARCHAR(64);
