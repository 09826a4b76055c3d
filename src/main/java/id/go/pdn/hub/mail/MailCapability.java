package id.go.pdn.hub.mail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Folder;
import jakarta.mail.FolderClosedException;
import jakarta.mail.StoreClosedException;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import id.go.pdn.hub.core.Errors;
import id.go.pdn.hub.core.EndpointErrors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.Migration;
import id.go.pdn.hub.core.MigrationCapability;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.KindFacts;
import id.go.pdn.hub.core.options.KindOptions;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.mail.MailAccounts.Account;
import id.go.pdn.hub.mail.MailFolders.Role;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Mail migrations ({@code migration:mail}): every folder of every account of an IMAP server into another IMAP server,
 * byte for byte, with flags, keywords and internal dates, never twice.
 * <ul>
 * <li>plan: per account and folder, one item per range of {@code uidRangeSize} UIDs under the folder's UIDVALIDITY;
 * {@link #planNew} plans only what came after an earlier plan (nightly re-runs until cut-over);</li>
 * <li>copy: the range's raw messages ({@code BODY.PEEK[]}, big ones spooled to disk) are appended unless the target
 * folder already holds the same bytes ({@link MailTargetIndex}), then the appended messages are read back and the item
 * is verified by the set of content hashes on both sides; a message the target refuses goes to the reject log and
 * fails the item, the others are copied;</li>
 * <li>finish: folders that had no message to copy are created, and subscriptions follow the source's.</li>
 * </ul>
 * IMAP is spoken by Jakarta Mail (Angus). camel-mail is not used for the copy: its consumer maps mail to parsed Camel
 * messages (not byte for byte) and it has no APPEND producer, so the capability appends raw literals itself, many per
 * command where the server offers MULTIAPPEND ({@link MailAppender}).
 */
@Component
public class MailCapability implements MigrationCapability {

    private static final Logger LOG = LoggerFactory.getLogger(MailCapability.class);
    /** Folders that show other folders' messages again (RFC 6154); copying them would copy mail twice. */
    private static final Set<String> VIRTUAL = Set.of("\\all", "\\flagged");
    private static final Set<String> NOT_SELECTABLE = Set.of("\\noselect", "\\nonexistent");
    private static final int MAX_INDEXES = 32;

    private final ObjectMapper json;
    private final RunReports reports;
    private final ObjectProvider<JdbcTemplate> ledger;

    /**
     * @param ledger the ledger's database (the application's default JdbcTemplate, as for the core's Ledger): the
     *        records of which target message is the copy of which source message ({@link MailCopies})
     */
    public MailCapability(ObjectMapper json, RunReports reports, ObjectProvider<JdbcTemplate> ledger) {
        this.json = json;
        this.reports = reports;
        this.ledger = ledger;
    }

    @Override
    public String kind() {
        return "mail";
    }

    private static final KindFacts FACTS = new KindFacts("Mail", "messages", "mailbox", "#00838f", 3, false,
            "folders created and subscribed", KindFacts::firstWord, 600, 0);

    @Override
    public KindFacts facts() {
        return FACTS;
    }

    @Override
    public KindOptions newOptions() {
        return new MailOptions();
    }

    @Override
    public MigrationJob open(Migration migration) {
        MailOptions options = migration.options(MailOptions.class);
        if (options.source().pop3()) {
            return new Pop3Source(migration, options, json, reports, ledger::getObject);
        }
        return new Job(migration, new Context(migration.options(MailOptions.class), new MailCopies(ledger::getObject)));
    }

    /** One migration's work: the folder locks and the target indexes of its runs live in its {@link Context}. */
    private final class Job implements MigrationJob {
        private final Migration migration;
        private final Context ctx;

        Job(Migration migration, Context ctx) {
            this.migration = migration;
            this.ctx = ctx;
        }

        /**
         * Reads the accounts file and logs in to the source and the target server as its first account: an address, port
         * or TLS problem fails the start; a refused login fails that account only (its plan item says so).
         */
        @Override
        public void preflight() {
            List<Account> accounts;
            try {
                accounts = ctx.accounts().all();
            } catch (IllegalArgumentException e) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, e.getMessage(), e);
            }
            Account first = accounts.get(0);
            reach(migration, "source", ctx.spec.source(), first.sourceUser(), first.sourcePassword());
            reach(migration, "target", ctx.spec.target(), first.targetUser(), first.targetPassword());
        }

        /** Nightly re-runs until cut-over: every run adds what came after the last plan. */
        @Override public boolean replansEachRun() { return true; }
        @Override public List<PlannedItem> plan() { return planNew(migration, ctx, List.of()); }
        @Override public List<PlannedItem> replan(List<PlannedItem> planned) { return MailCapability.this.replan(migration, ctx, planned); }
        @Override public PlanSurvey survey(List<LedgerItem> verified) { return MailCapability.this.survey(migration, ctx, verified); }
        @Override public ItemOutcome copy(LedgerItem item) throws Exception { return MailCapability.this.copy(migration, ctx, item); }
        @Override public ItemOutcome verify(LedgerItem item) throws Exception { return MailCapability.this.verify(migration, ctx, item); }
        @Override public void finish() { MailCapability.this.finish(migration, ctx); }
        @Override public Set<Long> deletedAtSource(List<LedgerItem> gone) { return MailCapability.this.deletedAtSource(migration, ctx, gone); }
    }

    private static void reach(Migration migration, String role, MailServer server, String user, MailAccounts.Secret password) {
        try {
            server.connect(user, password.value()).close();
        } catch (HubException e) {
            if (loginRefused(e)) {
                LOG.warn("Migration {}: {} {} refused the login of {}: that account fails, the others go on", migration.name(),
                        role, server, user);
                return;
            }
            throw new HubException(e.code(), role + " " + server + " (user " + user + "): " + EndpointErrors.explain(e), e);
        } catch (MessagingException | IllegalArgumentException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, role + " " + server + " (user " + user + "): "
                    + EndpointErrors.explain(e), e);
        }
    }

    /** The server answered and refused the user or password (not a network or TLS problem). */
    private static boolean loginRefused(HubException e) {
        return Errors.find(e, jakarta.mail.AuthenticationFailedException.class).isPresent();
    }

    /** The plan's item for an account that cannot log in: FAILED when run, naming the account; the others go on. */
    private PlannedItem accountRefused(Migration migration, Account account, HubException e) throws JsonProcessingException {
        LOG.warn("Migration {}: account {} is not planned: {}; the other accounts go on", migration.name(),
                account.sourceUser(), e.getMessage());
        MailItem item = new MailItem(account.sourceUser(), account.targetUser(), "", "", 0, 0, 0, 0, null);
        return new PlannedItem(account.sourceUser() + " (account: cannot log in)", json.writeValueAsString(item));
    }

    /**
     * Copies or verifies the item of an account that could not log in when planned: it fails again, naming the account
     * and the fix, unless the account logs in now (then it holds nothing; the next run plans the account's folders).
     */
    private static ItemOutcome accountLogin(Migration migration, Context ctx, MailItem item) {
        Account account = ctx.accounts().require(item.sourceUser());
        try (Stores stores = ctx.open(account)) {
            return new ItemOutcome(0, 0, "logged-in", "logged-in");
        } catch (HubException e) {
            throw new ItemFailure.Final("Cannot migrate account " + item.sourceUser() + " of migration " + migration.describe()
                    + ": " + e.getMessage(), e);
        }
    }

    // ---- plan

    /**
     * The listing a run merges into the plan: every planned UID range again with what its messages are now (how many,
     * and a digest of their UIDs and flags: a flag or keyword changed, or a message expunged, changes the payload and
     * the core copies the range again), plus ranges for the UIDs that came after. A range whose messages are all gone
     * is not listed (the core makes it GONE); a range planned under a UIDVALIDITY the folder no longer has is listed as
     * skipped (superseded: the folder is planned again under the new one, and what is on the target is recognised by
     * content). A folder whose STATUS (UIDVALIDITY, UIDNEXT, MESSAGES and, where the server offers CONDSTORE,
     * HIGHESTMODSEQ) did not move since its last listing is not fetched again: its planned items are listed as they
     * are. Without CONDSTORE every folder gets a flags pass (one {@code UID FETCH 1:* (UID FLAGS)}, no bodies).
     */
    List<PlannedItem> replan(Migration migration, Context ctx, List<PlannedItem> planned) {
        return listing(migration, ctx, planned);
    }

    /** The first plan: every range of every folder. */
    List<PlannedItem> planNew(Migration migration, Context ctx, Collection<PlannedItem> planned) {
        return listing(migration, ctx, planned);
    }

    private record Planned(PlannedItem item, MailItem mail) {
    }

    private List<PlannedItem> listing(Migration migration, Context ctx, Collection<PlannedItem> planned) {
        Map<String, List<Planned>> byFolder = new HashMap<>(); // account, folder -> planned ranges
        for (PlannedItem item : planned) {
            MailItem mail = read(item.payload());
            byFolder.computeIfAbsent(mail.sourceUser() + "\u0000" + mail.folder(), k -> new ArrayList<>()).add(new Planned(item, mail));
        }
        List<PlannedItem> items = new ArrayList<>();
        ctx.unchangedFolders.set(0);
        int folders = 0;
        for (Account account : ctx.accounts().all()) {
            Stores opened;
            try {
                opened = ctx.open(account);
            } catch (HubException e) {
                if (!loginRefused(e)) {
                    throw e;
                }
                try {
                    items.add(accountRefused(migration, account, e));
                } catch (JsonProcessingException json) {
                    throw new IllegalStateException(json);
                }
                // what was planned for the account stays as it was: not listed, it would count as deleted at the source
                byFolder.forEach((where, ranges) -> {
                    if (where.startsWith(account.sourceUser() + "\u0000") && !where.equals(account.sourceUser() + "\u0000")) {
                        ranges.forEach(p -> items.add(p.item()));
                    }
                });
                continue;
            }
            // the item of an earlier failed login stays listed (unchanged), so that it is not taken for a deletion
            byFolder.getOrDefault(account.sourceUser() + "\u0000", List.of()).forEach(p -> items.add(p.item()));
            try (Stores stores = opened) {
                TargetLayout layout = TargetLayout.of(stores.target);
                boolean condstore = stores.source.hasCapability("CONDSTORE");
                for (MailFolders.Folder folder : sourceFolders(stores.source, ctx.rules)) {
                    if (!folder.selectable()) {
                        continue;
                    }
                    folders++;
                    List<Planned> before = byFolder.getOrDefault(account.sourceUser() + "\u0000" + folder.fullName(), List.of());
                    items.addAll(listFolder(migration, ctx, stores.source, account, folder,
                            ctx.rules.targetName(folder, layout.roles, layout.separator), before, condstore));
                }
            } catch (MessagingException | JsonProcessingException e) {
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + migration.describe()
                        + ": cannot list the folders of account " + account.sourceUser() + " on " + ctx.spec.source() + ": "
                        + Errors.oneLine(e), e);
            }
        }
        // ranges of folders no longer listed (deleted at the source, or left out now) are not listed: the core makes
        // the verified ones GONE
        if (!planned.isEmpty()) {
            LOG.info("Migration {} listed: {} folders, {} of them unchanged since the last listing (STATUS HIGHESTMODSEQ), the "
                    + "others fetched for their UIDs and flags", migration.name(), folders, ctx.unchangedFolders.get());
        }
        return items;
    }

    private List<PlannedItem> listFolder(Migration migration, Context ctx, IMAPStore store, Account account,
                                         MailFolders.Folder folder, String targetFolder, List<Planned> before,
                                         boolean condstore) throws MessagingException, JsonProcessingException {
        String folderKey = MailCopies.key(migration.name(), account.sourceUser(), folder.fullName());
        IMAPFolder source = (IMAPFolder) store.getFolder(folder.fullName());
        String state = condstore ? folderState(source) : null;
        if (state != null) { // an empty folder too: its saved listing is the digest of no item
            String[] saved = ctx.copies.folderState(folderKey).orElse(null);
            if (saved != null && saved[0].equals(state) && saved[1].equals(listingDigest(before.stream().map(Planned::item).toList()))) {
                LOG.debug("Migration {}: {} {} unchanged since its last listing (STATUS {}): not fetched", migration.name(),
                        account.sourceUser(), folder.logicalName(), state);
                ctx.unchangedFolders.incrementAndGet();
                long validity = Long.parseLong(state.split(" ")[0]);
                return before.stream().map(p -> p.mail().uidValidity() == validity ? p.item() : superseded(p, validity)).toList();
            }
        }
        List<PlannedItem> items = new ArrayList<>();
        source.open(Folder.READ_ONLY);
        try {
            long validity = source.getUIDValidity();
            java.util.SortedMap<Long, String> flags = source.getMessageCount() == 0 ? new java.util.TreeMap<>() : MailFetcher.flags(source);
            long upTo = 0;
            for (Planned p : before) {
                if (p.mail().uidValidity() != validity) {
                    items.add(superseded(p, validity));
                    continue;
                }
                upTo = Math.max(upTo, p.mail().uidTo());
                java.util.SortedMap<Long, String> range = flags.subMap(p.mail().uidFrom(), p.mail().uidTo() + 1);
                if (range.isEmpty()) {
                    continue; // every message of the range expunged at the source: GONE (deletions: report) or mirrored
                }
                MailItem now = p.mail().with(range.size(), flagsDigest(range));
                items.add(now.equals(p.mail()) ? p.item() : new PlannedItem(p.item().key(), json.writeValueAsString(now)));
            }
            if (before.isEmpty() || before.stream().noneMatch(p -> p.mail().uidValidity() == validity)) {
                if (!before.isEmpty()) {
                    LOG.warn("Migration {}: UIDVALIDITY of {} {} changed to {}: the folder is planned again; messages already on "
                            + "the target are recognised by content and not copied twice", migration.name(), account.sourceUser(),
                            folder.logicalName(), validity);
                }
            }
            List<Long> uids = new ArrayList<>(flags.tailMap(upTo + 1).keySet());
            for (int from = 0; from < uids.size(); from += ctx.spec.uidRangeSize()) {
                List<Long> range = uids.subList(from, Math.min(uids.size(), from + ctx.spec.uidRangeSize()));
                java.util.SortedMap<Long, String> rangeFlags = flags.subMap(range.get(0), range.get(range.size() - 1) + 1);
                MailItem item = new MailItem(account.sourceUser(), account.targetUser(), folder.fullName(), targetFolder,
                        validity, range.get(0), range.get(range.size() - 1), range.size(), flagsDigest(rangeFlags));
                items.add(new PlannedItem(item.key(folder.logicalName()), json.writeValueAsString(item)));
            }
        } finally {
            source.close(false);
        }
        if (state != null) {
            ctx.copies.saveFolderState(folderKey, migration.name(), state, listingDigest(items));
        }
        return items;
    }

    private static PlannedItem superseded(Planned p, long validity) {
        return PlannedItem.skipped(p.item().key(), p.item().payload(), "superseded: the folder's UIDVALIDITY is now " + validity
                + " (was " + p.mail().uidValidity() + "); its messages are planned again under it");
    }

    /** "UIDVALIDITY UIDNEXT MESSAGES HIGHESTMODSEQ" of a folder by STATUS (not selected), or null if the server cannot say. */
    private static String folderState(IMAPFolder folder) {
        try {
            Object status = folder.doCommand(p -> p.status(folder.getFullName(),
                    new String[] {"UIDVALIDITY", "UIDNEXT", "MESSAGES", "HIGHESTMODSEQ"}));
            var s = (org.eclipse.angus.mail.imap.protocol.Status) status;
            if (s == null || s.highestmodseq <= 0 || s.uidvalidity <= 0) {
                return null;
            }
            return s.uidvalidity + " " + s.uidnext + " " + s.total + " " + s.highestmodseq;
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("No STATUS HIGHESTMODSEQ for {}: {}", folder.getFullName(), e.getMessage());
            return null;
        }
    }

    /** What a UID range's payload compares: its UIDs and each message's flags and keywords. */
    static String flagsDigest(java.util.SortedMap<Long, String> flags) {
        var digest = MailFetcher.sha256();
        flags.forEach((uid, text) -> digest.update((uid + " " + text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    private static String listingDigest(List<PlannedItem> items) {
        var digest = MailFetcher.sha256();
        items.stream().sorted(java.util.Comparator.comparing(PlannedItem::key)).forEach(i -> digest.update(
                (i.key() + "\u0000" + i.payload() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(digest.digest());
    }

    // ---- survey (./hub plan): the source only, nothing created

    /**
     * Per account and folder: messages and bytes (RFC822.SIZE, one FETCH per folder, no bodies) and the UID ranges a
     * plan would make; verified = messages whose UID lies in a verified item of the same folder and UIDVALIDITY. Logs
     * in to the source server only.
     */
    PlanSurvey survey(Migration migration, Context ctx, List<LedgerItem> verified) {
        Map<String, List<MailItem>> done = new HashMap<>(); // account, folder, uidvalidity -> verified ranges
        for (LedgerItem ledgerItem : verified) {
            MailItem mail = read(ledgerItem.payload());
            done.computeIfAbsent(mail.sourceUser() + "\u0000" + mail.folder() + "\u0000" + mail.uidValidity(),
                    k -> new ArrayList<>()).add(mail);
        }
        int rangeSize = ctx.spec.uidRangeSize();
        List<PlanSurvey.Group> groups = new ArrayList<>();
        List<Account> accounts = ctx.accounts().all();
        for (Account account : accounts) {
            IMAPStore store;
            try {
                store = ctx.spec.source().connect(account.sourceUser(), account.sourcePassword().value());
            } catch (HubException e) {
                if (!loginRefused(e)) {
                    throw e;
                }
                PlanSurvey.Volume none = new PlanSurvey.Volume(0, 0, 0);
                groups.add(new PlanSurvey.Group(account.sourceUser(), none, none, none, "cannot log in: " + e.getMessage()));
                continue; // that account fails; the others are surveyed
            }
            try {
                for (MailFolders.Folder folder : sourceFolders(store, ctx.rules)) {
                    if (!folder.selectable()) {
                        continue;
                    }
                    IMAPFolder source = (IMAPFolder) store.getFolder(folder.fullName());
                    source.open(Folder.READ_ONLY);
                    try {
                        Map<Long, Long> sizes = source.getMessageCount() == 0 ? Map.of() : MailFetcher.sizes(source);
                        List<MailItem> ranges = done.getOrDefault(account.sourceUser() + "\u0000" + folder.fullName()
                                + "\u0000" + source.getUIDValidity(), List.of());
                        long messages = 0, bytes = 0, verifiedMessages = 0, verifiedBytes = 0;
                        for (Map.Entry<Long, Long> message : sizes.entrySet()) {
                            long uid = message.getKey();
                            messages++;
                            bytes += message.getValue();
                            if (ranges.stream().anyMatch(r -> uid >= r.uidFrom() && uid <= r.uidTo())) {
                                verifiedMessages++;
                                verifiedBytes += message.getValue();
                            }
                        }
                        long left = messages - verifiedMessages;
                        groups.add(new PlanSurvey.Group(account.sourceUser() + " " + folder.logicalName(),
                                new PlanSurvey.Volume(ranges(messages, rangeSize), messages, bytes),
                                new PlanSurvey.Volume(ranges.size(), verifiedMessages, verifiedBytes),
                                new PlanSurvey.Volume(ranges(left, rangeSize), left, bytes - verifiedBytes), null));
                    } finally {
                        source.close(false);
                    }
                }
            } catch (MessagingException e) {
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot survey migration " + migration.describe()
                        + ": cannot list the folders of account " + account.sourceUser() + " on " + ctx.spec.source() + ": "
                        + Errors.oneLine(e), e);
            } finally {
                try {
                    store.close();
                } catch (MessagingException e) {
                    LOG.debug("Cannot close {}: {}", store, e.getMessage());
                }
            }
        }
        return new PlanSurvey(migration.name(), kind(), "messages", groups, List.of(accounts.size() + (accounts.size() == 1 ? " account on " : " accounts on ")
                + ctx.spec.source() + "; bytes are the server's RFC822.SIZE"));
    }

    private static long ranges(long messages, int rangeSize) {
        return (messages + rangeSize - 1) / rangeSize;
    }

    private static List<MailFolders.Folder> sourceFolders(IMAPStore store, MailFolders rules) throws MessagingException {
        Set<String> subscribed = Arrays.stream(store.getDefaultFolder().listSubscribed("*")).map(Folder::getFullName)
                .collect(Collectors.toSet());
        List<MailFolders.Folder> folders = new ArrayList<>();
        for (Folder f : store.getDefaultFolder().list("*")) {
            MailFolders.Folder folder = describe((IMAPFolder) f, subscribed);
            String[] attributes = ((IMAPFolder) f).getAttributes();
            if (attributes != null && Arrays.stream(attributes).anyMatch(a -> VIRTUAL.contains(a.toLowerCase()))) {
                LOG.info("Folder {} is virtual ({}): not copied, its messages are in the real folders",
                        folder.fullName(), String.join(" ", attributes));
                continue;
            }
            if (rules.includes(folder)) {
                folders.add(folder);
            }
        }
        return folders;
    }

    private static MailFolders.Folder describe(IMAPFolder folder, Set<String> subscribed) throws MessagingException {
        String[] attributes = folder.getAttributes();
        boolean selectable = attributes == null || Arrays.stream(attributes).noneMatch(a -> NOT_SELECTABLE.contains(a.toLowerCase()));
        char separator = folder.getSeparator();
        MailFolders.Folder plain = new MailFolders.Folder(folder.getFullName(), separator, java.util.Optional.empty(), selectable,
                subscribed.contains(folder.getFullName()));
        return new MailFolders.Folder(plain.fullName(), separator, Role.of(attributes, plain.path()), selectable, plain.subscribed());
    }

    /** The target's separator and its special-use folders (announced ones first, then the usual names). */
    record TargetLayout(char separator, Map<Role, String> roles) {

        static TargetLayout of(IMAPStore store) throws MessagingException {
            char separator = store.getDefaultFolder().getSeparator();
            Map<Role, String> announced = new EnumMap<>(Role.class);
            Map<Role, String> named = new EnumMap<>(Role.class);
            for (Folder f : store.getDefaultFolder().list("*")) {
                IMAPFolder folder = (IMAPFolder) f;
                MailFolders.Folder described = describe(folder, Set.of());
                if (described.role().isPresent()) {
                    boolean byAttribute = Role.of(folder.getAttributes(), List.of()).isPresent();
                    (byAttribute ? announced : named).putIfAbsent(described.role().get(), folder.getFullName());
                }
            }
            named.forEach(announced::putIfAbsent);
            return new TargetLayout(separator, announced);
        }
    }

    // ---- copy and verify

    ItemOutcome copy(Migration migration, Context ctx, LedgerItem ledgerItem) throws Exception {
        MailItem item = read(ledgerItem.payload());
        if (item.folder().isEmpty()) {
            return accountLogin(migration, ctx, item);
        }
        Account account = ctx.accounts().require(item.sourceUser());
        try (Stores stores = ctx.open(account)) {
            IMAPFolder source = (IMAPFolder) stores.source.getFolder(item.folder());
            try {
                source.open(Folder.READ_ONLY); // EXAMINE: nothing on the source changes
            } catch (FolderNotFoundException e) {
                throw new HubException(HubException.ErrorCode.REJECTED, "source folder " + item.folder() + " of account "
                        + item.sourceUser() + " no longer exists on " + ctx.spec.source());
            }
            if (source.getUIDValidity() != item.uidValidity()) {
                // the planned UIDs no longer name the same messages: this run cannot claim the folder complete; the
                // next run plans the folder again under its new UIDVALIDITY and drops this item
                source.close(false);
                throw new ItemFailure.Final("Cannot copy " + ledgerItem.key() + " of migration " + migration.describe()
                        + ": UIDVALIDITY of " + item.sourceUser() + " " + item.folder() + " is now " + source.getUIDValidity()
                        + ", planned under " + item.uidValidity() + "; the next run plans the folder again", null);
            }
            IMAPFolder target;
            try {
                target = ensureFolder(stores.target, item.targetFolder());
            } catch (HubException e) {
                source.close(false);
                throw new HubException(e.code(), e.getMessage() + " (account " + item.targetUser() + ", source folder "
                        + item.sourceUser() + " " + item.folder() + ")", e);
            }
            target.open(Folder.READ_WRITE); // selected for FETCH, STORE of flags and the UID EXPUNGE of mirrored deletions
            ReentrantLock lock = ctx.folderLock(item.targetUser() + "\u0000" + item.targetFolder());
            // with UIDPLUS the items of one target folder share its lock only to match and append (copyRange); without,
            // appended messages are found by content on the read-back, and the whole item holds it
            boolean whole = !stores.target.hasCapability("UIDPLUS");
            if (whole) {
                lock.lock();
            }
            try {
                return copyRange(migration, ctx, ledgerItem, item, source, target, lock);
            } catch (FolderClosedException | StoreClosedException e) {
                ctx.forgetIndex(item.targetUser(), item.targetFolder());
                throw new ItemFailure.Retriable("Cannot copy " + ledgerItem.key() + " of migration " + migration.describe()
                        + ": the IMAP connection closed: " + Errors.oneLine(e), e);
            } catch (Exception e) {
                // what was appended before the failure is unknown to the cached index: the retry builds it anew
                ctx.forgetIndex(item.targetUser(), item.targetFolder());
                throw e;
            } finally {
                if (whole) {
                    lock.unlock();
                }
                source.close(false);
                target.close(false);
            }
        }
    }

    /** One source message of a range as compared: its content hash, flags and internal date (seconds). */
    private static String entry(String sha256, String flagText, java.util.Date date) {
        return sha256 + " " + (date == null ? "-" : Long.toString(date.getTime() / 1000)) + " " + flagText;
    }

    private static boolean sameSecond(java.util.Date a, java.util.Date b) {
        return a == null || b == null ? a == b : a.getTime() / 1000 == b.getTime() / 1000;
    }

    /**
     * Copies a range: source messages the ledger records a live copy of ({@link MailCopies}) are not read again; the
     * others are read, matched to a target message with the same bytes and internal date that is nobody's copy yet
     * (what an interrupted run appended, or a message that was there before), else appended and then matched on the
     * read-back. Then flags and keywords of every copy are set to the source's ({@code UID STORE}), and copies of
     * messages expunged at the source are expunged too with {@code deletions: mirror}, else reported. The outcome
     * compares multisets: one entry per message (content hash, internal date, flags) on each side, so n identical
     * messages must be n copies.
     */
    private ItemOutcome copyRange(Migration migration, Context ctx, LedgerItem ledgerItem, MailItem item, IMAPFolder source,
                                  IMAPFolder target, ReentrantLock lock) throws Exception {
        String indexKey = String.valueOf(ledgerItem.runId()) + "\u0000" + item.targetUser() + "\u0000" + item.targetFolder();
        Set<Long> claimedNow = new HashSet<>(); // target uids this item took (adopted or appended), until recorded
        try {
            return copyRange(migration, ctx, ledgerItem, item, source, target, lock, indexKey, claimedNow);
        } finally {
            ctx.release(indexKey, claimedNow); // recorded in hub_mail_copy by now, or free again for a retry to adopt
        }
    }

    /** A message this item appended, with the UID the target gave it (APPENDUID). */
    private record Sent(MailFetcher.Meta source, String sha256, long targetUid) {
    }

    /**
     * The copy proper. The target folder's lock (shared by the run's items of that folder) is held only while a message is
     * matched against the target and while messages are appended: an APPEND and the claim on the UIDs its APPENDUID
     * answer names happen together, so another item never takes this item's fresh copies for leftovers. Reading the
     * source and reading the copies back (exactly the UIDs the target named) run in parallel with the other items.
     */
    private ItemOutcome copyRange(Migration migration, Context ctx, LedgerItem ledgerItem, MailItem item, IMAPFolder source,
                                  IMAPFolder target, ReentrantLock lock, String indexKey, Set<Long> claimedNow) throws Exception {
        long started = System.nanoTime();
        String what = ledgerItem.key() + " of migration " + migration.describe();
        String folderKey = MailCopies.key(migration.name(), item.sourceUser(), item.folder());
        String targetKey = MailCopies.key(migration.name(), item.targetUser(), item.targetFolder());
        long targetValidity = target.getUIDValidity();
        ctx.copies.forgetOtherValidities(folderKey, item.uidValidity());
        MailTargetIndex index;
        lock.lock();
        try {
            index = ctx.index(indexKey, target);
        } finally {
            lock.unlock();
        }
        List<MailFetcher.Meta> metas = MailFetcher.metas(source, item.uidFrom() + ":" + item.uidTo(), item.uidFrom(), item.uidTo());
        Map<Long, MailCopies.Copy> copies = new java.util.TreeMap<>(ctx.copies.range(folderKey, item.uidValidity(), item.uidFrom(), item.uidTo()));
        // a copy under another target UIDVALIDITY, or whose target message is gone, is no copy any more
        Map<Long, MailFetcher.Meta> targetMetas = MailFetcher.metasByUid(target, copies.values().stream()
                .filter(c -> c.targetUidValidity() == targetValidity).map(MailCopies.Copy::targetUid).toList());
        List<Long> stale = copies.values().stream().filter(c -> c.targetUidValidity() != targetValidity
                || !targetMetas.containsKey(c.targetUid())).map(MailCopies.Copy::uid).toList();
        ctx.copies.forget(folderKey, item.uidValidity(), stale);
        stale.forEach(copies::remove);

        Set<Long> sourceUids = metas.stream().map(MailFetcher.Meta::uid).collect(Collectors.toSet());
        List<MailFetcher.Meta> toCopy = metas.stream().filter(m -> !copies.containsKey(m.uid())).toList();
        Map<Long, String> hashes = new HashMap<>(); // source uid -> sha256, of the messages read now
        List<Sent> sent = new ArrayList<>();                  // appended, UIDs known (APPENDUID)
        List<MailFetcher.Meta> appended = new ArrayList<>();  // appended, UIDs unknown: found by content on the read-back
        List<MailCopies.Copy> fresh = new ArrayList<>();
        List<MailRejects.Reject> rejects = new ArrayList<>();
        long[] volume = new long[3]; // bytes read, adopted, nanoseconds appending
        // appends go through the store's own connection, where no folder is selected: the server then has no selected
        // view to update after each message (with Dovecot that made appends several times slower)
        IMAPFolder appendTo = (IMAPFolder) target.getStore().getFolder(item.targetFolder());
        MailAppender appender = new MailAppender(appendTo, (body, answer) -> rejects.add(new MailRejects.Reject(item.sourceUser(),
                item.folder(), body.meta().uid(), body.size(), item.targetFolder(), answer)), (bodies, validity, uids) -> {
                    if (validity == targetValidity && !uids.isEmpty()) { // the lock is held: claimed before anyone looks
                        for (int i = 0; i < bodies.size(); i++) {
                            sent.add(new Sent(bodies.get(i).meta(), bodies.get(i).sha256(), uids.get(i)));
                            claimedNow.add(uids.get(i));
                            ctx.claim(indexKey, uids.get(i));
                        }
                    } else {
                        bodies.forEach(b -> appended.add(b.meta()));
                    }
                });
        MailFetcher.read(source, toCopy, true, body -> {
            volume[0] += body.size();
            hashes.put(body.meta().uid(), body.sha256());
            lock.lock();
            try {
                MailFetcher.Meta match = unclaimed(ctx, indexKey, index, target, targetKey, targetValidity, claimedNow, body);
                if (match != null) {
                    claimedNow.add(match.uid());
                    ctx.claim(indexKey, match.uid());
                    fresh.add(new MailCopies.Copy(body.meta().uid(), targetValidity, match.uid(), body.sha256()));
                    volume[1]++;
                    return;
                }
                long t = System.nanoTime();
                appender.add(body);
                volume[2] += System.nanoTime() - t;
            } finally {
                lock.unlock();
            }
        });
        long t = System.nanoTime();
        lock.lock();
        try {
            appender.flush();
        } finally {
            lock.unlock();
        }
        volume[2] += System.nanoTime() - t;
        long copiedAt = System.nanoTime();
        if (!sent.isEmpty()) {
            // the read-back: exactly the UIDs the target gave, their bytes hashed as the target serves them
            target.doCommand(p -> {
                p.noop(); // the selected view learns the messages appended through the other connection
                return null;
            });
            Map<Long, MailFetcher.Meta> back = MailFetcher.metasByUid(target, sent.stream().map(Sent::targetUid).toList());
            Map<Long, String> backHashes = new HashMap<>();
            List<MailFetcher.Meta> backMetas = new ArrayList<>(back.values());
            backMetas.sort(java.util.Comparator.comparingLong(MailFetcher.Meta::uid));
            MailFetcher.read(target, backMetas, false, body -> backHashes.put(body.meta().uid(), body.sha256()));
            for (Sent s : sent) {
                if (s.sha256().equals(backHashes.get(s.targetUid()))) {
                    fresh.add(new MailCopies.Copy(s.source().uid(), targetValidity, s.targetUid(), s.sha256()));
                } else {
                    LOG.warn("{}: source uid {} was appended as uid {} of {}, but the target serves {}: not a copy", what,
                            s.source().uid(), s.targetUid(), item.targetFolder(), backHashes.containsKey(s.targetUid())
                                    ? "other bytes (SHA-256 " + backHashes.get(s.targetUid()) + ")" : "no such message");
                }
            }
            lock.lock();
            try {
                for (MailFetcher.Meta meta : backMetas) {
                    if (backHashes.containsKey(meta.uid())) {
                        index.readBack(meta, backHashes.get(meta.uid()));
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        if (!appended.isEmpty()) {
            lock.lock();
            try {
                index.catchUp(target, true); // reads back what was appended: the target side of the verification
                for (MailFetcher.Meta meta : appended) {
                    String sha = hashes.get(meta.uid());
                    MailFetcher.Meta match = unclaimed(ctx, indexKey, index, target, targetKey, targetValidity, claimedNow,
                            new MailFetcher.Body(meta, null, null, meta.size(), sha));
                    if (match != null) {
                        claimedNow.add(match.uid());
                        ctx.claim(indexKey, match.uid());
                        fresh.add(new MailCopies.Copy(meta.uid(), targetValidity, match.uid(), sha));
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        ctx.copies.record(folderKey, item.uidValidity(), migration.name(), targetKey, targetValidity, fresh);
        fresh.forEach(c -> copies.put(c.uid(), c));

        // flags and keywords follow the source
        Map<Long, MailFetcher.Meta> live = MailFetcher.metasByUid(target, copies.values().stream().map(MailCopies.Copy::targetUid).toList());
        Map<String, List<Long>> stores = new java.util.TreeMap<>(); // flags to set -> target uids
        for (MailFetcher.Meta meta : metas) {
            MailCopies.Copy copy = copies.get(meta.uid());
            MailFetcher.Meta there = copy == null ? null : live.get(copy.targetUid());
            if (there != null && !MailFetcher.flagText(meta.flags()).equals(MailFetcher.flagText(there.flags()))) {
                stores.computeIfAbsent(MailAppender.flagList(meta.flags()), k -> new ArrayList<>()).add(copy.targetUid());
            }
        }
        if (!stores.isEmpty()) {
            for (Map.Entry<String, List<Long>> store : stores.entrySet()) {
                try {
                    MailFetcher.command(target, "UID STORE " + MailFetcher.uidSet(store.getValue().stream().sorted().toList())
                            + " FLAGS.SILENT " + store.getKey());
                } catch (MessagingException e) {
                    throw new HubException(HubException.ErrorCode.REJECTED, "Cannot set flags " + store.getKey() + " on "
                            + store.getValue().size() + " messages of " + item.targetUser() + " " + item.targetFolder() + " on "
                            + ctx.spec.target() + ": the server answered: " + Errors.oneLine(e), e);
                }
            }
            live.putAll(MailFetcher.metasByUid(target, stores.values().stream().flatMap(List::stream).toList()));
            LOG.info("{}: flags of {} messages set to the source's", ledgerItem.key(), stores.values().stream().mapToInt(List::size).sum());
        }

        // messages expunged at the source whose copy the target still holds
        List<MailCopies.Copy> deleted = copies.values().stream().filter(c -> !sourceUids.contains(c.uid())).toList();
        boolean mirrored = false;
        if (!deleted.isEmpty() && ctx.spec.mirrorDeletions()) {
            expunge(ctx, target, item, deleted);
            index.removed(deleted.stream().map(MailCopies.Copy::targetUid).collect(Collectors.toSet()));
            ctx.copies.forget(folderKey, item.uidValidity(), MailCopies.uids(deleted));
            LOG.info("{}: {} messages expunged at the source expunged from the target too (deletions: mirror)", ledgerItem.key(),
                    deleted.size());
            mirrored = true;
        }

        // the comparison: one entry per message on each side
        List<String> sourceSide = new ArrayList<>();
        List<String> targetSide = new ArrayList<>();
        long bytes = 0;
        List<Long> missing = new ArrayList<>();
        for (MailFetcher.Meta meta : metas) {
            MailCopies.Copy copy = copies.get(meta.uid());
            String sha = copy != null ? copy.sha256() : hashes.get(meta.uid());
            bytes += Math.max(meta.size(), 0);
            sourceSide.add(entry(sha, MailFetcher.flagText(meta.flags()), meta.internalDate()));
            MailFetcher.Meta there = copy == null ? null : live.get(copy.targetUid());
            if (there == null) {
                missing.add(meta.uid());
            } else {
                targetSide.add(entry(copy.sha256(), MailFetcher.flagText(there.flags()), there.internalDate()));
            }
        }
        if (!mirrored) {
            for (MailCopies.Copy copy : deleted) {
                MailFetcher.Meta there = live.get(copy.targetUid());
                targetSide.add(entry(copy.sha256(), there == null ? "" : MailFetcher.flagText(there.flags()),
                        there == null ? null : there.internalDate()));
            }
        }
        ItemOutcome outcome = new ItemOutcome(metas.size(), bytes, checksum(sourceSide), checksum(targetSide));
        LOG.debug("{}: {} messages, {} read, {} appended, {} already on the target; copy {} ms (append {} ms), read-back {} ms",
                ledgerItem.key(), metas.size(), toCopy.size(), sent.size() + appended.size(), volume[1], (copiedAt - started) / 1_000_000,
                volume[2] / 1_000_000, (System.nanoTime() - copiedAt) / 1_000_000);
        if (!rejects.isEmpty()) {
            Path log = reports.applicationDir(migration.application());
            try {
                log = MailRejects.append(log, migration.name(), rejects);
            } catch (java.io.IOException e) {
                LOG.warn("Cannot write the mail reject log in {}: {}", log, e.getMessage());
            }
            MailRejects.Reject first = rejects.get(0);
            throw new ItemFailure.Final("Cannot copy " + what + ": the target refused " + rejects.size() + " of " + metas.size()
                    + " messages (the others are copied); first: " + first.line() + "; all in " + log, null, outcome);
        }
        if (!missing.isEmpty()) {
            throw new ItemFailure.Final("Cannot verify " + what + ": " + missing.size() + " of " + metas.size()
                    + " messages are not on the target in " + item.targetFolder() + " after the copy (source uids "
                    + missing.stream().limit(20).toList() + ")", null, outcome);
        }
        if (!deleted.isEmpty() && !mirrored) {
            throw ItemFailure.Final.deletedAtSource(deleted.size() + " messages of " + what + " were expunged at the source "
                    + "and their copies are still on the target in " + item.targetFolder() + " (source uids "
                    + MailCopies.uids(deleted).stream().limit(20).toList() + "; deletions: report); deletions: mirror expunges "
                    + "them from the target", outcome);
        }
        if (!outcome.verified()) {
            throw new ItemFailure.Final("Cannot verify " + what + ": source and target differ in flags or internal dates "
                    + "after the copy (" + metas.size() + " messages; source " + outcome.sourceChecksum() + ", target "
                    + outcome.targetChecksum() + ")", null, outcome);
        }
        return outcome;
    }

    /**
     * A target message with the body's bytes and internal date that no source message's copy is (recorded, or taken
     * by this item), lowest UID first; null if there is none.
     */
    private static MailFetcher.Meta unclaimed(Context ctx, String indexKey, MailTargetIndex index, IMAPFolder target,
                                              String targetKey, long targetValidity, Set<Long> claimedNow,
                                              MailFetcher.Body body) throws Exception {
        List<MailFetcher.Meta> same = index.withHash(target, body.sha256(), body.meta().messageId(), body.size());
        if (same.isEmpty()) {
            return null;
        }
        Set<Long> claimed = ctx.copies.claimed(targetKey, targetValidity, body.sha256());
        for (MailFetcher.Meta candidate : same) {
            if (!claimed.contains(candidate.uid()) && !claimedNow.contains(candidate.uid())
                    && !ctx.claimedInRun(indexKey, candidate.uid()) && sameSecond(candidate.internalDate(), body.meta().internalDate())) {
                return candidate;
            }
        }
        return null;
    }

    /** Expunges the hub's copies (and only them: UID EXPUNGE, RFC 4315) from an open target folder. */
    private static void expunge(Context ctx, IMAPFolder target, MailItem item, List<MailCopies.Copy> copies) throws MessagingException {
        if (!((IMAPStore) target.getStore()).hasCapability("UIDPLUS")) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot mirror deletions into " + item.targetUser() + " "
                    + item.targetFolder() + " on " + ctx.spec.target() + ": the server lacks UIDPLUS (UID EXPUNGE), and a plain "
                    + "EXPUNGE would also remove messages the hub did not copy; use deletions: report");
        }
        String set = MailFetcher.uidSet(copies.stream().map(MailCopies.Copy::targetUid).sorted().toList());
        MailFetcher.command(target, "UID STORE " + set + " +FLAGS.SILENT (\\Deleted)");
        MailFetcher.command(target, "UID EXPUNGE " + set);
    }

    /**
     * Reads the range again on both sides, writing nothing: every source message's content hash, flags and internal
     * date, and the same of its recorded copy on the target (bytes read again), plus the copies of messages expunged at
     * the source that the target still holds. A source folder that is gone gives a null source checksum, a target
     * folder that is gone a null target checksum.
     */
    ItemOutcome verify(Migration migration, Context ctx, LedgerItem ledgerItem) throws Exception {
        MailItem item = read(ledgerItem.payload());
        if (item.folder().isEmpty()) {
            return accountLogin(migration, ctx, item);
        }
        Account account = ctx.accounts().require(item.sourceUser());
        String folderKey = MailCopies.key(migration.name(), item.sourceUser(), item.folder());
        try (Stores stores = ctx.open(account)) {
            IMAPFolder source = (IMAPFolder) stores.source.getFolder(item.folder());
            if (!source.exists()) {
                return new ItemOutcome(0, 0, null, null);
            }
            source.open(Folder.READ_ONLY);
            List<String> sourceSide = new ArrayList<>();
            Set<Long> sourceUids = new HashSet<>();
            long[] volume = new long[2];
            try {
                if (source.getUIDValidity() != item.uidValidity()) {
                    throw new ItemFailure.Final("Cannot verify " + ledgerItem.key() + " of migration " + migration.describe()
                            + ": UIDVALIDITY of " + item.sourceUser() + " " + item.folder() + " is now " + source.getUIDValidity()
                            + ", planned under " + item.uidValidity() + "; the next run plans the folder again", null);
                }
                List<MailFetcher.Meta> metas = MailFetcher.metas(source, item.uidFrom() + ":" + item.uidTo(), item.uidFrom(),
                        item.uidTo());
                MailFetcher.read(source, metas, false, body -> {
                    volume[0]++;
                    volume[1] += body.size();
                    sourceUids.add(body.meta().uid());
                    sourceSide.add(entry(body.sha256(), MailFetcher.flagText(body.meta().flags()), body.meta().internalDate()));
                });
            } finally {
                source.close(false);
            }
            IMAPFolder target = (IMAPFolder) stores.target.getFolder(item.targetFolder());
            if (!target.exists()) {
                return new ItemOutcome(volume[0], volume[1], checksum(sourceSide), null);
            }
            target.open(Folder.READ_ONLY);
            List<String> targetSide = new ArrayList<>();
            try {
                long targetValidity = target.getUIDValidity();
                List<MailFetcher.Meta> copies = new ArrayList<>();
                Map<Long, MailCopies.Copy> recorded = ctx.copies.range(folderKey, item.uidValidity(), item.uidFrom(), item.uidTo());
                Map<Long, MailFetcher.Meta> there = MailFetcher.metasByUid(target, recorded.values().stream()
                        .filter(c -> c.targetUidValidity() == targetValidity).map(MailCopies.Copy::targetUid).toList());
                for (MailCopies.Copy copy : recorded.values()) {
                    MailFetcher.Meta meta = copy.targetUidValidity() == targetValidity ? there.get(copy.targetUid()) : null;
                    if (meta != null) {
                        copies.add(meta);
                    }
                }
                copies.sort(java.util.Comparator.comparingLong(MailFetcher.Meta::uid));
                MailFetcher.read(target, copies, false, body -> targetSide.add(entry(body.sha256(),
                        MailFetcher.flagText(body.meta().flags()), body.meta().internalDate())));
            } finally {
                target.close(false);
            }
            return new ItemOutcome(volume[0], volume[1], checksum(sourceSide), checksum(targetSide));
        }
    }

    /**
     * Order-independent, duplicates counted (a multiset): the number of entries and the SHA-256 of the sorted entries,
     * each a message's content hash, internal date and flags.
     */
    static String checksum(Collection<String> entries) {
        var digest = MailFetcher.sha256();
        entries.stream().sorted().forEach(e -> digest.update((e + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return entries.size() + ":" + HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The target folder, created with its parents if missing (another item may create it at the same time). A name the
     * server refuses is a {@link HubException.ErrorCode#REJECTED} error (final, not retried) with the server's words.
     */
    static IMAPFolder ensureFolder(IMAPStore store, String fullName) throws MessagingException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(fullName);
        if (folder.exists()) {
            return folder;
        }
        char separator = store.getDefaultFolder().getSeparator();
        String[] parts = fullName.split(Pattern.quote(String.valueOf(separator)));
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            path.append(i == 0 ? "" : String.valueOf(separator)).append(parts[i]);
            IMAPFolder level = (IMAPFolder) store.getFolder(path.toString());
            if (level.exists()) {
                continue;
            }
            String name = path.toString();
            try {
                level.doCommand(p -> {
                    p.create(name);
                    return null;
                });
            } catch (MessagingException e) {
                if (level.exists()) {
                    continue; // created meanwhile by another item
                }
                if (!MailAppender.refused(e)) {
                    throw e;
                }
                throw new HubException(HubException.ErrorCode.REJECTED, "Cannot create folder '" + name + "' on the target: the "
                        + "server answered: " + Errors.oneLine(e) + "; give the folder a name the target accepts with "
                        + "folderMap (e.g. folderMap: \"" + name.replace(separator, '/') + "=" + suggestName(name, separator)
                        + "\"), or leave it out with exclude", e);
            }
        }
        return (IMAPFolder) store.getFolder(fullName);
    }

    /** A name most servers accept, for the error's example rule. */
    private static String suggestName(String name, char separator) {
        return name.replace(separator, '/').replaceAll("^[~.]+|(?<=/)[~.]+", "").replaceAll("[^\\p{L}\\p{N} _/-]", "_");
    }

    /**
     * Messages of ranges that are entirely gone at the source (all their messages expunged, or their folder deleted):
     * with {@code deletions: mirror} the hub's copies of them are expunged from the target ({@code UID EXPUNGE}, only
     * the recorded copies) and the items become REMOVED; with {@code report} they stay GONE.
     */
    Set<Long> deletedAtSource(Migration migration, Context ctx, List<LedgerItem> gone) {
        if (!ctx.spec.mirrorDeletions()) {
            return Set.of();
        }
        Set<Long> removed = new HashSet<>();
        for (LedgerItem ledgerItem : gone) {
            MailItem item = read(ledgerItem.payload());
            if (item.folder().isEmpty()) {
                continue; // an account's login item: nothing of it is on the target
            }
            String folderKey = MailCopies.key(migration.name(), item.sourceUser(), item.folder());
            Account account;
            try {
                account = ctx.accounts().require(item.sourceUser());
            } catch (IllegalArgumentException e) {
                LOG.warn("Cannot mirror the deletion of {}: {}", ledgerItem.key(), e.getMessage());
                continue;
            }
            try (Stores stores = ctx.open(account)) {
                IMAPFolder source = (IMAPFolder) stores.source.getFolder(item.folder());
                if (source.exists()) {
                    source.open(Folder.READ_ONLY);
                    long validity = source.getUIDValidity();
                    source.close(false);
                    if (validity != item.uidValidity()) {
                        continue; // superseded, not deleted: the range is planned again under the new UIDVALIDITY
                    }
                }
                Map<Long, MailCopies.Copy> copies = ctx.copies.range(folderKey, item.uidValidity(), item.uidFrom(), item.uidTo());
                IMAPFolder target = (IMAPFolder) stores.target.getFolder(item.targetFolder());
                if (!copies.isEmpty() && target.exists()) {
                    ReentrantLock lock = ctx.folderLock(item.targetUser() + "\u0000" + item.targetFolder());
                    lock.lock();
                    try {
                        target.open(Folder.READ_WRITE);
                        try {
                            long targetValidity = target.getUIDValidity();
                            List<MailCopies.Copy> live = copies.values().stream()
                                    .filter(c -> c.targetUidValidity() == targetValidity).toList();
                            if (!live.isEmpty()) {
                                expunge(ctx, target, item, live);
                            }
                        } finally {
                            target.close(false);
                        }
                        ctx.forgetIndex(item.targetUser(), item.targetFolder());
                    } finally {
                        lock.unlock();
                    }
                }
                ctx.copies.forget(folderKey, item.uidValidity(), copies.keySet());
                removed.add(ledgerItem.itemId());
                LOG.info("Migration {}: {} deleted at the source: {} copies expunged from the target (deletions: mirror)",
                        migration.name(), ledgerItem.key(), copies.size());
            } catch (MessagingException | RuntimeException e) {
                LOG.warn("Cannot mirror the deletion of {} of migration {}: {}; it stays GONE", ledgerItem.key(),
                        migration.describe(), Errors.oneLine(e));
            }
        }
        return removed;
    }

    // ---- finish

    /**
     * Creates the folders that had nothing to copy (empty ones included) and subscribes what the source subscribes. A
     * folder name the target refuses does not stop the others: they are all named at the end.
     */
    void finish(Migration migration, Context ctx) {
        List<String> refused = new ArrayList<>();
        for (Account account : ctx.accounts().all()) {
            Stores opened;
            try {
                opened = ctx.open(account);
            } catch (HubException e) {
                if (!loginRefused(e)) {
                    throw e;
                }
                LOG.warn("Migration {}: the folders of account {} are not made: {}", migration.name(), account.sourceUser(),
                        e.getMessage());
                continue;
            }
            try (Stores stores = opened) {
                TargetLayout layout = TargetLayout.of(stores.target);
                for (MailFolders.Folder folder : sourceFolders(stores.source, ctx.rules)) {
                    String name = ctx.rules.targetName(folder, layout.roles, layout.separator);
                    IMAPFolder target;
                    try {
                        target = ensureFolder(stores.target, name);
                    } catch (HubException e) {
                        refused.add("account " + account.targetUser() + ": " + e.getMessage());
                        continue;
                    }
                    if (folder.subscribed() && !target.isSubscribed()) {
                        target.setSubscribed(true);
                    }
                }
            } catch (MessagingException e) {
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot create the folders of account "
                        + account.targetUser() + " on " + ctx.spec.target() + " for migration " + migration.describe() + ": "
                        + Errors.oneLine(e), e);
            }
        }
        if (!refused.isEmpty()) {
            throw new HubException(HubException.ErrorCode.REJECTED, "Cannot create " + refused.size() + " folders for migration "
                    + migration.describe() + " on " + ctx.spec.target() + ": " + String.join("; ", refused));
        }
    }

    // ---- shared

    private MailItem read(String payload) {
        try {
            return json.readValue(payload, MailItem.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot read a mail work item: " + e.getOriginalMessage(), e);
        }
    }

    /** Both servers logged in as one account. */
    private record Stores(IMAPStore source, IMAPStore target) implements AutoCloseable {
        @Override
        public void close() {
            for (IMAPStore store : new IMAPStore[] {source, target}) {
                try {
                    if (store != null) {
                        store.close();
                    }
                } catch (MessagingException e) {
                    LOG.debug("Cannot close {}: {}", store, e.getMessage());
                }
            }
        }
    }

    /** What the items of one migration share: the spec, the folder locks and the target indexes of the runs. */
    private static final class Context {
        final MailOptions spec;
        final MailFolders rules;
        final MailCopies copies;
        /** Folders the last listing found unchanged by STATUS (for its log line). */
        final java.util.concurrent.atomic.AtomicInteger unchangedFolders = new java.util.concurrent.atomic.AtomicInteger();
        private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
        private final Map<String, MailTargetIndex> indexes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MailTargetIndex> eldest) {
                return size() > MAX_INDEXES;
            }
        };

        Context(MailOptions spec, MailCopies copies) {
            this.spec = spec;
            this.rules = spec.folderRules();
            this.copies = copies;
        }

        /** Read at each use: accounts added to the file are picked up without a restart. */
        MailAccounts accounts() {
            return MailAccounts.read(spec.accounts());
        }

        Stores open(Account account) {
            IMAPStore source = spec.source().connect(account.sourceUser(), account.sourcePassword().value());
            try {
                return new Stores(source, spec.target().connect(account.targetUser(), account.targetPassword().value()));
            } catch (RuntimeException e) {
                new Stores(source, null).close();
                throw e;
            }
        }

        /** Target UIDs an item of a run took (adopted or appended) and has not recorded yet, by index key. */
        private final Map<String, Set<Long>> claims = new ConcurrentHashMap<>();

        void claim(String indexKey, long targetUid) {
            claims.compute(indexKey, (k, taken) -> {
                Set<Long> set = taken == null ? new HashSet<>() : taken;
                set.add(targetUid);
                return set;
            });
        }

        boolean claimedInRun(String indexKey, long targetUid) {
            boolean[] taken = {false};
            claims.computeIfPresent(indexKey, (k, set) -> {
                taken[0] = set.contains(targetUid);
                return set;
            });
            return taken[0];
        }

        /** Gives up claims (recorded, or left for a retry to adopt); the run's set goes when empty. */
        void release(String indexKey, Collection<Long> targetUids) {
            claims.computeIfPresent(indexKey, (k, set) -> {
                set.removeAll(targetUids);
                return set.isEmpty() ? null : set;
            });
        }

        ReentrantLock folderLock(String folder) {
            return locks.computeIfAbsent(folder, k -> new ReentrantLock());
        }

        /**
         * The index of a target folder for this run (the caller holds the folder's lock): built at the run's first item
         * of the folder, so that what changed on the target between runs is seen; then only caught up.
         */
        /** Drops every cached index of a target folder (all runs). */
        void forgetIndex(String targetUser, String targetFolder) {
            String suffix = "\u0000" + targetUser + "\u0000" + targetFolder;
            synchronized (indexes) {
                indexes.keySet().removeIf(key -> key.endsWith(suffix));
            }
        }

        MailTargetIndex index(String key, IMAPFolder target) throws Exception {
            MailTargetIndex index;
            synchronized (indexes) {
                index = indexes.get(key);
            }
            if (index != null && index.uidValidity() == target.getUIDValidity()) {
                index.catchUp(target, false);
                return index;
            }
            index = MailTargetIndex.build(target);
            synchronized (indexes) {
                indexes.put(key, index);
            }
            return index;
        }
    }
}
