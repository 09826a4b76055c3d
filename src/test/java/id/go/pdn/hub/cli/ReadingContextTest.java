package id.go.pdn.hub.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import id.go.pdn.hub.core.MigrationRegistry;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.files.FilesTestSupport;
import id.go.pdn.hub.support.HubCli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The reading commands ({@code status --ledger}, {@code plan}, {@code report}) start a small context: no embedded
 * broker, no JMS, no Quartz, no Actuator or web part. It still reads the ledger of a real run, loads the routes and
 * gives the same answers; a copying command's context keeps all of them.
 */
class ReadingContextTest {

    @TempDir
    Path dir;
    Path dataDir;
    Path route;

    @BeforeEach
    void aVerifiedRun() throws Exception {
        dataDir = dir.resolve("data");
        Path uploads = dir.resolve("uploads");
        FilesTestSupport.write(uploads.resolve("surat/a.txt"), "a".repeat(1000));
        FilesTestSupport.write(uploads.resolve("surat/b.txt"), "b".repeat(500));
        FilesTestSupport.write(uploads.resolve("readme.txt"), "hello");
        route = dir.resolve("routes/files.yaml");
        FilesTestSupport.write(route, FilesTestSupport.route("read-files", Map.of(
                "application", "read-app", "source", "file:" + uploads, "target", "file:" + dir.resolve("pdn"))));
        HubCli.ok("run", "--once", "--data-dir", dataDir.toString(), route.toString());
    }

    @Test
    void aReadingContextHasNoBrokerJmsQuartzOrManagementBeans() {
        Main.GlobalOptions options = new Main.GlobalOptions();
        options.dataDir = dataDir;
        try (ConfigurableApplicationContext context = options.launcher().reading().routes(List.of(), List.of(route)).start()) {
            assertThat(names(context, "org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ")).as("embedded broker").isEmpty();
            assertThat(names(context, "jakarta.jms.ConnectionFactory")).as("JMS connection factory").isEmpty();
            assertThat(names(context, "org.springframework.jms.core.JmsTemplate")).as("JMS template").isEmpty();
            assertThat(names(context, "org.quartz.Scheduler")).as("Quartz scheduler").isEmpty();
            assertThat(names(context, "org.springframework.boot.actuate.health.HealthEndpoint")).as("Actuator").isEmpty();
            assertThat(Arrays.stream(context.getBeanDefinitionNames()).filter(n -> n.matches("(?i).*(artemis|jms|quartz|actuat|hawtio|jolokia).*")))
                    .as("bean definitions of the queue, the schedules or the management port").isEmpty();
            assertThat(context.getBeanFactory().getBeanDefinition("ledger").isLazyInit()).as("beans made when asked for").isTrue();

            // still a working hub for reading: the route's migration is loaded and the ledger answers
            assertThat(context.getBean(MigrationRegistry.class).find("read-files")).as("the route's migration").isPresent();
            Ledger ledger = context.getBean(Ledger.class);
            assertThat(ledger.counts("read-files").get(ItemStatus.VERIFIED)).isEqualTo(ledger.counts("read-files").total()).isPositive();
        }
    }

    @Test
    void aCopyingCommandsContextKeepsTheQueueAndTheSchedules() {
        Main.GlobalOptions options = new Main.GlobalOptions();
        options.dataDir = dataDir;
        // the context of `reset` (and of the copying commands): Quartz and JMS are there, nothing is lazy
        try (ConfigurableApplicationContext context = options.launcher().toolMode(0).start()) {
            assertThat(names(context, "org.quartz.Scheduler")).as("Quartz scheduler").isNotEmpty();
            assertThat(names(context, "jakarta.jms.ConnectionFactory")).as("JMS connection factory").isNotEmpty();
            assertThat(context.getBeanFactory().getBeanDefinition("ledger").isLazyInit()).isFalse();
        }
    }

    @Test
    void aCopyingCommandThatDoesNotServeKeepsTheQueueAndJmxButNotTheManagementPortOrQuartz() throws Exception {
        Main.GlobalOptions options = new Main.GlobalOptions();
        options.dataDir = dataDir;
        // the context of `run --once`, `cutover` and `demo` without --serve
        try (ConfigurableApplicationContext context = options.launcher().once().routes(List.of(), List.of(route))
                .property("hub.queue.embedded-port", "0").start()) {
            assertThat(names(context, "org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ")).as("embedded broker").isNotEmpty();
            assertThat(names(context, "jakarta.jms.ConnectionFactory")).as("JMS connection factory").isNotEmpty();
            assertThat(names(context, "org.quartz.Scheduler")).as("Quartz scheduler").isEmpty();
            assertThat(names(context, "org.springframework.boot.actuate.health.HealthEndpoint")).as("Actuator").isEmpty();
            assertThat(names(context, "org.springframework.security.web.SecurityFilterChain")).as("Spring Security").isEmpty();
            assertThat(Arrays.stream(context.getBeanDefinitionNames()).filter(n -> n.matches("(?i).*(quartz|actuat|hawtio|jolokia|meterregistry).*")))
                    .as("bean definitions of the schedules, the management port or metrics").isEmpty();
            assertThat(context.getBeanFactory().getBeanDefinition("ledger").isLazyInit()).isFalse();
            // the hub's and Camel's MBeans are there, for jconsole on a long run
            javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            assertThat(jmx.queryNames(new javax.management.ObjectName("hub:*"), null)).as("the hub's MBeans").isNotEmpty();
            assertThat(jmx.queryNames(new javax.management.ObjectName("org.apache.camel:*"), null)).as("Camel's MBeans").isNotEmpty();
            // and it copies: a run of the route verifies what the first run copied
            id.go.pdn.hub.core.RunSummary again = context.getBean(id.go.pdn.hub.core.MigrationRunner.class).run("read-files", "test");
            assertThat(again.state()).as(again.toString()).isEqualTo(id.go.pdn.hub.core.ledger.RunState.SUCCEEDED);
        }
    }

    @Test
    void theReadingCommandsGiveTheirAnswers() {
        assertThat(HubCli.ok("status", "--ledger", "--data-dir", dataDir.toString()))
                .containsPattern("read-files\\s+read-app\\s+files\\s+3/3\\s+0\\s+0\\s");
        assertThat(HubCli.ok("plan", "--data-dir", dataDir.toString(), route.toString()))
                .containsPattern("read-files\\s+\\[read-app, files\\]")
                .contains("Dry run: nothing was created, written or recorded.");
        HubCli.Result report = HubCli.run("report", "--data-dir", dataDir.toString(), "--port", "0", "-r", route.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(report.out()).contains("read-app: COMPLETE AND VERIFIED").containsPattern("read-files\\s+files\\s+3/3 items verified");
    }

    @Test
    void aReadingCommandOnANewDataFolderMakesTheWholeLedgerSchema() {
        Path fresh = dir.resolve("fresh");
        assertThat(HubCli.ok("status", "--ledger", "--data-dir", fresh.toString())).contains("Ledger of " + fresh.toAbsolutePath());
        Main.GlobalOptions options = new Main.GlobalOptions();
        options.dataDir = fresh;
        try (ConfigurableApplicationContext context = options.launcher().reading().start()) {
            org.flywaydb.core.api.MigrationInfoService info = context.getBean(org.flywaydb.core.Flyway.class).info();
            assertThat(info.pending()).as("migrations left to apply").isEmpty();
            assertThat(info.applied()).as("migrations applied").hasSizeGreaterThanOrEqualTo(5);
            assertThat(context.getBean(Ledger.class).migrationNames()).isEmpty();
        }
    }

    private static String[] names(ConfigurableApplicationContext context, String type) {
        try {
            return context.getBeanNamesForType(Class.forName(type));
        } catch (ClassNotFoundException e) {
            return new String[0]; // not even on the class path
        }
    }
}
