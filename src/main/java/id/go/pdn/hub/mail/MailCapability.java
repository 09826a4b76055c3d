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

    public MailCapability(ObjectMapper json, RunReports reports) {
        this.json = json;
        this.reports = reports;
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
        return new Job(migration, new Context(migration.options(MailOptions.class)));
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
        MailItem item = new MailItem(account.sourceUser(), account.targetUser(), "", "", 0, 0, 0, 0);
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

    List<PlannedItem> replan(Migration migration, Context ctx, List<PlannedItem> planned) {
        List<PlannedItem> fresh = planNew(migration, ctx, planned);
        Map<String, Long> validityNow = new HashMap<>();
        for (PlannedItem item : fresh) {
            MailItem mail = read(item.payload());
            validityNow.put(mail.sourceUser() + "\u0000" + mail.folder(), mail.uidValidity());
        }
        // items planned under a UIDVALIDITY the folder no longer has are superseded by the folder planned again
        List<PlannedItem> listing = new ArrayList<>();
        for (PlannedItem item : planned) {
            MailItem mail = read(item.payload());
            Long now = validityNow.get(mail.sourceUser() + "\u0000" + mail.folder());
            if (now == null || now == mail.uidValidity()) {
                listing.add(item);
            }
        }
        listing.addAll(fresh);
        return listing;
    }

    /**
     * The items still to plan, given the items planned before: for each account and folder, the UIDs above the highest
     * planned one under the same UIDVALIDITY; the whole folder again if its UIDVALIDITY changed (what is already on the
     * target is recognised by content and not appended again); new accounts and folders entirely. With nothing planned
     * it is the first plan. A core hook that adds these items to an existing plan makes re-runs incremental.
     */
    List<PlannedItem> planNew(Migration migration, Context ctx, Collection<PlannedItem> planned) {
        Map<String, Long> plannedUpTo = new HashMap<>();
        Map<String, Long> plannedValidity = new HashMap<>();
        for (PlannedItem item : planned) {
            MailItem mail = read(item.payload());
            plannedUpTo.merge(mail.sourceUser() + "\u0000" + mail.folder() + "\u0000" + mail.uidValidity(), mail.uidTo(), Math::max);
            plannedValidity.put(mail.sourceUser() + "\u0000" + mail.folder(), mail.uidValidity());
        }
        List<PlannedItem> items = new ArrayList<>();
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
                continue;
            }
            try (Stores stores = opened) {
                TargetLayout layout = TargetLayout.of(stores.target);
                for (MailFolders.Folder folder : sourceFolders(stores.source, ctx.rules)) {
                    if (!folder.selectable()) {
                        continue;
                    }
                    String targetFolder = ctx.rules.targetName(folder, layout.roles, layout.separator);
                    IMAPFolder source = (IMAPFolder) stores.source.getFolder(folder.fullName());
                    source.open(Folder.READ_ONLY);
                    try {
                        long validity = source.getUIDValidity();
                        String where = account.sourceUser() + "\u0000" + folder.fullName();
                        Long upTo = plannedUpTo.get(where + "\u0000" + validity);
                        Long before = plannedValidity.get(where);
                        if (upTo == null && before != null) {
                            LOG.warn("Migration {}: UIDVALIDITY of {} {} changed from {} to {}: the folder is planned again; "
                                    + "messages already on the target are recognised by content and skipped", migration.name(),
                                    account.sourceUser(), folder.logicalName(), before, validity);
                        }
                        if (source.getMessageCount() == 0) {
                            continue;
                        }
                        List<Long> uids = MailFetcher.uids(source, upTo == null ? 1 : upTo + 1);
                        for (int from = 0; from < uids.size(); from += ctx.spec.uidRangeSize()) {
                            List<Long> range = uids.subList(from, Math.min(uids.size(), from + ctx.spec.uidRangeSize()));
                            MailItem item = new MailItem(account.sourceUser(), account.targetUser(), folder.fullName(), targetFolder,
                                    validity, range.get(0), range.get(range.size() - 1), range.size());
                            items.add(new PlannedItem(item.key(folder.logicalName()), json.writeValueAsString(item)));
                        }
                    } finally {
                        source.close(false);
                    }
                }
            } catch (MessagingException | JsonProcessingException e) {
                throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + migration.describe()
                        + ": cannot list the folders of account " + account.sourceUser() + " on " + ctx.spec.source() + ": "
                        + Errors.oneLine(e), e);
            }
        }
        return items;
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
            IMAPStore store = ctx.spec.source().connect(account.sourceUser(), account.sourcePassword().value());
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
            IMAPFolder target = ensureFolder(stores.target, item.targetFolder());
            target.open(Folder.READ_ONLY); // selected for FETCH; APPEND does not need write access to the selection
            ReentrantLock lock = ctx.folderLock(item.targetUser() + "\u0000" + item.targetFolder());
            lock.lock();
            try {
                return copyRange(migration, ctx, ledgerItem, item, source, target);
            } catch (FolderClosedException | StoreClosedException e) {
                ctx.forgetIndex(item.targetUser(), item.targetFolder());
                throw new ItemFailure.Retriable("Cannot copy " + ledgerItem.key() + " of migration " + migration.describe()
                        + ": the IMAP connection closed: " + Errors.oneLine(e), e);
            } catch (Exception e) {
                // what was appended before the failure is unknown to the cached index: the retry builds it anew
                ctx.forgetIndex(item.targetUser(), item.targetFolder());
                throw e;
            } finally {
                lock.unlock();
                source.close(false);
                target.close(false);
            }
        }
    }

    private ItemOutcome copyRange(Migration migration, Context ctx, LedgerItem ledgerItem, MailItem item, IMAPFolder source,
                                  IMAPFolder target) throws Exception {
        long started = System.nanoTime();
        MailTargetIndex index = ctx.index(String.valueOf(ledgerItem.runId()) + "\u0000" + item.targetUser() + "\u0000"
                + item.targetFolder(), target);
        long indexed = System.nanoTime();
        List<MailFetcher.Meta> metas = MailFetcher.metas(source, item.uidFrom() + ":" + item.uidTo(), item.uidFrom(), item.uidTo());
        Map<String, Long> sourceHashes = new LinkedHashMap<>(); // hash -> first UID with it
        Set<String> appended = new HashSet<>();
        List<MailRejects.Reject> rejects = new ArrayList<>();
        long[] volume = new long[4]; // messages, bytes, already there, nanoseconds appending
        // appends go through the store's own connection, where no folder is selected: the server then has no selected
        // view to update after each message (with Dovecot that made appends several times slower)
        IMAPFolder appendTo = (IMAPFolder) target.getStore().getFolder(item.targetFolder());
        MailAppender appender = new MailAppender(appendTo, (body, answer) -> rejects.add(new MailRejects.Reject(item.sourceUser(),
                item.folder(), body.meta().uid(), body.size(), item.targetFolder(), answer)));
        MailFetcher.read(source, metas, true, body -> {
            volume[0]++;
            volume[1] += body.size();
            sourceHashes.putIfAbsent(body.sha256(), body.meta().uid());
            if (appended.contains(body.sha256()) || index.contains(target, body.sha256(), body.meta().messageId(), body.size())) {
                volume[2]++;
                return;
            }
            appended.add(body.sha256()); // a second copy of the same bytes in this range is not appended again
            long t = System.nanoTime();
            appender.add(body);
            volume[3] += System.nanoTime() - t;
        });
        long t = System.nanoTime();
        appender.flush();
        volume[3] += System.nanoTime() - t;
        long copied = System.nanoTime();
        if (!appended.isEmpty()) {
            index.catchUp(target, true); // reads back what was appended: the target side of the verification
        }
        Set<String> found = sourceHashes.keySet().stream().filter(index::holds).collect(Collectors.toSet());
        ItemOutcome outcome = new ItemOutcome(volume[0], volume[1], checksum(sourceHashes.keySet()), checksum(found));
        LOG.debug("{}: {} messages, {} appended, {} already on the target; index {} ms, copy {} ms (append {} ms), read-back {} ms",
                ledgerItem.key(), volume[0], appended.size(), volume[2], (indexed - started) / 1_000_000,
                (copied - indexed) / 1_000_000, volume[3] / 1_000_000, (System.nanoTime() - copied) / 1_000_000);
        String what = ledgerItem.key() + " of migration " + migration.describe();
        if (!rejects.isEmpty()) {
            Path log = reports.applicationDir(migration.application());
            try {
                log = MailRejects.append(log, migration.name(), rejects);
            } catch (java.io.IOException e) {
                LOG.warn("Cannot write the mail reject log in {}: {}", log, e.getMessage());
            }
            MailRejects.Reject first = rejects.get(0);
            throw new ItemFailure.Final("Cannot copy " + what + ": the target refused " + rejects.size() + " of " + volume[0]
                    + " messages (the others are copied); first: " + first.line() + "; all in " + log, null, outcome);
        }
        if (!outcome.verified()) {
            List<Long> missing = sourceHashes.entrySet().stream().filter(e -> !found.contains(e.getKey())).map(Map.Entry::getValue)
                    .sorted().limit(20).toList();
            throw new ItemFailure.Final("Cannot verify " + what + ": " + (sourceHashes.size() - found.size()) + " of "
                    + sourceHashes.size() + " distinct messages are not on the target in " + item.targetFolder()
                    + " after the copy (source uids " + missing + ")", null, outcome);
        }
        return outcome;
    }

    /**
     * Reads the range again on both sides, writing nothing: the set of content hashes of the source's messages and
     * which of them the target folder holds now, found as {@link #copy} finds them (a fresh {@link MailTargetIndex},
     * so a message expunged since is missed). A source folder that is gone gives a null source checksum, a target
     * folder that is gone a null target checksum.
     */
    ItemOutcome verify(Migration migration, Context ctx, LedgerItem ledgerItem) throws Exception {
        MailItem item = read(ledgerItem.payload());
        if (item.folder().isEmpty()) {
            return accountLogin(migration, ctx, item);
        }
        Account account = ctx.accounts().require(item.sourceUser());
        try (Stores stores = ctx.open(account)) {
            IMAPFolder source = (IMAPFolder) stores.source.getFolder(item.folder());
            if (!source.exists()) {
                return new ItemOutcome(0, 0, null, null);
            }
            source.open(Folder.READ_ONLY);
            Map<String, MailFetcher.Meta> sourceHashes = new LinkedHashMap<>(); // hash -> what the target index looks up
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
                    sourceHashes.putIfAbsent(body.sha256(), new MailFetcher.Meta(body.meta().uid(), null, null, body.size(),
                            body.meta().messageId()));
                });
            } finally {
                source.close(false);
            }
            IMAPFolder target = (IMAPFolder) stores.target.getFolder(item.targetFolder());
            if (!target.exists()) {
                return new ItemOutcome(volume[0], volume[1], checksum(sourceHashes.keySet()), null);
            }
            target.open(Folder.READ_ONLY);
            Set<String> found = new HashSet<>();
            try {
                MailTargetIndex index = MailTargetIndex.build(target);
                for (Map.Entry<String, MailFetcher.Meta> message : sourceHashes.entrySet()) {
                    if (index.contains(target, message.getKey(), message.getValue().messageId(), message.getValue().size())) {
                        found.add(message.getKey());
                    }
                }
            } finally {
                target.close(false);
            }
            return new ItemOutcome(volume[0], volume[1], checksum(sourceHashes.keySet()), checksum(found));
        }
    }

    /** Order-independent: the number of distinct messages and the SHA-256 of their sorted content hashes. */
    static String checksum(Collection<String> hashes) {
        var digest = MailFetcher.sha256();
        for (String hash : new TreeSet<>(hashes)) {
            digest.update(HexFormat.of().parseHex(hash));
        }
        return hashes.size() + ":" + HexFormat.of().formatHex(digest.digest());
    }

    /** The target folder, created with its parents if missing (another item may create it at the same time). */
    private static IMAPFolder ensureFolder(IMAPStore store, String fullName) throws MessagingException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(fullName);
        if (folder.exists()) {
            return folder;
        }
        char separator = store.getDefaultFolder().getSeparator();
        String[] parts = fullName.split(Pattern.quote(String.valueOf(separator)));
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            path.append(i == 0 ? "" : String.valueOf(separator)).append(parts[i]);
            Folder level = store.getFolder(path.toString());
            if (!level.exists() && !level.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS) && !level.exists()) {
                throw new MessagingException("the target refused to create folder " + path);
            }
        }
        return (IMAPFolder) store.getFolder(fullName);
    }

    // ---- finish

    /** Creates the folders that had nothing to copy (empty ones included) and subscribes what the source subscribes. */
    void finish(Migration migration, Context ctx) {
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
                    IMAPFolder target = ensureFolder(stores.target, name);
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
        private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
        private final Map<String, MailTargetIndex> indexes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, MailTargetIndex> eldest) {
                return size() > MAX_INDEXES;
            }
        };

        Context(MailOptions spec) {
            this.spec = spec;
            this.rules = spec.folderRules();
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
