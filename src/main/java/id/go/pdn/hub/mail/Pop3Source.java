package id.go.pdn.hub.mail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MailDateFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.EndpointErrors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.mail.MailAccounts.Account;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.eclipse.angus.mail.pop3.POP3Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A mail migration whose source is a POP3 server ({@code source: pop3s://host:995}): each account's INBOX (POP3 has
 * nothing else) into a folder of the IMAP target, {@code INBOX} unless {@code folderMap} renames it.
 * <ul>
 * <li>identity: the message's UIDL (RFC 1939), recorded with its copy in {@link Pop3Uids}; a message is never copied
 * twice, also after {@code kill -9}: a copy appended but not recorded is recognised on the target by its bytes and
 * internal date and adopted;</li>
 * <li>items: batches of {@code uidRangeSize} UIDLs in the order the server lists them; a re-run plans only UIDLs it
 * has not planned before;</li>
 * <li>bytes: {@code RETR} streamed (Jakarta Mail's {@code POP3Message.writeTo} with {@code cachewriteto=false}) into
 * the hash and, above {@link MailServer#BLOCK_SIZE}, a spool file; appended exactly as read ({@link MailAppender});</li>
 * <li>internal date: the date of the message's first (topmost, newest) {@code Received:} header, else its
 * {@code Date:}, else the time the hub first listed it ({@link #internalDate});</li>
 * <li>verification: the multiset of (SHA-256, internal date) of the batch's messages on both sides; POP3 has no flags,
 * so flags are neither set nor compared (the target's flags belong to its user);</li>
 * <li>{@code deletions}: a UIDL the server no longer lists is deleted at the source: reported (GONE) or, with
 * {@code mirror}, its copy is expunged from the target ({@code UID EXPUNGE}, only the hub's copies).</li>
 * </ul>
 * The source is only read: the POP3 folder is opened read-only and closed without {@code DELE}. Items of one account
 * take turns on its POP3 session (servers may lock a maildrop per session); accounts go in parallel.
 */
final class Pop3Source implements MigrationJob {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3Source.class);
    static final String INBOX = "INBOX";
    /** Headers read for the internal date and the Message-ID: the first bytes of a message, up to its blank line. */
    private static final int HEAD_BYTES = 64 * 1024;

    /** The payload of one work item: a batch of UIDLs of one account, and what of it the server held at the last listing. */
    record Pop3Item(String sourceUser, String targetUser, String targetFolder, List<String> uidls, long listedAt, int present,
                    String presentDigest) {

        String key() {
            return sourceUser + " INBOX (POP3) uidl " + uidls.get(0)
                    + (uidls.size() > 1 ? " .. " + uidls.get(uidls.size() - 1) + " (" + uidls.size() + ")" : "");
        }

        Pop3Item with(int presentNow, String digestNow) {
            return new Pop3Item(sourceUser, targetUser, targetFolder, uidls, listedAt, presentNow, digestNow);
        }
    }

    /** How a message's internal date was found (logged, and in the README). */
    enum DateRule { RECEIVED, DATE, FIRST_LISTED }

    record Dated(Date date, DateRule rule) {
    }

    private final Migration migration;
    private final MailOptions spec;
    private final ObjectMapper json;
    private final RunReports reports;
    private final Pop3Uids uids;
    private final MailCopies imapCopies;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    Pop3Source(Migration migration, MailOptions spec, ObjectMapper json, RunReports reports, Supplier<JdbcTemplate> ledger) {
        this.migration = migration;
        this.spec = spec;
        this.json = json;
        this.reports = reports;
        this.uids = new Pop3Uids(ledger);
        this.imapCopies = new MailCopies(ledger);
    }

    // ---- the job

    @Override
    public void preflight() {
        List<Account> accounts;
        try {
            accounts = accounts();
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, e.getMessage(), e);
        }
        Account first = accounts.get(0);
        reach("source", spec.source(), first.sourceUser(), () -> spec.source().connectPop3(first.sourceUser(), first.sourcePassword().value()));
        reach("target", spec.target(), first.targetUser(), () -> spec.target().connect(first.targetUser(), first.targetPassword().value()));
    }

    private void reach(String role, MailServer server, String user, Supplier<jakarta.mail.Service> login) {
        try {
            closeQuietly(login.get());
        } catch (HubException e) {
            if (loginRefused(e)) {
                LOG.warn("Migration {}: {} {} refused the login of {}: that account fails, the others go on", migration.name(),
                        role, server, user);
                return;
            }
            throw new HubException(e.code(), role + " " + server + " (user " + user + "): " + EndpointErrors.explain(e), e);
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, role + " " + server + " (user " + user + "): "
                    + EndpointErrors.explain(e), e);
        }
    }

    @Override
    public boolean replansEachRun() {
        return true;
    }

    @Override
    public List<PlannedItem> plan() {
        return listing(List.of());
    }

    @Override
    public List<PlannedItem> replan(List<PlannedItem> planned) {
        return listing(planned);
    }

    // ---- plan

    /**
     * Every planned batch again with how many of its UIDLs the server still lists (a batch the server lists none of is
     * left out: the core makes it GONE), then batches of the UIDLs not planned before, in the server's order.
     */
    private List<PlannedItem> listing(List<PlannedItem> planned) {
        Map<String, List<PlannedItem>> byAccount = new HashMap<>();
        for (PlannedItem item : planned) {
            byAccount.computeIfAbsent(read(item.payload()).sourceUser(), k -> new ArrayList<>()).add(item);
        }
        List<PlannedItem> items = new ArrayList<>();
        long now = System.currentTimeMillis() / 1000;
        for (Account account : accounts()) {
            List<PlannedItem> before = byAccount.getOrDefault(account.sourceUser(), List.of());
            ReentrantLock lock = lock(account.sourceUser());
            lock.lock();
            try (Pop3Mailbox mailbox = Pop3Mailbox.open(spec, account)) {
                Set<String> listed = mailbox.uidls().keySet();
                Set<String> known = new HashSet<>();
                for (PlannedItem p : before) {
                    Pop3Item item = read(p.payload());
                    known.addAll(item.uidls());
                    if (item.uidls().isEmpty()) {
                        continue; // the item of an earlier refused login: the account logs in now
                    }
                    List<String> present = item.uidls().stream().filter(listed::contains).toList();
                    if (present.isEmpty()) {
                        continue; // every message of the batch deleted at the source: GONE, or mirrored
                    }
                    Pop3Item nowItem = item.with(present.size(), digest(present));
                    items.add(nowItem.equals(item) ? p : new PlannedItem(p.key(), write(nowItem)));
                }
                List<String> fresh = listed.stream().filter(u -> !known.contains(u)).toList();
                String targetFolder = targetFolder();
                for (int from = 0; from < fresh.size(); from += spec.uidRangeSize()) {
                    List<String> batch = List.copyOf(fresh.subList(from, Math.min(fresh.size(), from + spec.uidRangeSize())));
                    Pop3Item item = new Pop3Item(account.sourceUser(), account.targetUser(), targetFolder, batch, now, batch.size(),
                            digest(batch));
                    items.add(new PlannedItem(item.key(), write(item)));
                }
            } catch (HubException e) {
                if (!loginRefused(e)) {
                    throw e;
                }
                LOG.warn("Migration {}: account {} is not planned: {}; the other accounts go on", migration.name(),
                        account.sourceUser(), e.getMessage());
                items.add(new PlannedItem(account.sourceUser() + " (account: cannot log in)", write(new Pop3Item(account.sourceUser(),
                        account.targetUser(), targetFolder(), List.of(), now, 0, ""))));
                before.stream().filter(p -> !read(p.payload()).uidls().isEmpty()).forEach(items::add);
            } catch (MessagingException e) {
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + migration.describe()
                        + ": cannot list the messages of account " + account.sourceUser() + " on " + spec.source() + ": "
                        + Errors.oneLine(e), e);
            } finally {
                lock.unlock();
            }
        }
        return items;
    }

    /** The target folder of every account's INBOX: INBOX, unless folderMap renames it (e.g. INBOX=Lama). */
    private String targetFolder() {
        return MailFolders.parseRenames(spec.folderMap()).getOrDefault(INBOX, INBOX);
    }

    @Override
    public PlanSurvey survey(List<LedgerItem> verified) {
        Map<String, Set<String>> done = new HashMap<>();
        for (LedgerItem item : verified) {
            Pop3Item p = read(item.payload());
            done.computeIfAbsent(p.sourceUser(), k -> new HashSet<>()).addAll(p.uidls());
        }
        List<PlanSurvey.Group> groups = new ArrayList<>();
        List<Account> accounts = accounts();
        int rangeSize = spec.uidRangeSize();
        for (Account account : accounts) {
            try (Pop3Mailbox mailbox = Pop3Mailbox.open(spec, account)) {
                Map<String, Message> listed = mailbox.uidls();
                mailbox.fetchSizes();
                Set<String> ok = done.getOrDefault(account.sourceUser(), Set.of());
                long messages = 0, bytes = 0, verifiedMessages = 0, verifiedBytes = 0;
                for (Map.Entry<String, Message> m : listed.entrySet()) {
                    long size = Math.max(0, m.getValue().getSize());
                    messages++;
                    bytes += size;
                    if (ok.contains(m.getKey())) {
                        verifiedMessages++;
                        verifiedBytes += size;
                    }
                }
                long left = messages - verifiedMessages;
                groups.add(new PlanSurvey.Group(account.sourceUser() + " INBOX (POP3)",
                        new PlanSurvey.Volume((messages + rangeSize - 1) / rangeSize, messages, bytes),
                        new PlanSurvey.Volume((verifiedMessages + rangeSize - 1) / rangeSize, verifiedMessages, verifiedBytes),
                        new PlanSurvey.Volume((left + rangeSize - 1) / rangeSize, left, bytes - verifiedBytes), null));
            } catch (HubException e) {
                if (!loginRefused(e)) {
                    throw e;
                }
                PlanSurvey.Volume none = new PlanSurvey.Volume(0, 0, 0);
                groups.add(new PlanSurvey.Group(account.sourceUser(), none, none, none, "cannot log in: " + e.getMessage()));
            } catch (MessagingException e) {
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot survey migration " + migration.describe()
                        + ": cannot list the messages of account " + account.sourceUser() + " on " + spec.source() + ": "
                        + Errors.oneLine(e), e);
            }
        }
        return new PlanSurvey(migration.name(), "mail", "messages", groups, List.of(accounts.size()
                + (accounts.size() == 1 ? " account on " : " accounts on ") + spec.source() + " (POP3: INBOX only); bytes are the server's LIST sizes"));
    }

    // ---- copy

    @Override
    public ItemOutcome copy(LedgerItem ledgerItem) throws Exception {
        Pop3Item item = read(ledgerItem.payload());
        Account account = accounts().stream().filter(a -> a.sourceUser().equals(item.sourceUser())).findFirst().orElseThrow(() ->
                new ItemFailure.Final("Cannot copy " + ledgerItem.key() + " of migration " + migration.describe() + ": account "
                        + item.sourceUser() + " is no longer in " + spec.accounts(), null));
        if (item.uidls().isEmpty()) {
            return accountLogin(account, ledgerItem);
        }
        String what = ledgerItem.key() + " of migration " + migration.describe();
        String mailboxKey = Pop3Uids.mailboxKey(migration.name(), item.sourceUser());
        String targetKey = MailCopies.key(migration.name(), item.targetUser(), item.targetFolder());
        ReentrantLock sourceLock = lock(item.sourceUser());
        ReentrantLock targetLock = lock("\u0000" + item.targetUser() + "\u0000" + item.targetFolder());
        sourceLock.lock();
        targetLock.lock();
        try (Pop3Mailbox mailbox = Pop3Mailbox.open(spec, account);
             TargetFolder target = TargetFolder.open(spec, account, item.targetFolder())) {
            Map<String, Message> listed = mailbox.uidls();
            IMAPFolder folder = target.folder;
            long targetValidity = folder.getUIDValidity();
            Map<String, Pop3Uids.Copy> copies = new LinkedHashMap<>(uids.copies(mailboxKey, item.uidls()));
            Map<Long, MailFetcher.Meta> targetMetas = MailFetcher.metasByUid(folder, copies.values().stream()
                    .filter(c -> c.targetUidValidity() == targetValidity).map(Pop3Uids.Copy::targetUid).toList());
            List<String> stale = copies.values().stream().filter(c -> c.targetUidValidity() != targetValidity
                    || !targetMetas.containsKey(c.targetUid())).map(Pop3Uids.Copy::uidl).toList();
            uids.forget(mailboxKey, stale);
            stale.forEach(copies::remove);

            MailTargetIndex index = MailTargetIndex.build(folder);
            Set<Long> claimedNow = new HashSet<>();
            List<Pop3Uids.Copy> fresh = new ArrayList<>();
            Map<Long, String> appendedUidls = new LinkedHashMap<>(); // position in the batch -> uidl
            Map<String, MailFetcher.Body> read = new HashMap<>();    // uidl -> meta and hash (no bytes kept)
            List<MailRejects.Reject> rejects = new ArrayList<>();
            IMAPFolder appendTo = (IMAPFolder) folder.getStore().getFolder(item.targetFolder());
            MailAppender appender = new MailAppender(appendTo, (body, answer) -> rejects.add(new MailRejects.Reject(item.sourceUser(),
                    "INBOX (POP3 uidl " + item.uidls().get((int) body.meta().uid()) + ")", body.meta().uid(), body.size(),
                    item.targetFolder(), answer)));
            for (int i = 0; i < item.uidls().size(); i++) {
                String uidl = item.uidls().get(i);
                Message message = listed.get(uidl);
                if (message == null || copies.containsKey(uidl)) {
                    continue;
                }
                long position = i;
                Date firstListed = new Date(item.listedAt() * 1000);
                Pop3Mailbox.retrieve(message, true, firstListed, position, body -> {
                    read.put(uidl, new MailFetcher.Body(body.meta(), null, null, body.size(), body.sha256()));
                    MailFetcher.Meta match = unclaimed(index, folder, targetKey, targetValidity, claimedNow, body);
                    if (match != null) {
                        claimedNow.add(match.uid());
                        fresh.add(new Pop3Uids.Copy(uidl, targetValidity, match.uid(), body.sha256(), seconds(body.meta().internalDate())));
                        return;
                    }
                    appender.add(body);
                    appendedUidls.put(position, uidl);
                });
            }
            appender.flush();
            if (!appendedUidls.isEmpty()) {
                index.catchUp(folder, true); // reads back what was appended: the target side of the verification
                for (String uidl : appendedUidls.values()) {
                    MailFetcher.Body body = read.get(uidl);
                    MailFetcher.Meta match = unclaimed(index, folder, targetKey, targetValidity, claimedNow, body);
                    if (match != null) {
                        claimedNow.add(match.uid());
                        fresh.add(new Pop3Uids.Copy(uidl, targetValidity, match.uid(), body.sha256(), seconds(body.meta().internalDate())));
                    }
                }
            }
            uids.record(mailboxKey, migration.name(), targetKey, fresh);
            fresh.forEach(c -> copies.put(c.uidl(), c));

            // messages deleted at the source whose copy the target still holds
            List<Pop3Uids.Copy> deleted = copies.values().stream().filter(c -> !listed.containsKey(c.uidl())).toList();
            boolean mirrored = false;
            if (!deleted.isEmpty() && spec.mirrorDeletions()) {
                expunge(folder, item, deleted);
                uids.forget(mailboxKey, deleted.stream().map(Pop3Uids.Copy::uidl).toList());
                deleted.forEach(c -> copies.remove(c.uidl()));
                LOG.info("{}: {} messages deleted at the source removed from the target too (deletions: mirror)", ledgerItem.key(),
                        deleted.size());
                mirrored = true;
            }

            Map<Long, MailFetcher.Meta> live = MailFetcher.metasByUid(folder, copies.values().stream().map(Pop3Uids.Copy::targetUid).toList());
            List<String> sourceSide = new ArrayList<>();
            List<String> targetSide = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            long bytes = 0;
            int messages = 0;
            for (String uidl : item.uidls()) {
                if (!listed.containsKey(uidl)) {
                    continue;
                }
                messages++;
                Pop3Uids.Copy copy = copies.get(uidl);
                MailFetcher.Body body = read.get(uidl);
                if (copy == null) {
                    missing.add(uidl);
                    if (body != null) {
                        bytes += body.size();
                        sourceSide.add(entry(body.sha256(), seconds(body.meta().internalDate())));
                    }
                    continue;
                }
                bytes += body != null ? body.size() : Math.max(0, listed.get(uidl).getSize());
                sourceSide.add(entry(copy.sha256(), copy.internalDate()));
                MailFetcher.Meta there = live.get(copy.targetUid());
                if (there == null) {
                    missing.add(uidl);
                } else {
                    targetSide.add(entry(copy.sha256(), seconds(there.internalDate())));
                }
            }
            if (!mirrored) {
                for (Pop3Uids.Copy copy : deleted) {
                    MailFetcher.Meta there = live.get(copy.targetUid());
                    targetSide.add(entry(copy.sha256(), there == null ? copy.internalDate() : seconds(there.internalDate())));
                }
            }
            ItemOutcome outcome = new ItemOutcome(messages, bytes, MailCapability.checksum(sourceSide), MailCapability.checksum(targetSide));
            LOG.debug("{}: {} messages, {} read, {} appended, {} adopted", ledgerItem.key(), messages, read.size(),
                    appendedUidls.size(), fresh.size() - appendedUidls.size());
            if (!rejects.isEmpty()) {
                Path log = reports.applicationDir(migration.application());
                try {
                    log = MailRejects.append(log, migration.name(), rejects);
                } catch (IOException e) {
                    LOG.warn("Cannot write the mail reject log in {}: {}", log, e.getMessage());
                }
                throw new ItemFailure.Final("Cannot copy " + what + ": the target refused " + rejects.size() + " of " + messages
                        + " messages (the others are copied); first: " + rejects.get(0).line() + "; all in " + log, null, outcome);
            }
            if (!missing.isEmpty()) {
                throw new ItemFailure.Final("Cannot verify " + what + ": " + missing.size() + " of " + messages
                        + " messages are not on the target in " + item.targetFolder() + " after the copy (uidl "
                        + missing.stream().limit(20).toList() + ")", null, outcome);
            }
            if (!deleted.isEmpty() && !mirrored) {
                throw ItemFailure.Final.deletedAtSource(deleted.size() + " messages of " + what + " were deleted at the source "
                        + "and their copies are still on the target in " + item.targetFolder() + " (uidl "
                        + deleted.stream().map(Pop3Uids.Copy::uidl).limit(20).toList() + "; deletions: report); deletions: mirror "
                        + "removes them from the target", outcome);
            }
            if (!outcome.verified()) {
                throw new ItemFailure.Final("Cannot verify " + what + ": source and target differ in internal dates after the copy ("
                        + messages + " messages; source " + outcome.sourceChecksum() + ", target " + outcome.targetChecksum() + ")",
                        null, outcome);
            }
            return outcome;
        } catch (HubException e) {
            if (loginRefused(e)) {
                throw new ItemFailure.Final("Cannot copy " + what + ": " + e.getMessage(), e);
            }
            throw e;
        } finally {
            targetLock.unlock();
            sourceLock.unlock();
        }
    }

    /** The item of an account that could not log in when planned: fails again unless it logs in now. */
    private ItemOutcome accountLogin(Account account, LedgerItem ledgerItem) {
        try (Pop3Mailbox mailbox = Pop3Mailbox.open(spec, account)) {
            return new ItemOutcome(0, 0, "logged-in", "logged-in");
        } catch (HubException e) {
            throw new ItemFailure.Final("Cannot migrate account " + account.sourceUser() + " of migration " + migration.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    /** A target message with these bytes and internal date that is nobody's copy yet, lowest UID first; or null. */
    private MailFetcher.Meta unclaimed(MailTargetIndex index, IMAPFolder target, String targetKey, long targetValidity,
                                       Set<Long> claimedNow, MailFetcher.Body body) throws Exception {
        List<MailFetcher.Meta> same = index.withHash(target, body.sha256(), body.meta().messageId(), body.size());
        if (same.isEmpty()) {
            return null;
        }
        Set<Long> claimed = new HashSet<>(uids.claimed(targetKey, targetValidity, body.sha256()));
        claimed.addAll(imapCopies.claimed(targetKey, targetValidity, body.sha256()));
        for (MailFetcher.Meta candidate : same) {
            if (!claimed.contains(candidate.uid()) && !claimedNow.contains(candidate.uid())
                    && seconds(candidate.internalDate()) == seconds(body.meta().internalDate())) {
                return candidate;
            }
        }
        return null;
    }

    private void expunge(IMAPFolder target, Pop3Item item, List<Pop3Uids.Copy> copies) throws MessagingException {
        if (!((IMAPStore) target.getStore()).hasCapability("UIDPLUS")) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot mirror deletions into " + item.targetUser() + " "
                    + item.targetFolder() + " on " + spec.target() + ": the server lacks UIDPLUS (UID EXPUNGE), and a plain "
                    + "EXPUNGE would also remove messages the hub did not copy; use deletions: report");
        }
        List<Long> live = copies.stream().filter(c -> {
            try {
                return c.targetUidValidity() == target.getUIDValidity();
            } catch (MessagingException e) {
                return false;
            }
        }).map(Pop3Uids.Copy::targetUid).sorted().toList();
        if (live.isEmpty()) {
            return;
        }
        String set = MailFetcher.uidSet(live);
        MailFetcher.command(target, "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
        MailFetcher.command(target, "UID EXPUNGE " + set);
    }

    // ---- verify

    /**
     * Reads the batch again on both sides, writing nothing: every message the server still lists (RETR, hashed, its
     * internal date found again) and its recorded copy on the target (bytes read again), plus the copies of messages
     * deleted at the source that the target still holds.
     */
    @Override
    public ItemOutcome verify(LedgerItem ledgerItem) throws Exception {
        Pop3Item item = read(ledgerItem.payload());
        Account account = accounts().stream().filter(a -> a.sourceUser().equals(item.sourceUser())).findFirst().orElseThrow(() ->
                new ItemFailure.Final("Cannot verify " + ledgerItem.key() + ": account " + item.sourceUser() + " is no longer in "
                        + spec.accounts(), null));
        if (item.uidls().isEmpty()) {
            return accountLogin(account, ledgerItem);
        }
        String mailboxKey = Pop3Uids.mailboxKey(migration.name(), item.sourceUser());
        ReentrantLock sourceLock = lock(item.sourceUser());
        sourceLock.lock();
        try (Pop3Mailbox mailbox = Pop3Mailbox.open(spec, account)) {
            Map<String, Message> listed = mailbox.uidls();
            List<String> sourceSide = new ArrayList<>();
            long[] volume = new long[2];
            for (int i = 0; i < item.uidls().size(); i++) {
                Message message = listed.get(item.uidls().get(i));
                if (message == null) {
                    continue;
                }
                Pop3Mailbox.retrieve(message, false, new Date(item.listedAt() * 1000), i, body -> {
                    volume[0]++;
                    volume[1] += body.size();
                    sourceSide.add(entry(body.sha256(), seconds(body.meta().internalDate())));
                });
            }
            Map<String, Pop3Uids.Copy> copies = uids.copies(mailboxKey, item.uidls());
            List<String> targetSide = new ArrayList<>();
            try (TargetFolder target = TargetFolder.openExisting(spec, account, item.targetFolder())) {
                if (target == null) {
                    return new ItemOutcome(volume[0], volume[1], MailCapability.checksum(sourceSide), null);
                }
                long validity = target.folder.getUIDValidity();
                Map<Long, MailFetcher.Meta> there = MailFetcher.metasByUid(target.folder, copies.values().stream()
                        .filter(c -> c.targetUidValidity() == validity).map(Pop3Uids.Copy::targetUid).toList());
                List<MailFetcher.Meta> metas = new ArrayList<>(there.values());
                metas.sort(java.util.Comparator.comparingLong(MailFetcher.Meta::uid));
                MailFetcher.read(target.folder, metas, false, body -> targetSide.add(entry(body.sha256(),
                        seconds(body.meta().internalDate()))));
            }
            return new ItemOutcome(volume[0], volume[1], MailCapability.checksum(sourceSide), MailCapability.checksum(targetSide));
        } finally {
            sourceLock.unlock();
        }
    }

    // ---- deletions, finish

    /**
     * Batches whose messages are all gone from the server: with {@code deletions: mirror} the hub's copies of them are
     * expunged from the target and the items become REMOVED; with {@code report} they stay GONE.
     */
    @Override
    public Set<Long> deletedAtSource(List<LedgerItem> gone) {
        if (!spec.mirrorDeletions()) {
            return Set.of();
        }
        Set<Long> removed = new HashSet<>();
        for (LedgerItem ledgerItem : gone) {
            Pop3Item item = read(ledgerItem.payload());
            if (item.uidls().isEmpty()) {
                continue;
            }
            Optional<Account> account = accounts().stream().filter(a -> a.sourceUser().equals(item.sourceUser())).findFirst();
            if (account.isEmpty()) {
                LOG.warn("Cannot mirror the deletion of {}: account {} is no longer in {}", ledgerItem.key(), item.sourceUser(),
                        spec.accounts());
                continue;
            }
            String mailboxKey = Pop3Uids.mailboxKey(migration.name(), item.sourceUser());
            ReentrantLock targetLock = lock("\u0000" + item.targetUser() + "\u0000" + item.targetFolder());
            targetLock.lock();
            try {
                Map<String, Pop3Uids.Copy> copies = uids.copies(mailboxKey, item.uidls());
                if (!copies.isEmpty()) {
                    try (TargetFolder target = TargetFolder.openExisting(spec, account.get(), item.targetFolder())) {
                        if (target != null) {
                            expunge(target.folder, item, List.copyOf(copies.values()));
                        }
                    }
                }
                uids.forget(mailboxKey, copies.keySet());
                removed.add(ledgerItem.itemId());
                LOG.info("Migration {}: {} deleted at the source: {} copies removed from the target (deletions: mirror)",
                        migration.name(), ledgerItem.key(), copies.size());
            } catch (MessagingException | RuntimeException e) {
                LOG.warn("Cannot mirror the deletion of {} of migration {}: {}; it stays GONE", ledgerItem.key(),
                        migration.describe(), Errors.oneLine(e));
            } finally {
                targetLock.unlock();
            }
        }
        return removed;
    }

    /** Makes each account's target folder (INBOX exists; a folderMap name may not yet). */
    @Override
    public void finish() {
        String name = targetFolder();
        if (name.equalsIgnoreCase(INBOX)) {
            return;
        }
        for (Account account : accounts()) {
            try (TargetFolder target = TargetFolder.open(spec, account, name)) {
                LOG.debug("{}: target folder {} of {} is there", migration.name(), name, account.targetUser());
            } catch (HubException e) {
                if (!loginRefused(e)) {
                    throw e;
                }
            } catch (MessagingException e) {
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot create folder " + name + " of account "
                        + account.targetUser() + " on " + spec.target() + " for migration " + migration.describe() + ": "
                        + Errors.oneLine(e), e);
            }
        }
    }

    // ---- shared

    private List<Account> accounts() {
        return MailAccounts.read(spec.accounts()).all();
    }

    private ReentrantLock lock(String name) {
        return locks.computeIfAbsent(name, k -> new ReentrantLock());
    }

    private static boolean loginRefused(HubException e) {
        return Errors.find(e, jakarta.mail.AuthenticationFailedException.class).isPresent();
    }

    private Pop3Item read(String payload) {
        try {
            return json.readValue(payload, Pop3Item.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot read a POP3 work item: " + e.getOriginalMessage(), e);
        }
    }

    private String write(Pop3Item item) {
        try {
            return json.writeValueAsString(item);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(List<String> uidls) {
        MessageDigest digest = MailFetcher.sha256();
        uidls.forEach(u -> digest.update((u + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /** One message as compared: its content hash and internal date [epoch seconds]; POP3 has no flags. */
    private static String entry(String sha256, long internalDate) {
        return sha256 + " " + internalDate;
    }

    private static long seconds(Date date) {
        return date == null ? -1 : date.getTime() / 1000;
    }

    private static void closeQuietly(jakarta.mail.Service service) {
        try {
            service.close();
        } catch (MessagingException e) {
            LOG.debug("Cannot close {}: {}", service, e.getMessage());
        }
    }

    /**
     * The internal date of a POP3 message from its header block: the date after the last {@code ;} of its first
     * {@code Received:} header (the one its last server added on delivery), else its {@code Date:}, else
     * {@code firstListed}. An unparseable date counts as absent.
     */
    static Dated internalDate(byte[] head, Date firstListed) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            end = text.indexOf("\n\n");
        }
        if (end >= 0) {
            text = text.substring(0, end);
        }
        text = text.replaceAll("\r?\n[ \t]+", " ");
        String received = null;
        String date = null;
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (name.equals("received") && received == null) {
                int semicolon = value.lastIndexOf(';');
                received = semicolon < 0 ? "" : value.substring(semicolon + 1).strip();
            } else if (name.equals("date") && date == null) {
                date = value;
            }
        }
        Date parsed = parse(received);
        if (parsed != null) {
            return new Dated(parsed, DateRule.RECEIVED);
        }
        parsed = parse(date);
        if (parsed != null) {
            return new Dated(parsed, DateRule.DATE);
        }
        return new Dated(firstListed, DateRule.FIRST_LISTED);
    }

    private static Date parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            Date date = new MailDateFormat().parse(value);
            return date == null ? null : new Date(date.getTime() / 1000 * 1000);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    /** One account's POP3 INBOX, open read-only (closed without DELE). */
    static final class Pop3Mailbox implements AutoCloseable {
        private final POP3Store store;
        private final POP3Folder folder;
        private Message[] messages;

        private Pop3Mailbox(POP3Store store, POP3Folder folder) {
            this.store = store;
            this.folder = folder;
        }

        static Pop3Mailbox open(MailOptions spec, Account account) throws HubException {
            POP3Store store = spec.source().connectPop3(account.sourceUser(), account.sourcePassword().value());
            try {
                POP3Folder folder = (POP3Folder) store.getFolder(INBOX);
                folder.open(Folder.READ_ONLY);
                return new Pop3Mailbox(store, folder);
            } catch (MessagingException e) {
                closeQuietly(store);
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot open the INBOX of " + account.sourceUser() + " on "
                        + spec.source() + ": " + Errors.oneLine(e), e);
            }
        }

        /** UIDL -> message, in the server's order (one UIDL command). */
        Map<String, Message> uidls() throws MessagingException {
            if (messages == null) {
                messages = folder.getMessages();
                FetchProfile profile = new FetchProfile();
                profile.add(UIDFolder.FetchProfileItem.UID);
                folder.fetch(messages, profile);
            }
            Map<String, Message> byUidl = new LinkedHashMap<>();
            for (Message message : messages) {
                String uidl = folder.getUID(message);
                if (uidl == null || uidl.isEmpty() || uidl.equals("UNKNOWN")) {
                    throw new HubException(HubException.ErrorCode.CONFIGURATION, "POP3 server " + store.getURLName().getHost()
                            + " gave no UIDL for message " + message.getMessageNumber() + ": the hub needs UIDL (RFC 1939) to "
                            + "tell messages apart across runs");
                }
                if (byUidl.putIfAbsent(uidl, message) != null) {
                    LOG.warn("POP3 server {} lists UIDL {} twice (messages {} and {}): the second is not copied",
                            store.getURLName().getHost(), uidl, byUidl.get(uidl).getMessageNumber(), message.getMessageNumber());
                }
            }
            return byUidl;
        }

        void fetchSizes() throws MessagingException {
            FetchProfile profile = new FetchProfile();
            profile.add(FetchProfile.Item.SIZE);
            folder.fetch(messages, profile);
        }

        /**
         * RETR of one message streamed into its SHA-256 and, when spooling, into memory (up to
         * {@link MailServer#BLOCK_SIZE}) or a spool file the handler's caller deletes afterwards.
         */
        static void retrieve(Message message, boolean spool, Date firstListed, long position, MailFetcher.BodyHandler handler)
                throws Exception {
            Spill out = new Spill(spool);
            try {
                try (out) {
                    message.writeTo(out);
                }
                byte[] head = out.head();
                Dated dated = internalDate(head, firstListed);
                MailFetcher.Meta meta = new MailFetcher.Meta(position, new Flags(), dated.date(), out.count,
                        MailFetcher.messageId(head));
                LOG.trace("POP3 message {}: {} bytes, internal date {} ({})", message.getMessageNumber(), out.count, dated.date(),
                        dated.rule());
                handler.accept(new MailFetcher.Body(meta, out.bytes(), out.file, out.count, HexFormat.of().formatHex(out.digest.digest())));
            } finally {
                if (out.file != null) {
                    Files.deleteIfExists(out.file);
                }
                if (message instanceof org.eclipse.angus.mail.pop3.POP3Message pop3) {
                    pop3.invalidate(true); // nothing of the message stays cached
                }
            }
        }

        @Override
        public void close() {
            try {
                if (folder.isOpen()) {
                    folder.close(false); // no DELE: the source stays as it was
                }
            } catch (MessagingException e) {
                LOG.debug("Cannot close the POP3 INBOX: {}", e.getMessage());
            }
            closeQuietly(store);
        }
    }

    /**
     * The bytes of one message as they arrive: hashed and counted; the first {@link #HEAD_BYTES} kept for the headers;
     * with spooling, kept in memory up to {@link MailServer#BLOCK_SIZE}, then moved to a temporary file.
     */
    private static final class Spill extends OutputStream {
        final MessageDigest digest = MailFetcher.sha256();
        private final boolean spool;
        private final java.io.ByteArrayOutputStream memory = new java.io.ByteArrayOutputStream();
        private final java.io.ByteArrayOutputStream headBytes = new java.io.ByteArrayOutputStream();
        private OutputStream fileOut;
        Path file;
        long count;

        Spill(boolean spool) {
            this.spool = spool;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            if (headBytes.size() < HEAD_BYTES) {
                headBytes.write(b, off, Math.min(len, HEAD_BYTES - headBytes.size()));
            }
            count += len;
            if (!spool) {
                return;
            }
            if (fileOut == null && memory.size() + len > MailServer.BLOCK_SIZE) {
                file = Files.createTempFile("hub-pop3-", ".eml");
                fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                memory.writeTo(fileOut);
                memory.reset();
            }
            if (fileOut != null) {
                fileOut.write(b, off, len);
            } else {
                memory.write(b, off, len);
            }
        }

        byte[] head() {
            return headBytes.toByteArray();
        }

        /** The message's bytes when held in memory; null when spooled to {@link #file} or not kept. */
        byte[] bytes() {
            return spool && file == null ? memory.toByteArray() : null;
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
            }
        }
    }

    /** One account's target folder on the IMAP server, selected read-write (created when missing). */
    static final class TargetFolder implements AutoCloseable {
        final IMAPStore store;
        final IMAPFolder folder;

        private TargetFolder(IMAPStore store, IMAPFolder folder) {
            this.store = store;
            this.folder = folder;
        }

        static TargetFolder open(MailOptions spec, Account account, String name) throws MessagingException {
            IMAPStore store = spec.target().connect(account.targetUser(), account.targetPassword().value());
            try {
                IMAPFolder folder = MailCapability.ensureFolder(store, name);
                folder.open(Folder.READ_WRITE);
                return new TargetFolder(store, folder);
            } catch (MessagingException | RuntimeException e) {
                closeQuietly(store);
                throw e;
            }
        }

        /** The folder if it exists, else null. */
        static TargetFolder openExisting(MailOptions spec, Account account, String name) throws MessagingException {
            IMAPStore store = spec.target().connect(account.targetUser(), account.targetPassword().value());
            try {
                IMAPFolder folder = (IMAPFolder) store.getFolder(name);
                if (!folder.exists()) {
                    closeQuietly(store);
                    return null;
                }
                folder.open(Folder.READ_WRITE);
                return new TargetFolder(store, folder);
            } catch (MessagingException | RuntimeException e) {
                closeQuietly(store);
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                if (folder.isOpen()) {
                    folder.close(false);
                }
            } catch (MessagingException e) {
                LOG.debug("Cannot close {}: {}", folder.getFullName(), e.getMessage());
            }
            closeQuietly(store);
        }
    }
}
