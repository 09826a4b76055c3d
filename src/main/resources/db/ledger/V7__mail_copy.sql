-- Mail: which target message is the hub's copy of which source message (issue 12). IMAP messages never change under
-- one UIDVALIDITY, so a record proves the copy as long as the target still has its UID: identical messages (a message
-- saved twice, a draft and its sent copy) are each copied and matched one to one, flags follow the source on later
-- runs, and `deletions: mirror` expunges only the hub's own copies.
CREATE TABLE hub_mail_copy (
    folder_key         CHAR(64)      NOT NULL,  -- SHA-256 of migration, source user and source folder
    uidvalidity        BIGINT        NOT NULL,  -- of the source folder
    uid                BIGINT        NOT NULL,  -- of the source message
    migration          VARCHAR(200)  NOT NULL,
    target_key         CHAR(64)      NOT NULL,  -- SHA-256 of migration, target user and target folder
    target_uidvalidity BIGINT        NOT NULL,
    target_uid         BIGINT        NOT NULL,
    sha256             CHAR(64)      NOT NULL,  -- of the message's bytes, read on both sides
    PRIMARY KEY (folder_key, uidvalidity, uid)
);
CREATE INDEX ix_mail_copy_target ON hub_mail_copy (target_key, target_uidvalidity, sha256);
CREATE INDEX ix_mail_copy_migration ON hub_mail_copy (migration);

-- The state of a source folder when it was last listed (STATUS UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ, where the
-- server offers CONDSTORE): a folder whose state did not move since is not fetched again (a quiet night costs one
-- STATUS per folder). listing = digest of the payloads the listing gave, so a listing the ledger never took is not trusted.
CREATE TABLE hub_mail_folder (
    folder_key     CHAR(64)      NOT NULL PRIMARY KEY,
    migration      VARCHAR(200)  NOT NULL,
    folder_state   VARCHAR(200)  NOT NULL,
    listing        CHAR(64)      NOT NULL
);
