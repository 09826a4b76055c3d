package id.go.pdn.hub.core.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.support.PropertyBindingSupport;

/**
 * Binds a route's options with Camel's property binding and type conversion, then checks them against the declared
 * options ({@link OptionCatalog}): unknown names (with the declared one it most likely meant), values of the wrong
 * type, missing required options, values outside an option's allowed ones, and the kind's own rules. Binding is exact
 * about case: {@code chunksize} is a typo of {@code chunkSize}, not the same option.
 */
public final class OptionBinder {

    private OptionBinder() {
    }

    /**
     * What a route declared.
     *
     * @param written  every option as written (placeholders resolved), for fingerprints and reports (secrets included:
     *                 show them only through {@link OptionCatalog} and redaction)
     * @param problems one line per problem, each naming the option and the fix; empty if the declaration is good
     */
    public record Bound(MigrationOptions common, KindOptions kind, Map<String, String> written, List<String> problems) {
    }

    public static Bound bind(CamelContext context, String scheme, Map<String, Object> parameters, MigrationOptions common,
                             KindOptions kind) {
        Map<String, String> written = new LinkedHashMap<>();
        parameters.forEach((key, value) -> written.put(key, value == null ? null : value.toString()));
        List<OptionCatalog.Option> declared = Stream.concat(OptionCatalog.of(common.getClass()).stream(),
                OptionCatalog.of(kind.getClass()).stream()).toList();
        List<String> problems = new ArrayList<>();
        Map<String, Object> left = new LinkedHashMap<>(parameters);
        left.values().removeIf(v -> v == null || v.toString().isBlank()); // an optional placeholder left empty
        for (Object target : List.of(common, kind)) {
            List<String> names = OptionCatalog.of(target.getClass()).stream().map(OptionCatalog.Option::name).toList();
            for (String name : names) {
                if (!left.containsKey(name)) {
                    continue;
                }
                Object value = left.remove(name);
                try {
                    PropertyBindingSupport.build().withCamelContext(context).withTarget(target).withIgnoreCase(false)
                            .withReflection(true).withReference(false).withPlaceholder(false).withNesting(false)
                            .withFluentBuilder(false).withMandatory(true).withProperty(name, value).bind();
                } catch (PropertyBindingException e) {
                    OptionCatalog.Option option = declared.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
                    problems.add("parameter '" + name + "' must be " + expected(option) + ", not '" + value + "'");
                }
            }
        }
        for (String unknown : left.keySet()) {
            problems.add("unknown parameter '" + unknown + "' of " + scheme + OptionCatalog.closest(declared, unknown)
                    .map(name -> "; did you mean '" + name + "'?").orElse("") + " (its parameters: "
                    + declared.stream().map(OptionCatalog.Option::name).collect(Collectors.joining(", ")) + ")");
        }
        for (OptionCatalog.Option option : declared) {
            String value = written.get(option.name());
            boolean missing = value == null || value.isBlank();
            if (option.required() && missing) {
                problems.add("parameter '" + option.name() + "' is missing; " + option.description());
            } else if (!missing && !option.allowed().isEmpty()
                    && option.allowed().stream().noneMatch(a -> a.equalsIgnoreCase(value.strip()))) {
                problems.add("parameter '" + option.name() + "' is '" + value + "'; write " + String.join(" or ", option.allowed()));
            }
        }
        if (problems.isEmpty()) {
            for (Runnable check : List.<Runnable>of(common::validate, kind::validate)) {
                try {
                    check.run();
                } catch (IllegalArgumentException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        return new Bound(common, kind, written, List.copyOf(problems));
    }

    private static String expected(OptionCatalog.Option option) {
        Class<?> type = option.type();
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "a whole number above 0"; // counts, sizes and rates: none of the hub's numbers may be 0 or less
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return Stream.of(type.getEnumConstants()).map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" or "));
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT);
    }
}
