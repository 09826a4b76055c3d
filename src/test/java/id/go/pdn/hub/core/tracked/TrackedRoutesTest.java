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
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 16 item 4: the worked examples in routes/examples/ run as they are, against embedded servers: an FTP drop
 * folder (Apache FtpServer) into SFTP (MINA SSHD), an H2 query exported as CSV files onto SFTP. Each exchange is an
 * item in the ledger (COPIED, or VERIFIED where the route compared), a restarted hub skips what is done, and each route
 * has its MBean.
 */
class TrackedRoutesTest {

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
        try (TestHub hub = builder().route("broken.yaml", broken).start()) {
            JdbcTemplate ledger = hub.bean(JdbcTemplate.class);
            // 3 files, each tried 4 times; a refused SFTP login takes about 2 s here
            await().atMost(Duration.ofSeconds(150)).until(() -> count(ledger, "laporan-ftp", "DEAD") == 3);
            assertThat(ledger.queryForList("SELECT last_error FROM hub_item WHERE migration = 'laporan-ftp'", String.class))
                    .allSatisfy(e -> assertThat(e).contains("of tracked route laporan-ftp").contains("after 3 retries")
                            .contains("sent to jms:queue:hub.DLQ"));
            assertThat(mbean("laporan-ftp", "ItemsDead")).isEqualTo(3L);
            await().atMost(Duration.ofSeconds(20)).until(() -> runs(ledger, "laporan-ftp", "FAILED") >= 1);
            assertThat(hub.bean(id.go.pdn.hub.core.queue.DeadLetters.class).list("laporan-ftp")).hasSizeGreaterThanOrEqualTo(3);
        }
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
