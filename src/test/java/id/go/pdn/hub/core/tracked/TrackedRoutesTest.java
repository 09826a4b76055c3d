package id.go.pdn.hub.core.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import id.go.pdn.hub.files.EmbeddedSftpServer;
import id.go.pdn.hub.support.TestHub;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import id.go.pdn.hub.mail.ImapTestClient;
import id.go.pdn.hub.mail.MailSamples;
import id.go.pdn.hub.support.HubCli;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 16 item 4: the worked examples in routes/examples/ run as they are, against embedded servers: an FTP drop
 * folder (Apache FtpServer) into SFTP (MINA SSHD), an H2 query exported as CSV files onto SFTP. Each exchange is an
 * item in the ledger (COPIED, or VERIFIED where the route compared), a restarted hub skips what is done, and each route
 * has its MBean. A POP3 mailbox into IMAP (GreenMail both sides): exact bytes appended by hubImapAppend, read back and
 * VERIFIED, nothing twice; the route in the live status, status --ledger and its application's report.
 */
class TrackedRoutesTest {

    @RegisterExtension
    static GreenMailExtension mailSource = new GreenMailExtension(new ServerSetup[] {ServerSetupTest.POP3.dynamicPort(),
            ServerSetupTest.IMAP.dynamicPort()});
    @RegisterExtension
    static GreenMailExtension mailTarget = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort());

    /** Delivered through a server: its internal date on the target is the Received: date, 3 Jan 2023 10:15:30 +0700. */
    static final byte[] RECEIVED = ("Received: from mx2.dinas.go.id by mail.dinas.go.id; Tue, 3 Jan 2023 10:15:30 +0700\r\n"
            + "From: budi@dinas.go.id\r\nTo: arsip@dinas.go.id\r\nSubject: diterima\r\nDate: Mon, 2 Jan 2023 09:00:00 +0700\r\n"
            + "Message-ID: <rcv-1@dinas.go.id>\r\n\r\nisi\r\n.titik di awal baris\r\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    FtpServer ftp;
    int ftpPort;
    EmbeddedSftpServer sftp;
    Path knownHosts;
    String suratUrl;

    @BeforeEach
    void servers() throws Exception {
        Path drop = Files.createDirectories(dir.resolve("ftp/laporan/2024"));
        Files.writeString(drop.getParent().resolve("januari.pdf"), "laporan januari", StandardCharsets.UTF_8);
        Files.writeString(drop.getParent().resolve("februari.pdf"), "laporan februari", StandardCharsets.UTF_8);
        Files.write(drop.resolve("arsip.bin"), new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'});
        ftpPort = TestHub.freePort();
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(ftpPort);
        factory.addListener("default", listener.createListener());
        var users = new PropertiesUserManagerFactory().createUserManager();
        BaseUser user = new BaseUser();
        user.setName("dinas");
        user.setPassword("dinas-pw");
        user.setHomeDirectory(dir.resolve("ftp").toString());
        user.setAuthorities(List.<Authority>of(new WritePermission()));
        users.save(user);
        factory.setUserManager(users);
        ftp = factory.createServer();
        ftp.start();

        sftp = EmbeddedSftpServer.start(Files.createDirectories(dir.resolve("sftp")), "pdn", "pdn-pw");
        knownHosts = sftp.appendKnownHost(dir.resolve("known_hosts"));

        suratUrl = "jdbc:h2:mem:surat-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource surat = new JdbcDataSource();
        surat.setURL(suratUrl);
        surat.setUser("sa");
        JdbcTemplate jdbc = new JdbcTemplate(surat);
        jdbc.execute("CREATE TABLE surat (id INT PRIMARY KEY, nomor VARCHAR(40), perihal VARCHAR(200), tanggal DATE)");
        jdbc.update("INSERT INTO surat VALUES (1, '800/1/2024', 'Undangan rapat', DATE '2024-01-05'), "
                + "(2, '800/2/2024', 'Laporan bulanan', DATE '2024-02-01'), (3, '800/3/2024', 'Cuti tahunan', DATE '2024-03-11')");
    }

    @AfterEach
    void stop() throws Exception {
        ftp.stop();
        sftp.close();
    }

    @Test
    void theWorkedExamplesCopyEachExchangeOnceAndTrackItInTheLedger() throws Exception {
        try (TestHub hub = hub()) {
            JdbcTemplate ledger = hub.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(ledger, "laporan-ftp", "COPIED") == 3
                    && count(ledger, "surat-csv", "VERIFIED") == 3);
            assertThat(Files.readString(dir.resolve("sftp/laporan/januari.pdf"))).isEqualTo("laporan januari");
            assertThat(Files.readAllBytes(dir.resolve("sftp/laporan/2024/arsip.bin"))).containsExactly(0, 1, 2, 0xff, '\r', '\n');
            assertThat(Files.readString(dir.resolve("sftp/surat/surat-2.csv")))
                    .isEqualTo("id,nomor,perihal,tanggal\n2,800/2/2024,\"Laporan bulanan\",2024-02-01\n");
            assertThat(ledger.queryForList("SELECT item_key FROM hub_item WHERE migration = 'surat-csv' ORDER BY seq", String.class))
                    .containsExactly("surat 1", "surat 2", "surat 3");
            await().atMost(Duration.ofSeconds(20)).until(() -> runs(ledger, "laporan-ftp", "SUCCEEDED") >= 1
                    && runs(ledger, "surat-csv", "SUCCEEDED") >= 1);
            assertThat(ledger.queryForObject("SELECT application FROM hub_migration WHERE name = 'laporan-ftp' AND kind = 'tracked'",
                    String.class)).isEqualTo("simpeg");
            assertThat(mbean("laporan-ftp", "ItemsCopied")).isEqualTo(3L);
            assertThat(mbean("surat-csv", "ItemsVerified")).isEqualTo(3L);

        }
        Files.writeString(dir.resolve("ftp/laporan/maret.pdf"), "laporan maret", StandardCharsets.UTF_8);
        // a new hub on the same ledger: only the new file; what the ledger holds as done is skipped
        try (TestHub hub = hub()) {
            JdbcTemplate ledger = hub.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(ledger, "laporan-ftp", "COPIED") == 4
                    && (long) mbean("laporan-ftp", "ItemsSkipped") == 3 && (long) mbean("surat-csv", "ItemsSkipped") == 3);
            assertThat(mbean("laporan-ftp", "ItemsCopied")).as("only maret.pdf").isEqualTo(1L);
            assertThat(mbean("surat-csv", "ItemsVerified")).isEqualTo(0L);
            assertThat(Files.readString(dir.resolve("sftp/laporan/maret.pdf"))).isEqualTo("laporan maret");
            assertThat(ledger.queryForObject("SELECT MAX(attempts) FROM hub_item WHERE migration = 'laporan-ftp'", Integer.class))
                    .isEqualTo(1);
        }
    }

    @Test
    void aTargetThatRefusesEndsDeadAfterTheRetriesAndOnTheDeadLetterQueue() throws Exception {
        String broken = Files.readString(Path.of("routes/examples/tracked-ftp-to-sftp.yaml"))
                .replace("password: \"{{laporan.sftp.password}}\"", "password: wrong-password");
        int broker = TestHub.freePort();
        try (TestHub hub = builder().route("broken.yaml", broken).property("hub.queue.embedded-port", String.valueOf(broker)).start()) {
            JdbcTemplate ledger = hub.bean(JdbcTemplate.class);
            // 3 files, each tried 4 times; a refused SFTP login takes about 2 s here
            await().atMost(Duration.ofSeconds(150)).until(() -> count(ledger, "laporan-ftp", "DEAD") == 3);
            assertThat(ledger.queryForList("SELECT last_error FROM hub_item WHERE migration = 'laporan-ftp'", String.class))
                    .allSatisfy(e -> assertThat(e).contains("of tracked route laporan-ftp").contains("after 3 retries")
                            .contains("sent to jms:queue:hub.DLQ"));
            assertThat(mbean("laporan-ftp", "ItemsDead")).isEqualTo(3L);
            await().atMost(Duration.ofSeconds(20)).until(() -> runs(ledger, "laporan-ftp", "FAILED") >= 1);
            var deadLetters = hub.bean(id.go.pdn.hub.core.queue.DeadLetters.class);
            assertThat(deadLetters.list("laporan-ftp")).hasSizeGreaterThanOrEqualTo(3);

            // dlq replay: a migration's letter goes back to the work queue, a tracked route's stay (no work-queue item)
            hub.bean(org.springframework.jms.core.JmsTemplate.class).send("hub.DLQ", session -> {
                var letter = session.createTextMessage("{}");
                letter.setStringProperty("HubMigration", "izin-db");
                letter.setStringProperty("HubItemKey", "IZIN [0, 100)");
                letter.setStringProperty("HubError", "connection reset");
                return letter;
            });
            int trackedLetters = deadLetters.list("laporan-ftp").size();
            String replayed = HubCli.ok("--data-dir", dir.resolve("hub").toString(), "dlq", "replay", "--port", String.valueOf(broker));
            assertThat(replayed).contains("1 dead letters sent back to the work queue; " + trackedLetters + " of tracked routes skipped")
                    .contains("of tracked routes skipped (laporan-ftp): a tracked route has no work-queue item");
            assertThat(deadLetters.list("laporan-ftp")).as("still on the dead-letter queue").hasSize(trackedLetters);
            assertThat(HubCli.ok("--data-dir", dir.resolve("hub").toString(), "dlq", "replay", "-m", "laporan-ftp", "--port",
                    String.valueOf(broker))).contains("0 dead letters sent back to the work queue; " + trackedLetters
                    + " of tracked routes skipped");
        }
    }

    @Test
    void aPop3MailboxGoesIntoImapExactlyVerifiedAndNothingTwice() throws Exception {
        mailSource.setUser("arsip@dinas.go.id", "arsip", "arsip-src");
        mailTarget.setUser("arsip@pdn.go.id", "arsip@pdn", "arsip-tgt");
        Files.createDirectories(dir.resolve("hub"));
        Path imapPassword = Files.writeString(dir.resolve("imap.password"), "arsip-tgt\n");
        List<byte[]> sent = List.of(RECEIVED, MailSamples.plain("p1", "Surat", "satu"), MailSamples.malformed(),
                MailSamples.plain("p1", "Surat", "satu"), // saved twice: one Message-ID, two UIDLs, two copies
                MailSamples.large("big", 3 * 1024 * 1024)); // spooled, not held on the heap
        try (ImapTestClient src = new ImapTestClient("127.0.0.1", mailSource.getImap().getPort(), "arsip", "arsip-src")) {
            for (byte[] message : sent) {
                src.append("INBOX", message, MailSamples.flags(), MailSamples.day(9));
            }
        }
        int management = TestHub.freePort();
        String base = "http://127.0.0.1:" + management;
        try (TestHub hub = pop3Hub("file:" + imapPassword).serving(management).start()) {
            JdbcTemplate ledger = hub.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(ledger, "arsip-pop3", "VERIFIED") == 5);
            List<ImapTestClient.Stored> copied = target();
            assertThat(copied).hasSize(5);
            List<String> held;
            try (ImapTestClient src = new ImapTestClient("127.0.0.1", mailSource.getImap().getPort(), "arsip", "arsip-src")) {
                held = src.messages("INBOX").stream().map(ImapTestClient.Stored::text).sorted().toList(); // GreenMail's 8-bit
            }
            assertThat(copied.stream().map(ImapTestClient.Stored::text).sorted().toList()).as("the exact bytes").isEqualTo(held);
            assertThat(copied).anySatisfy(m -> assertThat(m.bytes()).as("a line starting with a dot, unstuffed").isEqualTo(RECEIVED));
            assertThat(copied.stream().filter(m -> m.text().contains("rcv-1")).findFirst().orElseThrow().internalDate())
                    .as("first Received: header").isEqualTo(new java.util.Date(1672715730000L));
            assertThat(ledger.queryForList("SELECT item_key FROM hub_item WHERE migration = 'arsip-pop3'", String.class))
                    .hasSize(5).doesNotHaveDuplicates()
                    .allSatisfy(k -> assertThat(k).startsWith("arsip uidl ").doesNotContain("@dinas.go.id"));
            assertThat(ledger.queryForObject("SELECT SUM(byte_count) FROM hub_item WHERE migration = 'arsip-pop3'", Long.class))
                    .isEqualTo(held.stream().mapToLong(String::length).sum());
            await().atMost(Duration.ofSeconds(20)).until(() -> runs(ledger, "arsip-pop3", "SUCCEEDED") >= 1);
            assertThat(mbean("arsip-pop3", "ItemsVerified")).isEqualTo(5L);

            // the live status shows the tracked route beside the migrations
            String table = HubCli.ok("--data-dir", dir.resolve("hub").toString(), "status", "--once", "--url", base);
            assertThat(table).containsPattern("arsip-pop3\\s+simpeg\\s+track\\S*\\s+SUCCEEDED\\s+\\[#{24}] 100%\\s+5/5")
                    .contains("5 verified by the route, 0 copied");
            String json = HubCli.ok("--data-dir", dir.resolve("hub").toString(), "status", "--json", "--url", base);
            assertThat(json).contains("\"Name\" : \"arsip-pop3\"", "\"Kind\" : \"tracked\"");
        }
        // a new hub on the same ledger: every message is skipped as done, nothing appended twice
        try (TestHub hub = pop3Hub("file:" + imapPassword).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> (long) mbean("arsip-pop3", "ItemsSkipped") == 5);
            assertThat(mbean("arsip-pop3", "ItemsVerified")).isEqualTo(0L);
            assertThat(mbean("arsip-pop3", "ItemsCopied")).isEqualTo(0L);
            assertThat(target()).hasSize(5);
        }
        try (ImapTestClient src = new ImapTestClient("127.0.0.1", mailSource.getImap().getPort(), "arsip", "arsip-src")) {
            assertThat(src.messages("INBOX")).as("delete: false, the source keeps every message").hasSize(5);
        }
        String ledgerView = HubCli.ok("--data-dir", dir.resolve("hub").toString(), "status", "--ledger");
        assertThat(ledgerView).containsPattern("arsip-pop3\\s+simpeg\\s+tracked\\s+5/5\\s+0\\s+0");
        HubCli.Result report = HubCli.run("--data-dir", dir.resolve("hub").toString(), "report", "simpeg");
        assertThat(ledgerView).doesNotContain("as of an unknown time"); // VERIFIED when the route compared: checked_at
        assertThat(report.out()).containsPattern("arsip-pop3\\s+tracked\\s+5/5 items verified, 5 exchanges")
                .doesNotContain("finishing step not done")
                // the second hub's poll compared nothing (it skipped every message as done): honest, the proof is older
                .contains("stale proof: arsip-pop3: 5 of 5 verified items were not compared with the source in its latest run");
    }

    @Test
    void anImapPasswordWrittenInlineIsRefusedAndTheMessageIsDeadNotCopied() throws Exception {
        mailSource.setUser("arsip@dinas.go.id", "arsip", "arsip-src");
        mailTarget.setUser("arsip@pdn.go.id", "arsip@pdn", "arsip-tgt");
        try (ImapTestClient src = new ImapTestClient("127.0.0.1", mailSource.getImap().getPort(), "arsip", "arsip-src")) {
            src.append("INBOX", MailSamples.plain("p1", "Surat", "satu"), MailSamples.flags(), MailSamples.day(9));
        }
        try (TestHub hub = pop3Hub("arsip-tgt").property("hub.retry.max-retries", "1").property("hub.retry.initial-delay", "100ms")
                .start()) {
            JdbcTemplate ledger = hub.bean(JdbcTemplate.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> count(ledger, "arsip-pop3", "DEAD") == 1);
            assertThat(ledger.queryForObject("SELECT last_error FROM hub_item WHERE migration = 'arsip-pop3'", String.class))
                    .contains("of tracked route arsip-pop3", "header hubImapPassword holds no reference", "env:VARIABLE")
                    .doesNotContain("arsip-tgt");
            assertThat(target()).isEmpty();
        }
    }

    private List<ImapTestClient.Stored> target() throws Exception {
        try (ImapTestClient tgt = new ImapTestClient("127.0.0.1", mailTarget.getImap().getPort(), "arsip@pdn", "arsip-tgt")) {
            return tgt.messages("INBOX");
        }
    }

    private TestHub.Builder pop3Hub(String imapPassword) throws Exception {
        return TestHub.builder(dir.resolve("hub"))
                .route("tracked-pop3-to-imap.yaml", Files.readString(Path.of("routes/examples/tracked-pop3-to-imap.yaml")))
                .property("arsip.pop3.scheme", "pop3").property("arsip.pop3.host", "127.0.0.1")
                .property("arsip.pop3.port", String.valueOf(mailSource.getPop3().getPort()))
                .property("arsip.pop3.user", "arsip").property("arsip.pop3.password", "arsip-src")
                .property("arsip.imap.server", "imap://127.0.0.1:" + mailTarget.getImap().getPort() + "?plain=true")
                .property("arsip.imap.user", "arsip@pdn").property("arsip.imap.password", imapPassword);
    }

    private TestHub hub() throws Exception {
        Path examples = Path.of("routes/examples");
        return builder()
                .route("tracked-ftp-to-sftp.yaml", Files.readString(examples.resolve("tracked-ftp-to-sftp.yaml")))
                .route("tracked-sql-to-sftp.yaml", Files.readString(examples.resolve("tracked-sql-to-sftp.yaml")))
                .start();
    }

    private TestHub.Builder builder() {
        return TestHub.builder(dir.resolve("hub"))
                .property("laporan.ftp.host", "127.0.0.1").property("laporan.ftp.port", String.valueOf(ftpPort))
                .property("laporan.ftp.user", "dinas").property("laporan.ftp.password", "dinas-pw")
                .property("laporan.sftp.host", "127.0.0.1").property("laporan.sftp.port", String.valueOf(sftp.port()))
                .property("laporan.sftp.user", "pdn").property("laporan.sftp.password", "pdn-pw")
                .property("laporan.sftp.known-hosts", knownHosts.toString()).property("surat.datasource", "suratDb")
                .datasource("suratDb", suratUrl, "sa");
    }

    private static int count(JdbcTemplate ledger, String route, String status) {
        return ledger.queryForObject("SELECT COUNT(*) FROM hub_item WHERE migration = ? AND status = ? AND kind = 'tracked'",
                Integer.class, route, status);
    }

    private static int runs(JdbcTemplate ledger, String route, String state) {
        return ledger.queryForObject("SELECT COUNT(*) FROM hub_run WHERE migration = ? AND state = ? AND kind = 'tracked'",
                Integer.class, route, state);
    }

    private static Object mbean(String route, String attribute) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return server.getAttribute(new ObjectName("hub:type=tracked,name=" + route), attribute);
    }
}
