package id.go.pdn.hub;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The hub's Spring Boot application; started by {@link id.go.pdn.hub.cli.Main}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HubApplication {
}
