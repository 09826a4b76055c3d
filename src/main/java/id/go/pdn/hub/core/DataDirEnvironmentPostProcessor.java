package id.go.pdn.hub.core;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code hub.data-dir} absolute before anything reads it: H2 refuses a relative file path, and the ledger,
 * the journal and the reports must not move with the working directory of whoever runs the hub later.
 */
public class DataDirEnvironmentPostProcessor implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String dataDir = environment.getProperty("hub.data-dir", "data");
        String absolute = Path.of(dataDir).toAbsolutePath().normalize().toString();
        environment.getPropertySources().addFirst(new MapPropertySource("hub-data-dir", Map.of("hub.data-dir", absolute)));
    }
}
