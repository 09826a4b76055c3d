package id.go.pdn.hub.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import id.go.pdn.hub.support.ExternalServers.Server;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real servers or programs a test class needs, e.g. {@code @Needs(OPENSSH)}: before the class runs,
 * {@link ExternalServers} starts (or installs) what is not there with the project's own {@code .ci/} script, and
 * fails the class with CI=true (or aborts it, loudly, without) when that is not possible.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(ExternalServers.class)
public @interface Needs {

    Server[] value();
}
