package id.go.pdn.hub.core.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import id.go.pdn.hub.db.DbOptions;
import id.go.pdn.hub.files.FilesOptions;
import id.go.pdn.hub.mail.MailOptions;
import org.junit.jupiter.api.Test;

/**
 * The options' declarations ({@link org.apache.camel.spi.UriParam} fields) are the one source of the README's parameter
 * tables and of the route templates' parameter lists: this test renders both from the declarations and fails when a
 * file differs, printing what it should hold. {@code mvn test -Dtest=OptionDocsTest -Dhub.docs.update=true} rewrites
 * the generated parts (between START and END markers) instead.
 */
class OptionDocsTest {

    private static final boolean UPDATE = Boolean.getBoolean("hub.docs.update");
    private static final Map<String, Class<?>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("db", DbOptions.class);
        KINDS.put("files", FilesOptions.class);
        KINDS.put("mail", MailOptions.class);
    }

    @Test
    void theReadmeTablesAreTheDeclarations() throws IOException {
        Path readme = Path.of("README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        String updated = replace(text, "<!-- options of every kind: START -->", "<!-- options of every kind: END -->",
                table(OptionCatalog.of(MigrationOptions.class)));
        for (Map.Entry<String, Class<?>> kind : KINDS.entrySet()) {
            updated = replace(updated, "<!-- options of migration:" + kind.getKey() + ": START -->",
                    "<!-- options of migration:" + kind.getKey() + ": END -->", table(OptionCatalog.of(kind.getValue())));
        }
        check(readme, text, updated);
    }

    @Test
    void theRouteTemplatesTakeEveryDeclaredOption() throws IOException {
        for (Map.Entry<String, Class<?>> kind : KINDS.entrySet()) {
            Path template = Path.of("src/main/resources/templates/" + kind.getKey() + "/" + kind.getKey() + "-migration.yaml");
            String text = Files.readString(template, StandardCharsets.UTF_8);
            List<OptionCatalog.Option> options = new ArrayList<>(OptionCatalog.of(MigrationOptions.class));
            options.addAll(OptionCatalog.of(kind.getValue()));
            String updated = replace(text, "    # parameters: START", "    # parameters: END", templateParameters(options));
            updated = replace(updated, "      # uri parameters: START", "      # uri parameters: END", uriParameters(options));
            check(template, text, updated);
        }
    }

    @Test
    void everyOptionIsDescribedAndEverySecretIsMarked() {
        List<String> problems = new ArrayList<>();
        List<Class<?>> all = new ArrayList<>(KINDS.values());
        all.add(MigrationOptions.class);
        for (Class<?> type : all) {
            for (OptionCatalog.Option option : OptionCatalog.of(type)) {
                if (option.description().isBlank()) {
                    problems.add("option '" + option.name() + "' of " + type.getSimpleName() + " has no description");
                }
                if (option.name().matches("(?i).*(password|passphrase|secret|token).*") && !option.secret()) {
                    problems.add("option '" + option.name() + "' of " + type.getSimpleName() + " looks secret but is not marked secret");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    static String table(List<OptionCatalog.Option> options) {
        StringBuilder out = new StringBuilder("| parameter | type | default | meaning |\n|---|---|---|---|\n");
        for (OptionCatalog.Option o : options) {
            String def = o.required() ? "required" : !o.defaultValue().isEmpty() ? "`" + o.defaultValue() + "`" : "";
            String type = o.allowed().isEmpty() ? typeName(o.type()) : String.join(" \\| ", o.allowed());
            out.append("| `").append(o.name()).append("` | ").append(type).append(o.secret() ? ", secret" : "").append(" | ")
                    .append(def).append(" | ").append(o.description().replace("|", "\\|")).append(" |\n");
        }
        return out.toString();
    }

    private static String typeName(Class<?> type) {
        return type == int.class || type == long.class ? "number" : type == boolean.class ? "true \\| false" : "text";
    }

    static String templateParameters(List<OptionCatalog.Option> options) {
        StringBuilder out = new StringBuilder("    parameters:\n");
        for (OptionCatalog.Option o : options) {
            out.append("      - name: ").append(o.name()).append('\n')
                    .append("        description: ").append(quote(o.description())).append('\n');
            if (o.required()) {
                out.append("        required: true\n");
            } else if (!o.defaultValue().isEmpty()) {
                out.append("        defaultValue: ").append(quote(o.defaultValue())).append('\n');
            } else {
                out.append("        required: false\n");
            }
        }
        return out.toString();
    }

    static String uriParameters(List<OptionCatalog.Option> options) {
        StringBuilder out = new StringBuilder("      parameters:\n");
        for (OptionCatalog.Option o : options) {
            boolean given = o.required() || !o.defaultValue().isEmpty();
            out.append("        ").append(o.name()).append(": \"{{").append(given ? "" : "?").append(o.name()).append("}}\"\n");
        }
        return out.toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The text with what stands between the two marker lines replaced. */
    private static String replace(String text, String start, String end, String generated) {
        Matcher m = Pattern.compile(Pattern.quote(start) + "[^\\n]*\\n(.*?)" + "(?=" + Pattern.quote(end) + ")", Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as("markers '" + start.strip() + "' ... '" + end.strip() + "'").isTrue();
        return text.substring(0, m.start(1)) + generated + text.substring(m.end(1));
    }

    private static void check(Path file, String text, String updated) throws IOException {
        if (UPDATE && !text.equals(updated)) {
            Files.writeString(file, updated, StandardCharsets.UTF_8);
            return;
        }
        assertThat(text).as(file + " differs from the options' declarations; run `mvn test -Dtest=OptionDocsTest "
                + "-Dhub.docs.update=true` to rewrite its generated parts").isEqualTo(updated);
    }
}
