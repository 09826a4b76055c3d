package id.go.pdn.hub.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.cli.StartupErrors;
import id.go.pdn.hub.support.TestHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Routes as engineers write them: the shipped examples load, templates are documented, mistakes are explained. */
class RouteDeclarationTest {

    @TempDir
    Path dir;

    private TestHub.Builder hubWithExampleDatasources() {
        return TestHub.builder(dir)
                .datasource("simpeg-mariadb", "jdbc:h2:mem:src", "sa")
                .datasource("pdn-postgres", "jdbc:h2:mem:dst", "sa");
    }

    @Test
    void theExampleRoutesLoadAsMigrations() throws Exception {
        TestHub.Builder builder = hubWithExampleDatasources();
        List<Path> examples;
        try (var files = Files.list(Path.of("routes/examples"))) {
            // tracked-*.yaml are ordinary Camel routes that need their endpoints' properties: TrackedRoutesTest runs them
            examples = files.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().startsWith("tracked-"))
                    .sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(4);
        // the example's accounts name environment variables this test cannot set: same accounts, secrets in files
        Path secret = Files.writeString(dir.resolve("secret"), "rahasia\n");
        Path accounts = Files.writeString(dir.resolve("accounts.csv"), Files.readString(Path.of("routes/examples/mail-accounts.csv"))
                .replaceAll("env:[A-Z_]+", "file:" + secret).replaceAll("file:/run/secrets/[a-z-]+", "file:" + secret));
        for (Path example : examples) {
            builder.route(example.getFileName().toString(), Files.readString(example)
                    .replace("routes/examples/mail-accounts.csv", accounts.toString()));
        }
        try (TestHub hub = builder.start()) {
            MigrationRegistry registry = hub.bean(MigrationRegistry.class);
            Migration direct = registry.require("simpeg-db").migration();
            assertThat(direct.application()).isEqualTo("simpeg");
            assertThat(direct.parameter("cron")).isEqualTo("0 0 23 * * *");
            assertThat(direct.location()).endsWith("simpeg-db.yaml:6"); // the line of its from:
            Migration templated = registry.require("simpeg-db-template").migration();
            assertThat(templated.parameter("exclude")).isEqualTo("tmp_*,*_backup,sessions");
            assertThat(templated.parameter("onExistingTable")).as("template default").isEqualTo("fail");
            assertThat(registry.require("simpeg-files").migration().kind()).isEqualTo("files");
            assertThat(registry.require("simpeg-mail").migration().kind()).isEqualTo("mail");
        }
    }

    @Test
    void anUndeclaredDatasourceNamesTheRouteFileTheLineAndTheFix() throws Exception {
        TestHub.Builder builder = hubWithExampleDatasources()
                .route("typo.yaml", TestHub.dbRoute("typo-db", "simpeg", "simpeg-mariadb", "pdn-postgress", Map.of()));
        assertThatThrownBy(builder::start)
                .satisfies(e -> assertThat(StartupErrors.explain(e)).isEqualTo("hub: Cannot load migration typo-db ("
                        + dir.resolve("routes/typo.yaml") + ":4): datasource 'pdn-postgress' is not declared; declare it "
                        + "under hub.datasources in config/application.yaml (declared: simpeg-mariadb, pdn-postgres)"));
    }

    @Test
    void aBadParameterValueIsNamed() throws Exception {
        TestHub.Builder builder = hubWithExampleDatasources()
                .route("bad.yaml", TestHub.dbRoute("bad-db", "simpeg", "simpeg-mariadb", "pdn-postgres", Map.of("chunkSize", "50k")));
        assertThatThrownBy(builder::start).satisfies(e -> assertThat(StartupErrors.explain(e))
                .contains("Cannot load migration bad-db", "parameter 'chunkSize' must be a whole number above 0, not '50k'"));
    }

    @Test
    void brokenYamlNamesTheFileAndLine() throws Exception {
        TestHub.Builder builder = hubWithExampleDatasources()
                .route("broken.yaml", "- route:\n    id: x\n    from:\n      uri: migration:db\n      parameters: [oops\n");
        assertThatThrownBy(builder::start).satisfies(e -> assertThat(StartupErrors.explain(e)).contains("broken.yaml", "line"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTemplateParameterIsDocumented() throws Exception {
        for (Path template : Files.list(Path.of("src/main/resources/templates")).flatMap(RouteDeclarationTest::yamlFiles).toList()) {
            List<Map<String, Object>> document = new Yaml().load(Files.readString(template));
            Map<String, Object> routeTemplate = (Map<String, Object>) document.get(0).get("routeTemplate");
            assertThat(routeTemplate.get("description")).as("template %s has a description", template).isNotNull();
            for (Map<String, Object> parameter : (List<Map<String, Object>>) routeTemplate.get("parameters")) {
                assertThat((String) parameter.get("description"))
                        .as("parameter '%s' in template '%s' has a description", parameter.get("name"), routeTemplate.get("id"))
                        .isNotBlank();
                assertThat(parameter.containsKey("defaultValue") || parameter.containsKey("required"))
                        .as("parameter '%s' in template '%s' has a default or says whether it is required", parameter.get("name"),
                                routeTemplate.get("id"))
                        .isTrue();
            }
        }
    }

    private static java.util.stream.Stream<Path> yamlFiles(Path folder) {
        try {
            return Files.walk(folder).filter(p -> p.toString().endsWith(".yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
