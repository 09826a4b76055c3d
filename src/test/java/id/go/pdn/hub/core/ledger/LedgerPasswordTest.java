package id.go.pdn.hub.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import id.go.pdn.hub.support.HubCli;
import id.go.pdn.hub.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 ledger has a random password in an owner-only file; a ledger made before with the empty one gets it too. */
class LedgerPasswordTest {

    @TempDir
    Path dir;

    private static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("ledger/ledger") + ";AUTO_SERVER=TRUE";
    }

    @Test
    void aNewLedgerGetsARandomPasswordInAnOwnerOnlyFile() throws Exception {
        HubCli.ok("--data-dir", dir.toString(), "status", "--ledger");
        Path file = dir.resolve(LedgerPassword.FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String password = Files.readString(file).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        assertThatThrownBy(() -> DriverManager.getConnection(url(dir), "sa", "").close()).hasMessageContaining("Wrong user name or password");
        // what the README's command does: the file's password opens it
        try (Connection ledger = DriverManager.getConnection(url(dir), "sa", password)) {
            assertThat(TestDatabases.count(ledger, "SELECT COUNT(*) FROM hub_run")).isZero();
        }
        // the next command finds it and keeps it
        HubCli.ok("--data-dir", dir.toString(), "status", "--ledger");
        assertThat(Files.readString(file).strip()).isEqualTo(password);
    }

    @Test
    void aLedgerMadeWithTheEmptyPasswordKeepsWorkingWithANewOne() throws Exception {
        // as an older hub left it: user sa, no password, runs recorded
        HubCli.ok("--data-dir", dir.toString(), "status", "--ledger");
        String password = Files.readString(dir.resolve(LedgerPassword.FILE)).strip();
        try (Connection ledger = DriverManager.getConnection(url(dir), "sa", password)) {
            TestDatabases.execute(ledger, "ALTER USER SA SET PASSWORD ''",
                    "INSERT INTO hub_run (migration, application, kind, state, triggered_by, started_at) "
                            + "VALUES ('lama-db', 'lama', 'db', 'SUCCEEDED', 'once', CURRENT_TIMESTAMP)");
        }
        Files.delete(dir.resolve(LedgerPassword.FILE));

        String status = HubCli.ok("--data-dir", dir.toString(), "status", "--ledger");
        String renewed = Files.readString(dir.resolve(LedgerPassword.FILE)).strip();
        assertThat(renewed).isNotEqualTo(password).hasSizeGreaterThanOrEqualTo(32);
        assertThatThrownBy(() -> DriverManager.getConnection(url(dir), "sa", "").close()).hasMessageContaining("Wrong user name or password");
        try (Connection ledger = DriverManager.getConnection(url(dir), "sa", renewed)) {
            assertThat(TestDatabases.count(ledger, "SELECT COUNT(*) FROM hub_run WHERE migration = 'lama-db'")).isEqualTo(1);
        }
        assertThat(status).contains("Ledger of " + dir);
    }
}
