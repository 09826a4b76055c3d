package id.go.pdn.hub.files;

import static id.go.pdn.hub.files.FilesTestSupport.route;
import static id.go.pdn.hub.files.FilesTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import id.go.pdn.hub.core.RunSummary;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.core.ledger.RunState;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FTP and FTPS sources end to end in one JVM: an embedded Apache FtpServer into an embedded SFTP server, verified by
 * SHA-256; a re-run copies nothing; explicit and implicit FTPS with a self-signed certificate trusted through
 * ftpTrustStore; an untrusted certificate fails with the fix; a download cut mid-way continues with REST.
 */
class FtpSourceTest {

    private static final String KEYSTORE_PASSWORD = "ftp-keystore";

    @TempDir
    Path dir;
    EmbeddedSftpServer target;
    Path knownHosts;

    @BeforeEach
    void servers() throws Exception {
        target = EmbeddedSftpServer.start(dir.resolve("target-server"), "pdn", "secret-target");
        knownHosts = target.appendKnownHost(dir.resolve("known_hosts"));
    }

    @AfterEach
    void stop() throws Exception {
        target.close();
    }

    private Map<String, String> parameters(String source) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("application", "arsip");
        p.put("source", source);
        p.put("target", "sftp://pdn@127.0.0.1:" + target.port() + "/arsip");
        p.put("sourcePassword", "${test.ftp.password}");
        p.put("targetPassword", "${test.sftp.password}");
        p.put("knownHostsFile", knownHosts.toString());
        return p;
    }

    private TestHub start(Map<String, String> parameters) throws Exception {
        return TestHub.builder(dir.resolve("hub")).property("test.sftp.password", "secret-target")
                .property("test.ftp.password", "secret-ftp").property("test.truststore.password", "trust-me")
                .route("files.yaml", route("arsip-files", parameters)).start();
    }

    /** Nested folders, names with spaces and non-ASCII letters, an empty file and an empty folder. */
    private static void sourceTree(Path root) throws Exception {
        FilesTestSupport.write(root.resolve("plain.txt"), "plain");
        FilesTestSupport.write(root.resolve("surat masuk/2024/januari/surat 001.txt"), "surat pertama");
        FilesTestSupport.write(root.resolve("surat masuk/2024/februari/ñoman 文件.txt"), "unicode");
        FilesTestSupport.write(root.resolve("surat masuk/kosong.txt"), "");
        FilesTestSupport.bigFile(root.resolve("scans/big.bin"), 3 << 20);
        Files.createDirectories(root.resolve("empty folder/inner"));
        Files.setLastModifiedTime(root.resolve("plain.txt"), FileTime.fromMillis(1_600_000_000_000L));
        Files.setLastModifiedTime(root.resolve("surat masuk/2024/januari"), FileTime.fromMillis(1_500_000_000_000L));
    }

    @Test
    void aNestedTreeOverFtpIsCopiedVerifiedWithItsTimesThenNothingIsCopiedAgain() throws Exception {
        try (EmbeddedFtpServer ftp = EmbeddedFtpServer.plain(dir.resolve("ftp-root"), "app", "secret-ftp")) {
            Path source = ftp.root().resolve("uploads");
            sourceTree(source);
            Path copied = target.root().resolve("arsip");
            try (TestHub hub = start(parameters("ftp://app@127.0.0.1:" + ftp.port() + "/uploads"))) {
                RunSummary first = hub.run("arsip-files");
                assertThat(first.state()).as(first.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(first.itemsVerified()).isEqualTo(5);
                assertThat(tree(copied, false)).isEqualTo(tree(source, false));
                assertThat(Files.getLastModifiedTime(copied.resolve("plain.txt")).toMillis()).isEqualTo(1_600_000_000_000L);
                assertThat(Files.getLastModifiedTime(copied.resolve("surat masuk/2024/januari")).toMillis())
                        .as("folders get the source's mtime (MLSD's)").isEqualTo(1_500_000_000_000L);
                assertThat(Files.isDirectory(copied.resolve("empty folder/inner"))).isTrue();
                FilesTestSupport.assertNoPartFiles(copied);
                assertThat(hub.ledger().items("arsip-files", ItemStatus.VERIFIED))
                        .allMatch(i -> i.sourceChecksum().length() == 64 && i.sourceChecksum().equals(i.targetChecksum()));
                assertThat(ftp.commands).as("listed with MLSD, not LIST").anyMatch(c -> c.startsWith("MLSD"))
                        .noneMatch(c -> c.startsWith("LIST"));

                RunSummary again = hub.run("arsip-files");
                assertThat(again.state()).isEqualTo(RunState.SUCCEEDED);
                assertThat(again.bytes()).as("a re-run with nothing new copies nothing").isZero();

                FilesTestSupport.write(source.resolve("surat masuk/kosong.txt"), "tidak kosong lagi");
                RunSummary third = hub.run("arsip-files");
                assertThat(third.state()).as(third.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(third.bytes()).isEqualTo("tidak kosong lagi".length());
                assertThat(tree(copied, false)).isEqualTo(tree(source, false));
            }
        }
    }

    @Test
    void explicitFtpsWithASelfSignedCertificateInAPkcs12TrustStore() throws Exception {
        Path keystore = selfSigned(dir, "127.0.0.1");
        Path trustStore = trustStore(keystore, dir.resolve("trust.p12"), "trust-me");
        try (EmbeddedFtpServer ftp = EmbeddedFtpServer.tls(dir.resolve("ftp-root"), "app", "secret-ftp", keystore, KEYSTORE_PASSWORD, false)) {
            sourceTree(ftp.root().resolve("uploads"));
            Map<String, String> p = parameters("ftps://app@127.0.0.1:" + ftp.port() + "/uploads");
            p.put("ftpTrustStore", trustStore.toString());
            p.put("ftpTrustStorePassword", "${test.truststore.password}");
            try (TestHub hub = start(p)) {
                RunSummary run = hub.run("arsip-files");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(tree(target.root().resolve("arsip"), false)).isEqualTo(tree(ftp.root().resolve("uploads"), false));
            }
            assertThat(ftp.commands).as("TLS on the control connection, then on the data connections").contains("AUTH TLS", "PROT P")
                    .noneMatch(c -> c.startsWith("PROT C"));
        }
    }

    @Test
    void implicitFtpsWithTheServersCertificateAsAPemFile() throws Exception {
        Path keystore = selfSigned(dir, "127.0.0.1");
        Path pem = pem(keystore, dir.resolve("server.pem"));
        try (EmbeddedFtpServer ftp = EmbeddedFtpServer.tls(dir.resolve("ftp-root"), "app", "secret-ftp", keystore, KEYSTORE_PASSWORD, true)) {
            sourceTree(ftp.root().resolve("uploads"));
            Map<String, String> p = parameters("ftps://app@127.0.0.1:" + ftp.port() + "/uploads");
            p.put("ftpTls", "implicit");
            p.put("ftpTrustStore", pem.toString());
            try (TestHub hub = start(p)) {
                RunSummary run = hub.run("arsip-files");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(tree(target.root().resolve("arsip"), false)).isEqualTo(tree(ftp.root().resolve("uploads"), false));
            }
            assertThat(ftp.commands).contains("PROT P").doesNotContain("AUTH TLS");
        }
    }

    @Test
    void anUntrustedCertificateFailsTheRunNamingItAndTheParameterThatTrustsIt() throws Exception {
        Path keystore = selfSigned(dir, "127.0.0.1");
        try (EmbeddedFtpServer ftp = EmbeddedFtpServer.tls(dir.resolve("ftp-root"), "app", "secret-ftp", keystore, KEYSTORE_PASSWORD, false)) {
            FilesTestSupport.write(ftp.root().resolve("uploads/a.txt"), "a");
            try (TestHub hub = start(parameters("ftps://app@127.0.0.1:" + ftp.port() + "/uploads"))) {
                RunSummary run = hub.run("arsip-files");
                assertThat(run.state()).isEqualTo(RunState.FAILED);
                assertThat(run.toString()).as("the run's line names the route").startsWith("arsip-files ");
                assertThat(run.message()).contains("ftps://app@127.0.0.1:" + ftp.port() + "/uploads",
                        "untrusted TLS certificate", "CN=localhost", "SHA-256 fingerprint", "set parameter 'ftpTrustStore'",
                        "openssl s_client -connect 127.0.0.1:" + ftp.port() + " -starttls ftp")
                        .doesNotContain("secret-ftp");
            }
            assertThat(ftp.commands).as("nothing sent after the refused handshake").doesNotContain("PASS ***");
        }
    }

    @Test
    void aCertificateForAnotherNameFailsSayingWhichNamesItHolds() throws Exception {
        Path keystore = selfSigned(dir, "10.9.8.7");
        Path pem = pem(keystore, dir.resolve("server.pem"));
        try (EmbeddedFtpServer ftp = EmbeddedFtpServer.tls(dir.resolve("ftp-root"), "app", "secret-ftp", keystore, KEYSTORE_PASSWORD, false)) {
            FilesTestSupport.write(ftp.root().resolve("uploads/a.txt"), "a");
            Map<String, String> p = parameters("ftps://app@127.0.0.1:" + ftp.port() + "/uploads");
            p.put("ftpTrustStore", pem.toString());
            try (TestHub hub = start(p)) {
                RunSummary run = hub.run("arsip-files");
                assertThat(run.state()).isEqualTo(RunState.FAILED);
                assertThat(run.message()).contains("does not name 127.0.0.1", "IP:10.9.8.7",
                        "write the source with a host name the certificate holds");
            }
        }
    }

    @Test
    void aDownloadCutMidWayContinuesWithRestAndIsVerified() throws Exception {
        try (EmbeddedFtpServer ftp = EmbeddedFtpServer.plain(dir.resolve("ftp-root"), "app", "secret-ftp")) {
            Path source = ftp.root().resolve("scans");
            FilesTestSupport.bigFile(source.resolve("big.bin"), 8 << 20);
            FilesTestSupport.write(source.resolve("small.txt"), "small");
            ftp.cutDownloads(3 << 20, 1);
            Map<String, String> p = parameters("ftp://app@127.0.0.1:" + ftp.port() + "/scans");
            p.put("parallelism", "1");
            try (TestHub hub = start(p)) {
                RunSummary run = hub.run("arsip-files");
                assertThat(run.state()).as(run.toString()).isEqualTo(RunState.SUCCEEDED);
                assertThat(ftp.cutsLeft()).as("the cut happened").isLessThanOrEqualTo(0);
                LedgerItem big = hub.ledger().items("arsip-files", ItemStatus.VERIFIED).stream()
                        .filter(i -> i.key().equals("big.bin")).findFirst().orElseThrow();
                assertThat(big.attempts()).as("continued within the first attempt, not copied again").isEqualTo(1);
                assertThat(big.sourceChecksum()).isEqualTo(FilesTestSupport.sha256(source.resolve("big.bin")))
                        .isEqualTo(big.targetChecksum());
            }
            assertThat(ftp.commands).as("continued where it stopped").anyMatch(c -> c.matches("REST [1-9]\\d*"));
            assertThat(tree(target.root().resolve("arsip"), false)).isEqualTo(tree(source, false));
        }
    }

    // ---- certificates

    /** A self-signed EC key for {@code ip} (and localhost), made by the JDK's keytool, in a PKCS12 key store. */
    static Path selfSigned(Path dir, String ip) throws Exception {
        Path keystore = dir.resolve("ftp-" + ip + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "ftp", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=ip:" + ip + ",dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return keystore;
    }

    private static Certificate certificate(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, KEYSTORE_PASSWORD.toCharArray());
        }
        return store.getCertificate("ftp");
    }

    /** A PKCS12 trust store with the server's certificate only, protected by {@code password}. */
    static Path trustStore(Path keystore, Path file, String password) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ftp-server", certificate(keystore));
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, password.toCharArray());
        }
        return file;
    }

    static Path pem(Path keystore, Path file) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate(keystore).getEncoded());
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
        return file;
    }
}
