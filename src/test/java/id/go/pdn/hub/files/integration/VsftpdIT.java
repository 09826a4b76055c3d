package id.go.pdn.hub.files.integration;

import static id.go.pdn.hub.files.FilesTestSupport.route;
import static id.go.pdn.hub.files.FilesTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.files.FilesTestSupport;
import id.go.pdn.hub.support.ExternalServers;
import id.go.pdn.hub.support.Needs;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FTP and FTPS sources against Debian's vsftpd (started, and installed if missing, by {@code .ci/ftpd.sh start}
 * through {@link Needs}): plain FTP, explicit FTPS (AUTH TLS) and implicit FTPS, with vsftpd's default
 * require_ssl_reuse=YES; vsftpd has no MLSD, so the hub lists with LIST -a plus MDTM per file, and the files' mtimes
 * and modes still arrive exactly; a transfer whose server session is killed mid-way continues with REST.
 */
@Needs(ExternalServers.Server.VSFTPD)
class VsftpdIT {

    static Properties ftpd;

    @TempDir
    Path dir;
    Path source;
    Path target;

    @BeforeAll
    static void vsftpd() {
        ftpd = ExternalServers.vsftpd();
    }

    @BeforeEach
    void folders() throws IOException {
        source = Path.of(ftpd.getProperty("data"), "it-" + System.nanoTime(), "src");
        Files.createDirectories(source);
        target = dir.resolve("target");
    }

    @AfterEach
    void clean() throws IOException {
        try (var paths = Files.walk(source.getParent())) {
            for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private Map<String, String> parameters(String scheme, int port) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("application", "arsip");
        p.put("source", scheme + "://" + ftpd.getProperty("user") + "@127.0.0.1:" + port + source);
        p.put("target", "file:" + target);
        p.put("password", "file:" + ftpd.getProperty("passwordFile"));
        return p;
    }

    private TestHub start(Map<String, String> parameters) throws Exception {
        return TestHub.builder(dir.resolve("hub")).route("files.yaml", route("arsip-files", parameters)).start();
    }

    private void sourceTree() throws IOException {
        FilesTestSupport.write(source.resolve("plain.txt"), "plain");
        FilesTestSupport.write(source.resolve(".hidden"), "a dot file");
        FilesTestSupport.write(source.resolve("surat masuk/2024/januari/surat 001.txt"), "surat pertama");
        FilesTestSupport.write(source.resolve("surat masuk/2024/ñoman 文件.txt"), "unicode");
        FilesTestSupport.write(source.resolve("surat masuk/kosong.txt"), "");
        FilesTestSupport.bigFile(source.resolve("scans/big.bin"), 2 << 20);
        Files.createDirectories(source.resolve("empty folder"));
        Path exec = source.resolve("bin/run.sh");
        FilesTestSupport.write(exec, "#!/bin/sh\n");
        Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(source.resolve("plain.txt"), FileTime.fromMillis(1_600_000_000_000L));
        Files.setLastModifiedTime(exec, FileTime.fromMillis(1_700_000_001_000L));
        ownedByFtpUser();
    }

    /** The tree belongs to the FTP user, as on a real server (run.sh's 0750 would keep others out). */
    private void ownedByFtpUser() throws IOException {
        try {
            Process p = new ProcessBuilder("chown", "-R", ftpd.getProperty("user") + ":", source.getParent().toString()).inheritIO().start();
            assertThat(p.waitFor()).as("chown").isZero();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private String log() throws IOException {
        return Files.readString(Path.of(ftpd.getProperty("log")));
    }

    @Test
    void plainFtpListsWithListAndMdtmKeepsMtimesAndModesThenCopiesNothing() throws Exception {
        sourceTree();
        int logStart = log().length();
        try (TestHub hub = start(parameters("ftp", Integer.parseInt(ftpd.getProperty("port"))))) {
            RunSummary first = hub.run("arsip-files");
            assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(first.itemsVerified()).isEqualTo(7);
            assertThat(tree(target, true)).isEqualTo(tree(source, true));
            assertThat(Files.getLastModifiedTime(target.resolve("plain.txt")).toMillis()).isEqualTo(1_600_000_000_000L);
            assertThat(Files.getLastModifiedTime(target.resolve("bin/run.sh")).toMillis()).isEqualTo(1_700_000_001_000L);
            assertThat(Files.isDirectory(target.resolve("empty folder"))).isTrue();
            assertThat(hub.ledger().items("arsip-files", ItemStatus.VERIFIED))
                    .allMatch(i -> i.sourceChecksum().length() == 64 && i.sourceChecksum().equals(i.targetChecksum()));
            String session = log().substring(logStart);
            assertThat(session).as("vsftpd has no MLSD: LIST -a and MDTM").contains("\"LIST -a\"", "\"MDTM ")
                    .doesNotContain("\"MLSD");

            RunSummary again = hub.run("arsip-files");
            assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.bytes()).as("a re-run with nothing new copies nothing").isZero();
        }
    }

    @Test
    void explicitFtpsWithTlsSessionReuseRequired() throws Exception {
        sourceTree();
        int logStart = log().length();
        Map<String, String> p = parameters("ftps", Integer.parseInt(ftpd.getProperty("port")));
        p.put("ftpTrustStore", ftpd.getProperty("certificate"));
        try (TestHub hub = start(p)) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(tree(target, true)).isEqualTo(tree(source, true));
        }
        assertThat(log().substring(logStart)).contains("\"AUTH TLS\"", "\"PROT P\"").doesNotContain("session reuse required");
    }

    @Test
    void implicitFtps() throws Exception {
        sourceTree();
        Map<String, String> p = parameters("ftps", Integer.parseInt(ftpd.getProperty("implicitPort")));
        p.put("ftpTls", "implicit");
        p.put("ftpTrustStore", ftpd.getProperty("certificate"));
        try (TestHub hub = start(p)) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            assertThat(tree(target, true)).isEqualTo(tree(source, true));
        }
    }

    @Test
    void anUntrustedCertificateIsAClearError() throws Exception {
        FilesTestSupport.write(source.resolve("a.txt"), "a");
        int port = Integer.parseInt(ftpd.getProperty("port"));
        try (TestHub hub = start(parameters("ftps", port))) {
            RunSummary run = hub.run("arsip-files");
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.message()).contains("untrusted TLS certificate", "set parameter 'ftpTrustStore'",
                    "openssl s_client -connect 127.0.0.1:" + port + " -starttls ftp");
        }
    }

    /** The vsftpd session serving the download is killed mid-way: the hub logs in again and continues with REST. */
    @Test
    void aKilledSessionIsContinuedWithRest() throws Exception {
        FilesTestSupport.bigFile(source.resolve("big.bin"), 48L << 20);
        ownedByFtpUser();
        int logStart = log().length();
        Map<String, String> p = parameters("ftps", Integer.parseInt(ftpd.getProperty("port")));
        p.put("ftpTrustStore", ftpd.getProperty("certificate"));
        p.put("parallelism", "1");
        p.put("bandwidthLimit", String.valueOf(8L << 20)); // about 6 s: time to cut it
        long listener = Long.parseLong(Files.readString(Path.of(ftpd.getProperty("pidFile"))).strip());
        Path part = target.resolve(".big.bin.hub-part");
        try (TestHub hub = start(p)) {
            CompletableFuture<Integer> killer = CompletableFuture.supplyAsync(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                try {
                    while (System.nanoTime() < deadline && (!Files.exists(part) || Files.size(part) < (12L << 20))) {
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    return -1;
                }
                int[] killed = new int[1];
                ProcessHandle.of(listener).orElseThrow().children().forEach(session -> {
                    session.descendants().forEach(ProcessHandle::destroyForcibly);
                    session.destroyForcibly();
                    killed[0]++;
                });
                return killed[0];
            });
            RunSummary run = hub.run("arsip-files");
            assertThat(killer.get(10, TimeUnit.SECONDS)).as("vsftpd sessions killed mid-transfer").isPositive();
            assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
            LedgerItem big = hub.ledger().items("arsip-files", ItemStatus.VERIFIED).get(0);
            assertThat(big.attempts()).as("continued within its first attempt").isEqualTo(1);
            assertThat(big.sourceChecksum()).isEqualTo(FilesTestSupport.sha256(source.resolve("big.bin")));
        }
        assertThat(log().substring(logStart)).containsPattern("\"REST [1-9][0-9]*\"");
        assertThat(tree(target, false)).isEqualTo(tree(source, false));
    }
}
