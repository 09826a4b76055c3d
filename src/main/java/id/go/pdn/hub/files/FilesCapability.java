package id.go.pdn.hub.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * listed again on every run so that only new or changed files are copied); copy = stream the file into a hidden
 * temporary name beside its final name, hashing it with SHA-256 on the way, read it back (verify: full), set its
 * mtime and mode, then rename it over the final name; finish = create the folders (empty ones too) with their
 * mtime and mode.
 * <p>
 * Policies: symbolic links are skipped with a warning (never followed, so nothing outside the source root is read);
 * a remote name containing '/' is refused (it could escape the target root) and shows as a FAILED item; a file
 * that changes or vanishes while it is read fails its item, and the next run copies it again.
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
        @Override public PlanSurvey survey(List<LedgerItem> verified) { return FilesCapability.this.survey(migration, ctx(), verified); }
        @Override public ItemOutcome copy(LedgerItem item) throws Exception { return FilesCapability.this.copy(migration, ctx(), item); }
        @Override public ItemOutcome verify(LedgerItem item) throws Exception { return FilesCapability.this.verify(migration, ctx(), item); }
        @Override public void finish() { FilesCapability.this.finish(migration, ctx()); }

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
        try {
            listSource(migration, ctx, entry -> items.add(item(entry)));
            ctx.target.mkdirs("");
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot plan migration " + migration.describe()
                    + ": cannot list " + ctx.source.describe() + ": " + e, e);
        }
        return items;
    }

    /**
     * Lists the source with the include and exclude globs: every selected file, and every selected entry that cannot
     * be copied (a fifo, a hostile name) as a refused entry, which the plan shows as a FAILED item. Symbolic links and
     * unreadable folders are skipped with a warning; returns how many.
     */
    private int listSource(Migration migration, Context ctx, java.util.function.Consumer<FileEntry> found) throws IOException {
        int[] skipped = new int[1];
        ctx.source.walk(new Selecting(ctx) {
            @Override
            public void file(String path, FileAttributes a) {
                if (selected(path)) {
                    found.accept(new FileEntry(path, a.size(), a.mtimeMillis(), a.permissions(), null));
                }
            }

            @Override
            public void skipped(String path, FileAttributes.Type type, String reason) {
                if (!selected(path)) {
                    return; // an excluded fifo, socket or unreadable entry is no concern of this migration
                }
                if (type == FileAttributes.Type.SYMLINK || type == FileAttributes.Type.DIRECTORY) {
                    if (skipped[0]++ < MAX_SKIPS_LOGGED) {
                        LOG.warn("Migration {}: skipping {}: {}", migration.name(), printable(path), reason);
                    }
                } else {
                    found.accept(FileEntry.refused(path, reason)); // visible in the ledger as FAILED
                }
            }
        });
        if (skipped[0] > 0) {
            LOG.warn("Migration {}: {} symbolic links or unreadable folders skipped", migration.name(), skipped[0]);
        }
        return skipped[0];
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
        int skipped;
        try {
            skipped = listSource(migration, ctx, entry -> {
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
            });
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
        if (skipped > 0) {
            notes.add(skipped + " symbolic links or unreadable folders skipped");
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
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return ".hub-" + java.util.HexFormat.of().formatHex(hash, 0, 8) + PART_SUFFIX;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private PlannedItem item(FileEntry entry) {
        try {
            return new PlannedItem(entry.path(), json.writeValueAsString(entry));
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
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash);
        String part = (slash < 0 ? "" : dir + "/") + partName(path.substring(slash + 1));
        if (!dir.isEmpty() && !ctx.knownDirs.contains(dir)) {
            ctx.target.mkdirs(dir); // several workers may race here: mkdirs tolerates a folder made meanwhile
            ctx.knownDirs.add(dir);
        }

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
                try (OutputStream out = ctx.target.write(part, offset)) {
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
        // the final name only ever shows a complete, verified file; its mode and mtime come right after the rename, so a
        // part never turns read-only (a 0444 source) before it is in place; a crash between the two leaves the item
        // unverified, and the next run copies it again
        ctx.target.rename(part, path);
        ctx.target.setAttributes(path, entry.mtime(), entry.permissions());
        return new ItemOutcome(1, read, sourceSum, targetSum);
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

    /** Creates every listed folder on the target (empty ones too) and gives it the source's mtime and mode, deepest first. */
    void finish(Migration migration, Context ctx) {
        List<Object[]> dirs = new ArrayList<>();
        try {
            ctx.source.walk(new Selecting(ctx) {
                @Override
                public void directoryDone(String path, FileAttributes a, int children) {
                    dirs.add(new Object[] {path, a}); // post-order: children before their parent
                }

                @Override
                public void skipped(String path, FileAttributes.Type type, String reason) {
                }
            });
            for (Object[] d : dirs) {
                String path = (String) d[0];
                FileAttributes a = (FileAttributes) d[1];
                ctx.target.mkdirs(path);
                ctx.target.setAttributes(path, a.mtimeMillis(), a.permissions());
            }
        } catch (IOException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot finish migration " + migration.describe()
                    + ": cannot set the folders of " + ctx.target.describe() + ": " + e, e);
        }
        LOG.info("Migration {}: {} folders created or updated on {}", migration.name(), dirs.size(), ctx.target.describe());
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
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
