package id.go.pdn.hub.core;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Errors as drivers and libraries throw them (wrapped, as they arrive) and the words the hub says for each. */
class EndpointErrorsTest {

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(new SQLNonTransientConnectionException("Socket fail to connect to address=(host=127.0.0.1)(port=1)"
                        + "(type=primary). Connection refused", "08000", new ConnectException("Connection refused")), "connection refused"),
                Arguments.of(new SQLException("Connection to 127.0.0.1:1 refused. Check that the hostname and port are correct",
                        "08001", new ConnectException("Connection refused")), "connection refused"),
                Arguments.of(new SQLException("The connection attempt failed.", "08001",
                        new UnknownHostException("no-such-host.invalid")), "unknown host"),
                Arguments.of(new SQLException("(conn=12) Access denied for user 'root'@'127.0.0.1' (using password: YES)",
                        "28000", 1045), "access denied"),
                Arguments.of(new SQLException("FATAL: password authentication failed for user \"hub\"", "28P01"), "access denied"),
                // Hikari's timeout, with the driver's error as its cause
                Arguments.of(new SQLTransientConnectionException("hub-src - Connection is not available, request timed out "
                        + "after 10001ms", "08001", new SQLException("Access denied for user 'hub'", "28000")), "access denied"),
                Arguments.of(new SQLException("FATAL: database \"nope\" does not exist", "3D000"), "unknown database"),
                Arguments.of(new SQLException("(conn=5) Unknown database 'nope'", "42000", 1049), "unknown database"),
                Arguments.of(new SocketTimeoutException("Connect timed out"), "timeout"),
                Arguments.of(new IOException("DefaultConnectFuture[hub@/10.255.255.1:22]: Failed to get operation result within "
                        + "specified timeout: 30000"), "timeout"),
                Arguments.of(new NoRouteToHostException("No route to host"), "no route to host"),
                Arguments.of(new MessagingException("PKIX path building failed", new SSLHandshakeException(
                        "PKIX path building failed: unable to find valid certification path")), "TLS failure"),
                Arguments.of(new AuthenticationFailedException("LOGIN failed. Invalid login/password"), "access denied"),
                Arguments.of(new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot log in to sftp://hub@h:22/x as hub: "
                        + "the server refused the password", new IOException("No more authentication methods available")),
                        "access denied"),
                Arguments.of(new IllegalArgumentException("environment variable SIMPEG_DB_PASSWORD is not set; export it"),
                        "unset environment variable SIMPEG_DB_PASSWORD"),
                Arguments.of(new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot use the private key /k for sftp://h:22/x: "
                        + "wrong key passphrase; check parameter 'privateKeyPassphrase'"), "wrong key passphrase"),
                Arguments.of(new AccessDeniedException("/srv/pdn/simpeg/a.txt"), "no write permission"),
                Arguments.of(new FileSystemException("/srv/pdn/simpeg", null, "Read-only file system"), "no write permission"),
                Arguments.of(new IOException("SFTP error (SSH_FX_PERMISSION_DENIED): Permission denied"), "no write permission"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void saysTheCauseInWords(Throwable error, String words) {
        EndpointErrors.Cause cause = EndpointErrors.explain(error);
        assertThat(cause.words()).isEqualTo(words);
        assertThat(cause.fix()).isNotBlank();
    }

    @Test
    void anUnknownErrorIsItsOwnLine() {
        EndpointErrors.Cause cause = EndpointErrors.explain(new IllegalStateException("something else", new IOException("deep")));
        assertThat(cause.words()).isEqualTo("something else <- deep");
        assertThat(cause.fix()).isEmpty();
    }

    /** An error that explains itself (an FTPS certificate refusal) wins over the generic TLS rule its cause would match. */
    @Test
    void anErrorThatExplainsItselfKeepsItsWordsAndFix() {
        class Refused extends HubException implements EndpointErrors.Explained {
            Refused() {
                super(HubException.ErrorCode.CONFIGURATION, "Cannot connect to ftps://a@h:21/x: untrusted",
                        new SSLHandshakeException("PKIX path building failed"));
            }

            @Override
            public EndpointErrors.Cause explained() {
                return new EndpointErrors.Cause("untrusted TLS certificate (CN=h)", "set parameter 'ftpTrustStore'");
            }
        }
        EndpointErrors.Cause cause = EndpointErrors.explain(new IOException("wrapped", new Refused()));
        assertThat(cause.toString()).isEqualTo("untrusted TLS certificate (CN=h); set parameter 'ftpTrustStore'");
    }

    @Test
    void aReadOnlyTargetIsAFinalFailureWithThePathAndTheFix() {
        ItemFailure failure = Errors.classify("copy a.txt of migration simpeg-files", new AccessDeniedException("/srv/pdn/simpeg/a.txt"),
                e -> java.util.Optional.empty());
        assertThat(failure).isInstanceOf(ItemFailure.Final.class);
        assertThat(failure.getMessage()).contains("no write permission", "/srv/pdn/simpeg/a.txt", "chown/chmod");
    }
}
