package id.go.pdn.hub.core.options;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;

/**
 * The options of a migration as declared by {@link UriParam} fields (Camel's own option metadata): the single place a
 * route option is described. The binder checks routes against it, the report shows the options it does not mark
 * secret, and tests hold the README's parameter tables and the route templates to it.
 */
public final class OptionCatalog {

    private OptionCatalog() {
    }

    /**
     * One declared option.
     *
     * @param name     as written in a route ({@code chunkSize})
     * @param type     the Java type Camel converts the written value to
     * @param defaultValue as documented ("" if none)
     * @param enums    allowed values ("" if any)
     * @param label    Camel label: "security", "advanced", "schedule", ...
     */
    public record Option(String name, Class<?> type, String defaultValue, String description, boolean required,
                         boolean secret, String enums, String label) {

        public List<String> allowed() {
            return enums.isEmpty() ? List.of() : List.of(enums.split(","));
        }
    }

    /** The options declared on this class and its superclasses, in declaration order (superclasses first). */
    public static List<Option> of(Class<?> type) {
        List<Class<?>> hierarchy = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            hierarchy.add(0, c);
        }
        List<Option> options = new ArrayList<>();
        for (Class<?> c : hierarchy) {
            for (Field field : c.getDeclaredFields()) {
                UriParam param = field.getAnnotation(UriParam.class);
                if (param == null) {
                    continue;
                }
                Metadata metadata = field.getAnnotation(Metadata.class);
                options.add(new Option(param.name().isEmpty() ? field.getName() : param.name(), field.getType(),
                        param.defaultValue(), param.description(), metadata != null && metadata.required(),
                        param.secret() || (metadata != null && metadata.secret()), param.enums(), param.label()));
            }
        }
        return List.copyOf(options);
    }

    public static Optional<Option> find(Class<?> type, String name) {
        return of(type).stream().filter(o -> o.name().equals(name)).findFirst();
    }

    /** The declared option closest to a misspelt name, if one is close enough to be what was meant. */
    public static Optional<String> closest(List<Option> options, String written) {
        org.apache.commons.text.similarity.LevenshteinDistance distance = org.apache.commons.text.similarity.LevenshteinDistance.getDefaultInstance();
        return options.stream().map(Option::name)
                .map(name -> new Object() {
                    final String option = name;
                    final int cost = name.equalsIgnoreCase(written) ? 0 : distance.apply(name.toLowerCase(), written.toLowerCase());
                })
                .filter(c -> c.cost <= Math.max(2, written.length() / 3))
                .min(Comparator.comparingInt(c -> c.cost))
                .map(c -> c.option);
    }
}
