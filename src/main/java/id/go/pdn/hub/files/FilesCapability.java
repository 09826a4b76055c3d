package id.go.pdn.hub.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import id.go.pdn.hub.core.Globs;
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
import id.go.pdn.hub.core.ledger.LedgerItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * File migrations ({@code migration:files}): plan = list the source tree (one item per file, key = relative path,
 * listed again on every run; the payload holds what is compared: size, mtime, mode, plus ctime and inode from a local
 * disk, or the SHA-256 with {@code compare: checksum}); copy = stream the file into a hidden temporary name beside its
 * final name, hashing it with SHA-256 on the way, read it back (verify: full), set its mtime and mode, read them back,
 * then rename it over the final name; at the end of every run, failed or not, the folders (empty ones too) get their
 * mtime and mode ({@link #applyFolders}).
 * <p>
 * Policies: links, fifos, sockets and devices are SKIPPED items with the reason (never followed, so nothing outside
 * the source root is read); a remote name containing '/', or a name that is not UTF-8, is refused and shows as a
 * FAILED item naming it; a file that changes or vanishes while it is read fails its item, and the next run copies it
 * again; files deleted at the source after their copy are GONE (reported), or removed with {@code deletions: mirror}.
 */
@Component
public class FilesCapability implements MigrationCapability {

    private static final Logger LOG = LoggerFactory.getLogger(FilesCapability.class);
    static final String PART_SUFFIX = ".hub-part";
    private static final int MAX_SKIPS_LOGGED = 20;
    /** Smaller files are simply copied again after an interruption: looking for a partial copy costs a round trip. */
    static final long RESUME_MIN_BYTES = 1 << 20;

    private final ObjectMapper json;
    private final Environment environment;

    public FilesCapability(ObjectMapper json, Environment environment) {
        this.json = json;
        this.environment = environment;
    }

    @Override
    public String kind() {
        return "files";
    }

    private static final KindFacts FACTS = new KindFacts("Files", "files", "file set", "#6a1b9a", 2, true,
            "folders' times and modes", FilesCapability::topFolder, 180, 110 * 1024 * 1024);

    @Override
    public KindFacts facts() {
        return FACTS;
    }

    @Override
    public KindOptions newOptions() {
        return new FilesOptions();
    }

    /** Connects to nothing: the endpoints open on first use, and their secrets are read then. */
    @Override
    public MigrationJob open(Migration migration) {
        return new Job(migration);
    }

    /** One migration's work: its endpoints (SSH clients, open SFTP sessions) live in its {@link Context}, opened on first use. */
    private final class Job implements MigrationJob {
        private final Migration migration;
        private Context ctx;

        Job(Migration migration) {
            this.migration = migration;
        }

        private synchronized Context ctx() {
            if (ctx == null) {
                ctx = new Context(migration, migration.options(FilesOptions.class));
            }
            return ctx;
        }

        /**
         * Logs in to both sides once: the source folder must exist, and the target folder must take a file (a probe,
         * written and deleted at once, in the folder the migration would create).
         */
        @Override
        public void preflight() {
            Context c = ctx();
            side("source", c.source, () -> {
                Optional<FileAttributes> root = c.source.stat("");
                if (root.isEmpty()) {
                    throw new java.nio.file.NoSuchFileException(c.source.describe());
                }
            });
            side("target", c.target, () -> {
                c.target.mkdirs("");
                String probe = ".hub-preflight-" + java.util.UUID.randomUUID().toString().substring(0, 8);
                try (OutputStream out = c.target.write(probe, 0)) {
                    out.write(new byte[] {'h', 'u', 'b'});
                }
                c.target.delete(probe);
            });
        }

        private void side(String role, FilesEndpoint endpoint, ProbeStep step) {
            try {
                step.run();
            } catch (IOException | RuntimeException e) {
                throw new HubException(e instanceof HubException hub && hub.code() == HubException.ErrorCode.CONFIGURATION
                        ? hub.code() : HubException.ErrorCode.CONNECTION, role + " " + endpoint.describe() + ": "
                        + EndpointErrors.explain(e), e);
            }
        }

        @Override public boolean replansEachRun() { return true; }
        @Override public List<PlannedItem> plan() { return FilesCapability.this.plan(migration, ctx()); }
        @Override public boolean replanReadsPlan() { return false; } // the source is listed whole again
        @Override public PlanSurvey survey(List<LedgerItem> verified) { return FilesCapability.this.survey(migration, ctx(), verified); }
        @Override public ItemOutcome copy(LedgerItem item) throws Exception { return FilesCapability.this.copy(migration, ctx(), item); }
        @Override public ItemOutcome verify(LedgerItem item) throws Exception { return FilesCapability.this.verify(migration, ctx(), item); }
        @Override public Batching batching() {
            FilesOptions options = migration.options(FilesOptions.class);
            return options.batchFiles() <= 1 ? null : new Batching(options.batchFiles(), options.batchBytes());
        }
        /** A file's size, if it is small (a quarter of batchBytes at most); a refused or skipped entry goes alone. */
        @Override public long batchWeight(LedgerItem item) {
            FilesOptions options = migration.options(FilesOptions.class);
            try {
                FileEntry entry = json.readValue(item.payload(), FileEntry.class);
                return entry.refused() == null && entry.size() <= options.batchBytes() / 4 ? entry.size() : -1;
            } catch (java.io.IOException e) {
                return -1;
            }
        }
        @Override public List<BatchResult> copyBatch(List<LedgerItem> items) {
            return FilesCapability.this.copyBatch(migration, ctx(), items);
        }
        @Override public void finish() { FilesCapability.this.finish(migration, ctx()); }
        @Override public void afterCopies() { FilesCapability.this.applyFolders(migration, ctx()); }
        @Override public java.util.Set<Long> deletedAtSource(List<LedgerItem> gone) {
            return FilesCapability.this.deletedAtSource(migration, ctx(), gone);
        }

        @Override
        public synchronized void close() {
            if (ctx != null) {
                ctx.close();
                ctx = null;
            }
        }
    }

    private interface ProbeStep {
        void run() throws IOException;
    }

    // ---- plan

    List<PlannedItem> plan(Migration migration, Context ctx) {
        ctx.knownDirs.clear(); // a target folder removed between runs is made again
        List<PlannedItem> items = new ArrayList<>();
        List<Folder> folders = new ArrayList<>();
        try {
            listSource(migration, ctx, (entry, skipped) -> items.add(skipped == null ? item(entry) : skippedItem(entry, skipped)),
                    folders);
            ctx.target.mkdirs("");
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + migration.describe()
                    + ": cannot list " + ctx.source.describe() + ": " + e, e);
        }
        ctx.folders = folders;
        if (ctx.spec.compare() == FilesOptions.Compare.ATTRIBUTES) {
            LOG.info("Migration {}: {} listed; a file with the same size, mtime and mode{} as at its verified copy stays "
                    + "VERIFIED without its content being read (compare: attributes; compare: checksum or ./hub verify read it)",
                    migration.name(), ctx.source.describe(), ctx.source instanceof LocalEndpoint ? ", ctime and inode" : "");
        }
        return items;
    }

    /** A folder of the source as listed: its times and mode go to the target's folder at the end of every run. */
    record Folder(String path, FileAttributes attributes) {
    }

    /** What a listing found: a file to copy (skipped null), or an entry listed but not copied, with the reason. */
    private interface Found {
        void accept(FileEntry entry, String skipped) throws IOException;
    }

    /**
     * Lists the source with the include and exclude globs: every selected file (with its SHA-256 under
     * {@code compare: checksum}); links, pipes, sockets and devices as skipped entries (SKIPPED items, with the
     * reason); and every selected entry that cannot be copied (an unreadable file, a hostile name, a name that is not
     * UTF-8) as a refused entry, which the plan shows as a FAILED item. Unreadable folders are logged; returns how many.
     *
     * @param folders receives the listed folders, children before their parent; null if not wanted
     */
    private int listSource(Migration migration, Context ctx, Found found, List<Folder> folders) throws IOException {
        int[] skipped = new int[1];
        boolean local = ctx.source instanceof LocalEndpoint;
        boolean checksum = ctx.spec.compare() == FilesOptions.Compare.CHECKSUM;
        List<FileEntry> files = new ArrayList<>();
        List<Object[]> others = new ArrayList<>(); // entry, skip reason (null: refused)
        ctx.source.walk(new Selecting(ctx) {
            @Override
            public void file(String path, FileAttributes a) {
                if (selected(path)) {
                    files.add(checksum || !local || a.ctimeNanos() < 0
                            ? new FileEntry(path, a.size(), a.mtimeMillis(), a.permissions(), null)
                            : new FileEntry(path, a.size(), a.mtimeMillis(), a.permissions(), null, a.ctimeNanos(),
                                    a.inode() < 0 ? null : a.inode(), null));
                }
            }

            @Override
            public void directoryDone(String path, FileAttributes a, int children) {
                if (folders != null) {
                    folders.add(new Folder(path, a));
                }
            }

            @Override
            public void skipped(String path, FileAttributes.Type type, String reason) {
                if (!selected(path)) {
                    return; // an excluded fifo, socket or unreadable entry is no concern of this migration
                }
                if (type == FileAttributes.Type.DIRECTORY) {
                    if (skipped[0]++ < MAX_SKIPS_LOGGED) {
                        LOG.warn("Migration {}: skipping {}: {}", migration.name(), printable(path), reason);
                    }
                } else if (type.special()) {
                    others.add(new Object[] {new FileEntry(path, 0, 0, -1, null), reason}); // SKIPPED, with the reason
                } else {
                    others.add(new Object[] {FileEntry.refused(path, reason), null}); // visible in the ledger as FAILED
                }
            }
        });
        if (skipped[0] > 0) {
            LOG.warn("Migration {}: {} unreadable folders skipped", migration.name(), skipped[0]);
        }
        if (checksum) {
            hashAll(migration, ctx, files);
        }
        for (FileEntry entry : files) {
            found.accept(entry, null);
        }
        for (Object[] other : others) {
            found.accept((FileEntry) other[0], (String) other[1]);
        }
        return skipped[0];
    }

    /**
     * {@code compare: checksum}: reads every listed file of the source and puts its SHA-256 into its entry, several at a
     * time; a file gone meanwhile leaves the listing (the next run sees it gone), one that cannot be read is refused.
     */
    private void hashAll(Migration migration, Context ctx, List<FileEntry> files) throws IOException {
        int threads = Math.max(1, Math.min(migration.common() == null ? 4 : migration.common().getParallelism(), 8));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads,
                new org.springframework.scheduling.concurrent.CustomizableThreadFactory("hub-hash-" + migration.name() + "-"));
        try {
            List<java.util.concurrent.Future<FileEntry>> hashed = new ArrayList<>();
            for (FileEntry entry : files) {
                hashed.add(pool.submit(() -> {
                    MessageDigest digest = sha256();
                    try (InputStream in = ctx.source.read(entry.path())) {
                        transfer(in, null, Long.MAX_VALUE, digest, ctx.limiter);
                    } catch (NoSuchFileException gone) {
                        return null;
                    }
                    return entry.withSha256(HexFormat.of().formatHex(digest.digest()));
                }));
            }
            List<FileEntry> result = new ArrayList<>(files.size());
            for (java.util.concurrent.Future<FileEntry> f : hashed) {
                try {
                    FileEntry entry = f.get();
                    if (entry != null) {
                        result.add(entry);
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
            files.clear();
            files.addAll(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while hashing the source");
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- survey (./hub plan): the same listing as the plan, nothing created on the target

    /**
     * Files and bytes per top folder, as the plan would list them; verified = files the ledger holds as verified with
     * the same size, mtime and mode (the payload the plan would give them), so a new or changed file counts as to copy.
     */
    PlanSurvey survey(Migration migration, Context ctx, List<LedgerItem> verified) {
        Map<String, String> verifiedPayloads = new java.util.HashMap<>();
        verified.forEach(item -> verifiedPayloads.put(item.key(), item.payload()));
        Map<String, long[]> groups = new java.util.TreeMap<>(); // top folder -> files, bytes, verified files, bytes
        int[] refused = new int[1];
        int[] special = new int[1];
        int skipped;
        try {
            skipped = listSource(migration, ctx, (entry, skip) -> {
                if (skip != null) {
                    special[0]++;
                    return;
                }
                if (entry.refused() != null) {
                    refused[0]++;
                }
                long[] g = groups.computeIfAbsent(topFolder(entry.path()), k -> new long[4]);
                g[0]++;
                g[1] += entry.size();
                if (item(entry).payload().equals(verifiedPayloads.get(entry.path()))) {
                    g[2]++;
                    g[3] += entry.size();
                }
            }, null);
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot survey migration " + migration.describe()
                    + ": cannot list " + ctx.source.describe() + ": " + e, e);
        }
        List<PlanSurvey.Group> result = new ArrayList<>();
        groups.forEach((name, g) -> result.add(new PlanSurvey.Group(name, new PlanSurvey.Volume(g[0], g[0], g[1]),
                new PlanSurvey.Volume(g[2], g[2], g[3]), new PlanSurvey.Volume(g[0] - g[2], g[0] - g[2], g[1] - g[3]), null)));
        List<String> notes = new ArrayList<>();
        notes.add("listed " + ctx.source.describe() + " with include '" + ctx.spec.include() + "' and exclude '"
                + ctx.spec.exclude() + "'");
        if (refused[0] > 0) {
            notes.add(refused[0] + " entries cannot be copied (special files or names the target cannot take): they "
                    + "would be FAILED items");
        }
        if (ctx.spec.compare() == FilesOptions.Compare.CHECKSUM) {
            notes.add("verified = the source's SHA-256, read now, equals the one at the file's verified copy (compare: checksum)");
        } else {
            notes.add("verified = same size, mtime and mode as at the file's verified copy" + (ctx.source instanceof LocalEndpoint
                    ? " (and same ctime and inode: a rewrite with its old mtime restored shows)" : "") + "; their contents were "
                    + "not read now (compare: attributes): `compare: checksum` or `./hub verify` reads them");
        }
        if (special[0] > 0) {
            notes.add(special[0] + " links, pipes, sockets or devices: SKIPPED items, not copied");
        }
        if (skipped > 0) {
            notes.add(skipped + " unreadable folders skipped");
        }
        return new PlanSurvey(migration.name(), kind(), "files", result, notes);
    }

    /** "letters/" for letters/a/b.txt, "(top folder)" for a file at the root: the grouping of the run summaries. */
    static String topFolder(String path) {
        int slash = path.indexOf('/');
        return slash < 0 ? "(top folder)" : path.substring(0, slash) + "/";
    }

    /** ".<name>.hub-part", or a hashed name when that would pass the 255-byte limit of most file systems. */
    static String partName(String name) {
        String part = "." + name + PART_SUFFIX;
        if (part.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255) {
            return part;
        }
        return ".hub-" + id.go.pdn.hub.core.Hashes.sha256Hex(name).substring(0, 16) + PART_SUFFIX;
    }

    private PlannedItem item(FileEntry entry) {
        try {
            return new PlannedItem(entry.path(), json.writeValueAsString(entry));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private PlannedItem skippedItem(FileEntry entry, String reason) {
        try {
            return PlannedItem.skippedAtSource(entry.path(), json.writeValueAsString(entry), reason);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies include/exclude; excluded folders are not listed at all. */
    private abstract static class Selecting implements FilesEndpoint.Visitor {
        private final Context ctx;

        Selecting(Context ctx) {
            this.ctx = ctx;
        }

        boolean selected(String path) {
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.startsWith(".") && name.endsWith(PART_SUFFIX)) {
                return false; // a transfer of ours in progress, if the source was once a target
            }
            return !ctx.exclude.matches(path) && (ctx.include.isEmpty() || ctx.include.matches(path));
        }

        @Override
        public boolean enterDirectory(String path) {
            return !ctx.exclude.matches(path);
        }

        @Override
        public void file(String path, FileAttributes attributes) {
        }

        @Override
        public void directoryDone(String path, FileAttributes attributes, int children) {
        }
    }

    // ---- copy and verify

    ItemOutcome copy(Migration migration, Context ctx, LedgerItem item) throws Exception {
        FileEntry entry = json.readValue(item.payload(), FileEntry.class);
        String what = printable(item.key()) + " of migration " + migration.describe();
        if (entry.refused() != null) {
            throw new ItemFailure.Final("Cannot copy " + what + ": " + entry.refused(), null);
        }
        String path = entry.path();
        String mtimeRefused = ctx.target.cannotCarry(entry.mtime());
        if (mtimeRefused != null) { // before any byte is written
            throw new ItemFailure.Final("Cannot copy " + what + ": " + mtimeRefused + "; nothing was written. Set a time the "
                    + "target can carry at the source (touch -m -d ...), or copy to a local folder", null);
        }
        String dir = parentOf(path);
        String part = partOf(path);
        ensureFolder(ctx, dir);

        // resume what an interrupted attempt left, if the server kept it and it is a prefix of this file
        long offset = 0;
        byte[] targetPrefix = null;
        Optional<FileAttributes> partial = entry.size() < RESUME_MIN_BYTES ? Optional.empty() : ctx.target.stat(part);
        if (partial.isPresent() && partial.get().isFile() && partial.get().size() > 0 && partial.get().size() <= entry.size()) {
            offset = partial.get().size();
            MessageDigest prefix = sha256();
            try (InputStream in = ctx.target.read(part)) {
                transfer(in, null, offset, prefix, null);
            }
            targetPrefix = prefix.digest();
        }

        MessageDigest source = sha256();
        long read;
        while (true) {
            source.reset();
            read = 0;
            try (InputStream in = openSource(ctx, entry)) {
                if (offset > 0) {
                    read = transfer(in, null, offset, source, null);
                    byte[] sourcePrefix = ((MessageDigest) source.clone()).digest();
                    if (read < offset || !Arrays.equals(sourcePrefix, targetPrefix)) {
                        LOG.info("Migration {}: {} left from an earlier attempt differs from the source; copying {} from the start",
                                migration.name(), printable(part), printable(path));
                        offset = 0;
                        continue;
                    }
                    LOG.info("Migration {}: resuming {} at byte {}", migration.name(), printable(path), offset);
                }
                try (OutputStream out = openPart(ctx, part, offset)) {
                    read += transfer(in, out, Long.MAX_VALUE, source, ctx.limiter);
                }
            } catch (NoSuchFileException e) {
                if (ctx.source.stat(path).isEmpty()) {
                    throw vanished(what, e);
                }
                // the source file is there: the missing one is on the target side (e.g. its folder was removed)
                throw new IOException("no such file or folder: " + e.getMessage(), e);
            }
            break;
        }
        String sourceSum = HexFormat.of().formatHex(source.digest());
        if (read != entry.size()) {
            ctx.target.delete(part);
            throw changed(what, "it was " + entry.size() + " bytes when listed and " + read + " bytes were read");
        }
        checkUnchanged(ctx, entry, what, "after it was listed");
        if (entry.sha256() != null && !entry.sha256().equals(sourceSum)) {
            ctx.target.delete(part);
            throw changed(what, "its content changed after it was listed (SHA-256 " + entry.sha256() + " when listed, "
                    + sourceSum + " now)");
        }

        String targetSum;
        if (ctx.spec.verify() == FilesOptions.Verify.FULL) {
            MessageDigest target = sha256();
            try (InputStream in = ctx.target.read(part)) {
                transfer(in, null, Long.MAX_VALUE, target, null);
            }
            targetSum = HexFormat.of().formatHex(target.digest());
        } else {
            // sizes only: the target's column repeats the source hash when the sizes match (documented in docs/files.md)
            long size = ctx.target.stat(part).map(FileAttributes::size).orElse(-1L);
            targetSum = size == read ? sourceSum : "size " + size + " (source " + read + ")";
        }
        if (!sourceSum.equals(targetSum)) {
            ctx.target.delete(part); // the next attempt starts clean, and the final name keeps its previous content
            return new ItemOutcome(1, read, sourceSum, targetSum);
        }
        // the final name only ever shows a complete, verified file with its mode and mtime: they are set on the part and
        // read back, then the part is renamed into place (a rename keeps both); a part left read-only by a failure is
        // replaced by the next attempt (openPart)
        ctx.target.setAttributes(part, entry.mtime(), entry.permissions());
        String attributesDiffer = attributesDiffer(ctx, entry, part);
        if (attributesDiffer != null) {
            ctx.target.delete(part);
            throw new ItemFailure.Final("Cannot copy " + what + ": " + attributesDiffer + "; nothing was renamed into place", null);
        }
        ctx.target.rename(part, path);
        ctx.touchedFolders.add(dir); // the rename changed the folder's mtime
        return new ItemOutcome(1, read, sourceSum, targetSum);
    }

    /** The hidden temporary name beside a file's final name. */
    static String partOf(String path) {
        int slash = path.lastIndexOf('/');
        return (slash < 0 ? "" : path.substring(0, slash) + "/") + partName(path.substring(slash + 1));
    }

    private static void ensureFolder(Context ctx, String dir) throws IOException {
        if (!dir.isEmpty() && !ctx.knownDirs.contains(dir)) {
            ctx.target.mkdirs(dir); // several workers may race here: mkdirs tolerates a folder made meanwhile
            ctx.knownDirs.add(dir);
            for (String d = dir; !d.isEmpty(); d = d.lastIndexOf('/') < 0 ? "" : d.substring(0, d.lastIndexOf('/'))) {
                ctx.touchedFolders.add(parentOf(d)); // a folder made in it changed its mtime
            }
        }
    }

    /**
     * A batch of small files. To an SFTP target they go together ({@link #copyTogether}): each step of {@link #copy}
     * (read the source, write the part, read it back, set and read back mtime and mode, rename) is one pipelined round
     * trip for the whole batch instead of a dozen round trips per file. A file that step does not end VERIFIED (an
     * error, a change at the source, a difference) is then copied alone by {@link #copy}, which gives its verdict and
     * error as ever; so are files the fast path does not take (refused entries, mtimes the target cannot carry).
     */
    List<MigrationJob.BatchResult> copyBatch(Migration migration, Context ctx, List<LedgerItem> items) {
        MigrationJob.BatchResult[] results = new MigrationJob.BatchResult[items.size()];
        if (ctx.target instanceof SftpEndpoint target) {
            try {
                copyTogether(migration, ctx, target, items, results);
            } catch (IOException | RuntimeException e) {
                LOG.info("Migration {}: a batch of {} files could not go together ({}); copying them one by one",
                        migration.name(), items.size(), e.toString());
            }
        }
        List<MigrationJob.BatchResult> all = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (results[i] == null) {
                try {
                    results[i] = new MigrationJob.BatchResult(items.get(i), copy(migration, ctx, items.get(i)), null);
                } catch (Exception e) {
                    results[i] = new MigrationJob.BatchResult(items.get(i), null, e);
                }
            }
            all.add(results[i]);
        }
        return all;
    }

    /**
     * The pipelined path of {@link #copyBatch}: sets results[i] for every file it copied and verified, as {@link #copy}
     * would (SHA-256 of the source's bytes, of the target's bytes read back, or the size with {@code verify: size};
     * mtime and mode read back from the part before it is renamed into place); leaves the others null.
     */
    private void copyTogether(Migration migration, Context ctx, SftpEndpoint target, List<LedgerItem> items,
                              MigrationJob.BatchResult[] results) throws IOException {
        List<Integer> taken = new ArrayList<>();
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            FileEntry entry = json.readValue(items.get(i).payload(), FileEntry.class);
            if (entry.refused() == null && ctx.target.cannotCarry(entry.mtime()) == null && entry.size() < RESUME_MIN_BYTES) {
                taken.add(i);
                entries.add(entry);
            }
        }
        if (taken.isEmpty()) {
            return;
        }
        for (FileEntry entry : entries) {
            ensureFolder(ctx, parentOf(entry.path()));
        }
        List<FilesEndpoint.SmallRead> reads = ctx.source.readSmall(entries);
        List<Integer> writing = new ArrayList<>();
        List<SftpEndpoint.SmallWrite> writes = new ArrayList<>();
        List<String> sourceSums = new ArrayList<>();
        for (int k = 0; k < taken.size(); k++) {
            FileEntry entry = entries.get(k);
            FilesEndpoint.SmallRead read = reads.get(k);
            if (read.error() != null || read.data() == null || read.after().size() != entry.size()
                    || read.after().mtimeMillis() != entry.mtime()) {
                continue; // gone, changed or unreadable: copy() says which
            }
            if (ctx.limiter != null) {
                try {
                    ctx.limiter.acquire(read.data().length);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            String sourceSum = HexFormat.of().formatHex(sha256().digest(read.data()));
            if (entry.sha256() != null && !entry.sha256().equals(sourceSum)) {
                continue;
            }
            writing.add(k);
            writes.add(new SftpEndpoint.SmallWrite(partOf(entry.path()), read.data(), entry.mtime(), entry.permissions()));
            sourceSums.add(sourceSum);
        }
        boolean full = ctx.spec.verify() == FilesOptions.Verify.FULL;
        List<SftpEndpoint.Written> written = writes.isEmpty() ? List.of() : target.writeSmall(writes, full);
        List<Integer> renaming = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        List<ItemOutcome> outcomes = new ArrayList<>();
        for (int w = 0; w < writing.size(); w++) {
            FileEntry entry = entries.get(writing.get(w));
            SftpEndpoint.Written done = written.get(w);
            if (done.error() != null) {
                continue;
            }
            String sourceSum = sourceSums.get(w);
            long size = writes.get(w).data().length;
            String targetSum = full ? done.targetSha256()
                    : done.after().size() == size ? sourceSum : "size " + done.after().size() + " (source " + size + ")";
            if (!sourceSum.equals(targetSum) || attributesDiffer(ctx, entry, Optional.of(done.after())) != null) {
                continue; // copy() writes it again and gives the finding
            }
            renaming.add(writing.get(w));
            pairs.add(new String[] {partOf(entry.path()), entry.path()});
            outcomes.add(new ItemOutcome(1, size, sourceSum, targetSum));
        }
        List<IOException> renamed = pairs.isEmpty() ? List.of() : target.renameAll(pairs);
        for (int r = 0; r < renaming.size(); r++) {
            if (renamed.get(r) == null) {
                int i = taken.get(renaming.get(r));
                ctx.touchedFolders.add(parentOf(entries.get(renaming.get(r)).path())); // the rename changed the folder's mtime
                results[i] = new MigrationJob.BatchResult(items.get(i), outcomes.get(r), null);
            }
        }
    }

    /**
     * Reads the file again on both sides, writing nothing: SHA-256 of the source, and of the target's file (or its size
     * only with {@code verify: size}), as {@link #copy} computes them. A side without the file gives a null checksum.
     */
    ItemOutcome verify(Migration migration, Context ctx, LedgerItem item) throws Exception {
        FileEntry entry = json.readValue(item.payload(), FileEntry.class);
        if (entry.refused() != null) {
            throw new ItemFailure.Final("Cannot verify " + printable(item.key()) + " of migration " + migration.describe()
                    + ": " + entry.refused(), null);
        }
        String path = entry.path();
        String sourceSum = null;
        long read = 0;
        if (ctx.source.stat(path).filter(FileAttributes::isFile).isPresent()) {
            MessageDigest source = sha256();
            try (InputStream in = ctx.source.read(path)) {
                read = transfer(in, null, Long.MAX_VALUE, source, ctx.limiter);
            }
            sourceSum = HexFormat.of().formatHex(source.digest());
        }
        Optional<FileAttributes> target = ctx.target.stat(path).filter(FileAttributes::isFile);
        String targetSum = null;
        if (target.isPresent()) {
            if (ctx.spec.verify() == FilesOptions.Verify.FULL) {
                MessageDigest digest = sha256();
                try (InputStream in = ctx.target.read(path)) {
                    transfer(in, null, Long.MAX_VALUE, digest, null);
                }
                targetSum = HexFormat.of().formatHex(digest.digest());
            } else {
                long size = target.get().size();
                targetSum = size == read && sourceSum != null ? sourceSum : "size " + size + " (source " + read + ")";
            }
        }
        return new ItemOutcome(1, read, sourceSum, targetSum);
    }

    /**
     * The part, for writing. Refused (permission denied): a part left read-only by an earlier failure (a 0444 source) is
     * removed and made again; a folder the hub made read-only (a 0555 source folder) gets its owner's write bit back until
     * the folder pass at the end of the run puts its mode back.
     */
    private static OutputStream openPart(Context ctx, String part, long offset) throws IOException {
        try {
            return ctx.target.write(part, offset);
        } catch (IOException e) {
            if (!denied(e)) {
                throw e;
            }
        }
        try {
            ctx.target.delete(part);
            return ctx.target.write(part, 0);
        } catch (IOException e) {
            if (!denied(e)) {
                throw e;
            }
        }
        String dir = parentOf(part);
        Optional<FileAttributes> folder = ctx.target.stat(dir);
        if (folder.isEmpty() || folder.get().permissions() < 0 || (folder.get().permissions() & 0300) == 0300) {
            return ctx.target.write(part, 0); // not ours to fix: the error as it is
        }
        LOG.info("Migration {}: {} on {} is read-only (mode {}); writable for the owner until the end of the run",
                ctx.migration.name(), dir.isEmpty() ? "the top folder" : printable(dir), ctx.target.describe(),
                Integer.toOctalString(folder.get().permissions()));
        ctx.target.setAttributes(dir, folder.get().mtimeMillis(), folder.get().permissions() | 0700);
        ctx.appliedFolders.remove(dir);
        ctx.touchedFolders.add(dir);
        ctx.target.delete(part);
        return ctx.target.write(part, 0);
    }

    private static boolean denied(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException
                || e instanceof org.apache.sshd.sftp.common.SftpException sftp
                && sftp.getStatus() == org.apache.sshd.sftp.common.SftpConstants.SSH_FX_PERMISSION_DENIED;
    }

    /**
     * Reads the part's mtime and mode back: null if the target holds what the source has (mtime to the second, SFTP v3's
     * unit; the permission bits), else what differs. Setuid, setgid and sticky bits that the target drops (a server that
     * does not set them, a user who may not) are logged, not failed.
     */
    private static String attributesDiffer(Context ctx, FileEntry entry, String part) throws IOException {
        return attributesDiffer(ctx, entry, ctx.target.stat(part));
    }

    private static String attributesDiffer(Context ctx, FileEntry entry, Optional<FileAttributes> a) {
        if (a.isEmpty()) {
            return "the copy vanished from the target before it was renamed into place";
        }
        if (Math.floorDiv(a.get().mtimeMillis(), 1000) != Math.floorDiv(entry.mtime(), 1000)) {
            return "the target kept the mtime " + java.time.Instant.ofEpochMilli(a.get().mtimeMillis()) + " instead of the source's "
                    + java.time.Instant.ofEpochMilli(entry.mtime());
        }
        if (entry.permissions() >= 0 && a.get().permissions() >= 0) {
            if ((a.get().permissions() & 0777) != (entry.permissions() & 0777)) {
                return "the target kept the mode " + Integer.toOctalString(a.get().permissions()) + " instead of the source's "
                        + Integer.toOctalString(entry.permissions());
            }
            if ((a.get().permissions() & 07000) != (entry.permissions() & 07000)) {
                LOG.warn("Migration {}: {} has mode {} at the source; {} kept {} (setuid, setgid or sticky bits dropped by the target)",
                        ctx.migration.name(), printable(entry.path()), Integer.toOctalString(entry.permissions()),
                        ctx.target.describe(), Integer.toOctalString(a.get().permissions()));
            }
        }
        return null;
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static InputStream openSource(Context ctx, FileEntry entry) throws IOException {
        return ctx.source.read(entry.path());
    }

    private static void checkUnchanged(Context ctx, FileEntry entry, String what, String when) throws IOException {
        Optional<FileAttributes> now = ctx.source.stat(entry.path());
        if (now.isEmpty()) {
            throw vanished(what, new NoSuchFileException(ctx.source.describe() + "/" + entry.path(), null, "no such file " + when));
        }
        if (now.get().size() != entry.size() || now.get().mtimeMillis() != entry.mtime()) {
            throw changed(what, "it changed " + when + " (size " + entry.size() + " -> " + now.get().size() + ", mtime "
                    + java.time.Instant.ofEpochMilli(entry.mtime()) + " -> " + java.time.Instant.ofEpochMilli(now.get().mtimeMillis()) + ")");
        }
    }

    private static ItemFailure vanished(String what, Exception cause) {
        return new ItemFailure.Final("Cannot copy " + what + ": the source file vanished after it was listed"
                + (cause == null ? "" : " (" + cause.getMessage() + ")") + "; nothing was renamed on the target, and the next "
                + "run lists the folder again", cause);
    }

    private static ItemFailure changed(String what, String how) {
        return new ItemFailure.Final("Cannot copy " + what + ": " + how + "; the partial copy was not renamed into place, "
                + "and the next run copies the new version", null);
    }

    /** Copies up to {@code limit} bytes through a fixed buffer, hashing them; {@code out} may be null (hash only). */
    static long transfer(InputStream in, OutputStream out, long limit, MessageDigest digest, BandwidthLimiter limiter)
            throws IOException {
        byte[] buffer = new byte[SftpEndpoint.IO_BUFFER];
        long total = 0;
        int n;
        while (total < limit && (n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total))) >= 0) {
            if (limiter != null) {
                try {
                    limiter.acquire(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            digest.update(buffer, 0, n);
            if (out != null) {
                out.write(buffer, 0, n);
            }
            total += n;
        }
        return total;
    }

    // ---- finish

    /** Nothing left for the end: the folders' times and modes are set at the end of every run ({@link #applyFolders}). */
    void finish(Migration migration, Context ctx) {
        applyFolders(migration, ctx);
    }

    /**
     * At the end of every run, whatever its items' outcome: creates every listed folder on the target (empty ones too)
     * and gives it the source's mtime and mode, deepest first (copying files into a folder changes its mtime, and a folder
     * made read-only first would refuse them). Only folders that are new, changed at the source, or touched on the target
     * since this hub last set them: a quiet run sets none.
     */
    void applyFolders(Migration migration, Context ctx) {
        List<Folder> folders = ctx.folders;
        if (folders == null) {
            return; // no listing in this process yet (the plan failed)
        }
        int set = 0;
        try {
            // folders this process has not set yet (a new process, the nightly run): asked all at once whether the
            // target's folder already has the source's mtime and mode, so that a quiet run sets none
            List<Folder> unknown = folders.stream().filter(f -> !ctx.appliedFolders.containsKey(f.path())
                    && f.attributes().mtimeMillis() != FileAttributes.UNKNOWN_MTIME).toList();
            List<Optional<FileAttributes>> there = ctx.target.statAll(unknown.stream().map(Folder::path).toList());
            for (int i = 0; i < unknown.size(); i++) {
                FileAttributes a = unknown.get(i).attributes();
                if (there.get(i).filter(t -> sameFolder(ctx, a, t)).isPresent()) {
                    ctx.appliedFolders.put(unknown.get(i).path(), a.mtimeMillis() + " " + a.permissions());
                }
            }
            for (Folder folder : folders) {
                FileAttributes a = folder.attributes();
                String key = a.mtimeMillis() + " " + a.permissions();
                if (key.equals(ctx.appliedFolders.get(folder.path())) && !ctx.touchedFolders.contains(folder.path())) {
                    continue;
                }
                ctx.target.mkdirs(folder.path());
                if (a.mtimeMillis() != FileAttributes.UNKNOWN_MTIME) { // an FTP server that cannot date the folder
                    ctx.target.setAttributes(folder.path(), a.mtimeMillis(), a.permissions());
                }
                ctx.appliedFolders.put(folder.path(), key);
                ctx.touchedFolders.remove(folder.path());
                if (!folder.path().isEmpty()) {
                    ctx.touchedFolders.add(parentOf(folder.path())); // if it was made now, its parent's mtime changed
                }
                set++;
            }
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot finish migration " + migration.describe()
                    + ": cannot set the folders of " + ctx.target.describe() + ": " + e, e);
        }
        LOG.info("Migration {}: {} of {} folders created or updated on {}", migration.name(), set, folders.size(),
                ctx.target.describe());
    }

    /** A target folder that has the source folder's mtime (to the second on SFTP, SFTP v3's unit) and mode bits. */
    private static boolean sameFolder(Context ctx, FileAttributes source, FileAttributes target) {
        boolean seconds = ctx.target instanceof SftpEndpoint || ctx.source instanceof SftpEndpoint;
        boolean mtime = seconds ? Math.floorDiv(source.mtimeMillis(), 1000) == Math.floorDiv(target.mtimeMillis(), 1000)
                : source.mtimeMillis() == target.mtimeMillis();
        return target.type() == FileAttributes.Type.DIRECTORY && mtime
                && (source.permissions() < 0 || target.permissions() >= 0 && (source.permissions() & 07777) == (target.permissions() & 07777));
    }

    /**
     * Files deleted (or renamed away) at the source after their verified copy. {@code deletions: report}: nothing is
     * removed (they stay GONE, a difference). {@code mirror}: the hub's copy is removed from the target if it is still the
     * hub's copy (same size as copied; else it stays GONE and the log says why), then its folders that became empty and
     * are no longer at the source; returns the ids removed.
     */
    java.util.Set<Long> deletedAtSource(Migration migration, Context ctx, List<LedgerItem> gone) {
        if (ctx.spec.deletions() != FilesOptions.Deletions.MIRROR) {
            return java.util.Set.of();
        }
        java.util.Set<Long> removed = new java.util.HashSet<>();
        java.util.TreeSet<String> emptied = new java.util.TreeSet<>(java.util.Comparator.reverseOrder()); // deepest first
        for (LedgerItem item : gone) {
            try {
                FileEntry entry = json.readValue(item.payload(), FileEntry.class);
                if (entry.refused() != null) {
                    continue;
                }
                Optional<FileAttributes> there = ctx.target.stat(entry.path());
                if (there.isPresent() && (!there.get().isFile() || item.byteCount() == null
                        || there.get().size() != item.byteCount())) {
                    LOG.warn("Migration {}: {} was deleted at the source, but the target's {} is not the hub's copy ({}): left there",
                            migration.name(), printable(entry.path()), there.get().type(), there.get().size() + " bytes");
                    continue;
                }
                ctx.target.delete(entry.path());
                removed.add(item.itemId());
                String dir = parentOf(entry.path());
                ctx.touchedFolders.add(dir);
                for (String d = dir; !d.isEmpty(); d = parentOf(d)) {
                    emptied.add(d);
                }
            } catch (IOException e) {
                LOG.warn("Migration {}: cannot remove {} from {}: {}", migration.name(), printable(item.key()),
                        ctx.target.describe(), e.toString());
            }
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        if (ctx.folders != null) {
            ctx.folders.forEach(f -> listed.add(f.path()));
        }
        for (String dir : emptied) {
            try {
                if (!listed.contains(dir) && ctx.source.stat(dir).isEmpty() && ctx.target.removeEmptyFolder(dir)) {
                    ctx.appliedFolders.remove(dir);
                    ctx.touchedFolders.remove(dir);
                    ctx.touchedFolders.add(parentOf(dir));
                    LOG.info("Migration {}: folder {} removed from {} (gone at the source, empty)", migration.name(),
                            printable(dir), ctx.target.describe());
                }
            } catch (IOException e) {
                LOG.warn("Migration {}: cannot remove the folder {} from {}: {}", migration.name(), printable(dir),
                        ctx.target.describe(), e.toString());
            }
        }
        LOG.info("Migration {}: {} of {} files deleted at the source removed from {} (deletions: mirror)", migration.name(),
                removed.size(), gone.size(), ctx.target.describe());
        return removed;
    }

    // ---- endpoints

    /** The secrets of one SFTP side: password and private key file, resolved now (an unset variable fails here). */
    private record Credentials(String password, String privateKeyFile, String passphrase) {
    }

    private Credentials credentials(FilesOptions options, FilesOptions.Location location, String side) {
        String password = options.secret(side, "password", environment::resolveRequiredPlaceholders);
        String key = options.secret(side, "privateKeyFile", environment::resolveRequiredPlaceholders);
        String passphrase = options.secret("", "privateKeyPassphrase", environment::resolveRequiredPlaceholders);
        if (password == null && key == null) {
            throw FilesOptions.invalid("parameter 'password' or 'privateKeyFile' is needed to log in to "
                    + location.describe() + "; e.g. privateKeyFile: /etc/hub/keys/id_ed25519 or password: ${SFTP_PASSWORD}");
        }
        return new Credentials(password, key, passphrase);
    }

    private FilesEndpoint open(Migration migration, FilesOptions options, FilesOptions.Location location, String side) {
        if (location.isFtp()) {
            return openFtp(migration, options, location, side);
        }
        if (!location.isSftp()) {
            return new LocalEndpoint(Path.of(location.path()));
        }
        Credentials credentials;
        try {
            credentials = credentials(options, location, side);
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe() + ": "
                    + e.getMessage(), e);
        }
        return new SftpEndpoint(location, credentials.password(), credentials.privateKeyFile() == null ? null
                : Path.of(credentials.privateKeyFile()), credentials.passphrase(), options.strictHostKeyChecking(), options.knownHostsFile());
    }

    /** An ftp:// or ftps:// source: the password (never inline) and, for ftps://, the trust store, read now. */
    private FilesEndpoint openFtp(Migration migration, FilesOptions options, FilesOptions.Location location, String side) {
        String password;
        String trustStorePassword;
        try {
            password = options.secret(side, "password", environment::resolveRequiredPlaceholders);
            trustStorePassword = options.secret("", "ftpTrustStorePassword", environment::resolveRequiredPlaceholders);
            if (password == null) {
                throw FilesOptions.invalid("parameter 'password' (or '" + side + "Password') is needed to log in to "
                        + location.describe() + "; e.g. password: ${FTP_PASSWORD} or file:/etc/hub/secrets/ftp-password");
            }
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot load migration " + migration.describe() + ": "
                    + e.getMessage(), e);
        }
        FtpEndpoint.Tls tls = "ftps".equals(location.scheme())
                ? new FtpEndpoint.Tls(options.ftpImplicit(), options.ftpTrustStore(), trustStorePassword, location.describe())
                : null;
        return new FtpEndpoint(location, password, options.ftpPassive(), tls);
    }

    private final class Context {
        final Migration migration;
        final FilesOptions spec;
        final FilesEndpoint source;
        final FilesEndpoint target;
        final Globs include;
        final Globs exclude;
        final BandwidthLimiter limiter;
        /** Target folders known to exist, so that 10,000 files in one folder cost one mkdir. */
        final Set<String> knownDirs = ConcurrentHashMap.newKeySet();
        /** The source's folders at the last listing, children first: set on the target at the end of every run. */
        volatile List<Folder> folders;
        /** Folder -> "mtime mode" this hub last set on the target. */
        final Map<String, String> appliedFolders = new ConcurrentHashMap<>();
        /** Target folders whose mtime changed since (a file renamed in or removed, a folder made in them). */
        final Set<String> touchedFolders = ConcurrentHashMap.newKeySet();

        Context(Migration migration, FilesOptions spec) {
            this.migration = migration;
            this.spec = spec;
            this.source = open(migration, spec, spec.source(), "source");
            this.target = open(migration, spec, spec.target(), "target");
            this.include = Globs.of(spec.include());
            this.exclude = Globs.of(spec.exclude());
            this.limiter = spec.bandwidthLimit() > 0 ? new BandwidthLimiter(spec.bandwidthLimit()) : null;
        }

        void close() {
            try {
                source.close();
                target.close();
            } catch (IOException e) {
                LOG.debug("Cannot close the endpoints of {}: {}", migration.name(), e.toString());
            }
        }
    }

    /** Names with newlines or control characters, written so that a log line stays one line. */
    static String printable(String path) {
        StringBuilder text = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            text.append(Character.isISOControl(c) ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return text.toString();
    }

    private static MessageDigest sha256() {
        return id.go.pdn.hub.core.Hashes.sha256();
    }
}
