package id.go.pdn.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import id.go.pdn.hub.core.HubException;
import org.junit.jupiter.api.Test;

/** A failed start reads as one line: the hub's own explanation, or the causes without exception class names. */
class StartupErrorsTest {

    @Test
    void theHubsOwnExplanationWins() {
        assertThat(StartupErrors.explain(new IllegalStateException("wrapper", new HubException(HubException.ErrorCode.CONFIGURATION,
                "Cannot load migration x (routes/x.yaml:4): unknown parameter 'chunksize'"))))
                .isEqualTo("hub: Cannot load migration x (routes/x.yaml:4): unknown parameter 'chunksize'");
    }

    @Test
    void otherErrorsAreOneLineWithoutClassNames() {
        String line = StartupErrors.explain(new IllegalStateException(
                "org.apache.camel.FailedToCreateRouteException: Failed to create route\n  because of a bad step",
                new IOException("deep cause")));
        assertThat(line).isEqualTo("hub: cannot start: Failed to create route because of a bad step <- deep cause");
        assertThat(line).doesNotContain("\n");
    }
}
