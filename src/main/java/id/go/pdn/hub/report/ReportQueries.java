package id.go.pdn.hub.report;

import id.go.pdn.hub.core.Redaction;
import java.time.ZoneId;

import java.time.OffsetDateTime;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.report.ApplicationReport.GroupReport;
import id.go.pdn.hub.report.ApplicationReport.UnverifiedItem;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The report's reads of the ledger (the application's default JdbcTemplate is the ledger's, as for {@code Ledger}). */
@Component
public class ReportQueries {

    /** Unverified items listed per migration; the rest is counted. */
    static final int UNVERIFIED_LISTED = 200;

    private final JdbcTemplate jdbc;

    private final Capabilities capabilities;

    public ReportQueries(JdbcTemplate jdbc, Capabilities capabilities) {
        this.capabilities = capabilities;
        this.jdbc = jdbc;
    }

    /** A planned migration of the application: its name, kind and plan state (PLANNED, or FINISHED after its finishing step). */
    public record PlannedMigration(String name, String kind, String planState) {
    }

    public List<PlannedMigration> plannedMigrations(String application) {
        return jdbc.query("SELECT name, kind, plan_state FROM hub_migration WHERE application = ? ORDER BY name",
                (rs, i) -> new PlannedMigration(rs.getString(1), rs.getString(2), rs.getString(3)), application);
    }

    /** A migration's items summed up: by status, per group, and the first unverified ones. */
    public record ItemSummary(Map<ItemStatus, Integer> byStatus, List<GroupReport> groups, List<UnverifiedItem> unverified,
                              int unverifiedNotListed) {
        public int total() {
            return byStatus.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int get(ItemStatus status) {
            return byStatus.getOrDefault(status, 0);
        }
    }

    /** Reads a migration's items once, in plan order, without holding them all (a plan of files can be large). */
    public ItemSummary items(String migration, ZoneId zone) {
        Map<ItemStatus, Integer> byStatus = new EnumMap<>(ItemStatus.class);
        Map<String, OffsetDateTime> comparedSince = new java.util.HashMap<>();
        Map<String, long[]> groups = new LinkedHashMap<>(); // items, verified, units, bytes, compared, agreeing, skipped, gone, removed
        List<UnverifiedItem> unverified = new ArrayList<>();
        int[] notListed = {0};
        // an item was compared at the later of its own checked_at and the migration's stamp (Ledger.mergePlan)
        OffsetDateTime stamp = jdbc.query("SELECT verified_compared_at FROM hub_migration WHERE name = ?",
                (rs, i) -> rs.getObject(1, OffsetDateTime.class), migration).stream().filter(Objects::nonNull).findFirst().orElse(null);
        jdbc.query("SELECT kind, item_key, status, attempts, row_count, byte_count, source_checksum, target_checksum, last_error, "
                + "checked_at FROM hub_item WHERE migration = ? ORDER BY seq", rs -> {
            ItemStatus status = ItemStatus.valueOf(rs.getString("status"));
            String key = rs.getString("item_key");
            byStatus.merge(status, 1, Integer::sum);
            long[] g = groups.computeIfAbsent(groupOf(rs.getString("kind"), key), k -> new long[9]);
            g[0]++;
            switch (status) {
                case SKIPPED -> g[6]++;
                case GONE -> g[7]++;
                case REMOVED -> g[8]++;
                default -> { }
            }
            if (status == ItemStatus.VERIFIED) {
                g[1]++;
                g[2] += rs.getLong("row_count");
                g[3] += rs.getLong("byte_count");
                String source = rs.getString("source_checksum");
                String target = rs.getString("target_checksum");
                if (source != null && target != null) {
                    g[4]++;
                    g[5] += Objects.equals(source, target) ? 1 : 0;
                }
                // an item verified before the ledger stamped comparisons makes the group's date unknown (OffsetDateTime.MIN)
                OffsetDateTime checked = rs.getObject("checked_at", OffsetDateTime.class);
                if (stamp != null && (checked == null || checked.isBefore(stamp))) {
                    checked = stamp;
                }
                comparedSince.merge(groupOf(rs.getString("kind"), key), checked == null ? OffsetDateTime.MIN : checked,
                        (a, b) -> a.isBefore(b) ? a : b);
            } else if (unverified.size() < UNVERIFIED_LISTED) {
                unverified.add(new UnverifiedItem(key, status.name(), rs.getInt("attempts"), Redaction.text(rs.getString("last_error"))));
            } else {
                notListed[0]++;
            }
        }, migration);
        List<GroupReport> groupReports = groups.entrySet().stream().map(e -> {
            long[] g = e.getValue();
            OffsetDateTime since = comparedSince.get(e.getKey());
            return new GroupReport(e.getKey(), (int) g[0], (int) g[1], g[2], g[3], (int) g[4], (int) g[5],
                    since == null || since.equals(OffsetDateTime.MIN) ? null : since.atZoneSameInstant(zone).toOffsetDateTime(),
                    (int) g[6], (int) g[7], (int) g[8]);
        }).toList();
        return new ItemSummary(byStatus, groupReports, unverified, notListed[0]);
    }

    /** The group of an item (table, top folder, mailbox), as its kind's capability groups keys. */
    private String groupOf(String kind, String key) {
        return capabilities.facts(kind).groupOfKey().apply(key);
    }
}
