-- Mail from POP3 (issue 16): which target message is the hub's copy of which POP3 message. A POP3 message is known by
-- its UIDL (RFC 1939: unique in its maildrop and kept across sessions); a record names the IMAP message the hub
-- appended for it, so a re-run (also after kill -9, when the record is missing and the target message is recognised
-- by content and date) copies nothing twice, and `deletions: mirror` removes only the hub's own copies.
CREATE TABLE hub_mail_pop3_uid (
    mailbox_key        CHAR(64)      NOT NULL,  -- SHA-256 of migration and source user (POP3 has INBOX only)
    uidl               VARCHAR(200)  NOT NULL,  -- the server's unique id of the message (case matters)
    migration          VARCHAR(200)  NOT NULL,
    target_key         CHAR(64)      NOT NULL,  -- SHA-256 of migration, target user and target folder
    target_uidvalidity BIGINT        NOT NULL,
    target_uid         BIGINT        NOT NULL,
    sha256             CHAR(64)      NOT NULL,  -- of the message's bytes, read on both sides
    internal_date      BIGINT        NOT NULL,  -- the IMAP internal date given at APPEND [epoch seconds]
    PRIMARY KEY (mailbox_key, uidl)
);
CREATE INDEX ix_mail_pop3_target ON hub_mail_pop3_uid (target_key, target_uidvalidity, sha256);
CREATE INDEX ix_mail_pop3_migration ON hub_mail_pop3_uid (migration);
