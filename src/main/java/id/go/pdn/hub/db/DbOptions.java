package id.go.pdn.hub.db;

import java.util.Locale;
import id.go.pdn.hub.core.NameGlobs;
import id.go.pdn.hub.core.options.KindOptions;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The options of a database migration ({@code migration:db}, template {@code db-migration}). */
@UriParams
public class DbOptions implements KindOptions {

    @UriParam(description = "Name of the source datasource under hub.datasources: MariaDB/MySQL, PostgreSQL or H2. Example: simpeg-mariadb")
    @Metadata(required = true)
    private String source;

    @UriParam(description = "Name of the target datasource under hub.datasources: PostgreSQL, MariaDB or H2. Example: pdn-postgres")
    @Metadata(required = true)
    private String target;

    @UriParam(defaultValue = "*", description = "Comma-separated globs of source tables to copy (*, ?; case-insensitive).")
    private String tables = "*";

    @UriParam(description = "Comma-separated globs of source tables to leave out. Example: tmp_*,*_backup")
    private String exclude = "";

    @UriParam(defaultValue = "sync", enums = "sync,once", description = "sync: every run brings each table to the source's"
            + " current state: each chunk is read again on the source and compared with its last copy; changed chunks are"
            + " copied again (their key range replaced in one transaction), new keys become new chunks, rows and tables deleted"
            + " at the source leave the target; identity counters follow. once: copy every row once; later runs copy nothing"
            + " (full is the same as once).")
    private String mode = "sync";

    @UriParam(defaultValue = "50000", description = "Rows per work item. Each chunk lands in one target transaction and is verified on its own.")
    private int chunkSize = 50_000;

    @UriParam(defaultValue = "fail", enums = "fail,drop,truncate,keep", description = "What a new plan does when a target table"
            + " exists: fail (with the fix in the message), drop (and create it anew), truncate, or keep (its definition and"
            + " indexes; its rows are replaced by the source's, chunk by chunk).")
    private String onExistingTable = "fail";

    @UriParam(description = "Source schema (the database on MariaDB); default: the one of the JDBC URL.")
    private String sourceSchema;

    @UriParam(description = "Target schema (the database on MariaDB); default: the one of the JDBC URL.")
    private String targetSchema;

    @Override
    public void validate() {
        if (!java.util.Set.of("sync", "once", "full").contains(mode())) {
            throw new IllegalArgumentException("parameter 'mode' is '" + mode + "'; write sync (the default: every run brings the"
                    + " target to the source's current state) or once (copy every row once)");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("parameter 'chunkSize' is '" + chunkSize + "'; write a whole number of rows above 0");
        }
    }

    /** The options that shape the plan; parallelism and cron may change between runs. */
    @Override
    public String planFingerprint() {
        // "full" stands where the mode was: plans made before sync existed stay valid, and a migration may switch between
        // sync and once without a new plan (both cut tables into the same chunks)
        return String.join("\n", source, target, tables, exclude, "full", Integer.toString(chunkSize),
                String.valueOf(sourceSchema), String.valueOf(targetSchema));
    }

    public boolean includes(String table) {
        return NameGlobs.of(tables).matches(table) && !NameGlobs.of(exclude).matches(table);
    }

    public String source() { return source; }
    public String target() { return target; }
    public String tables() { return tables; }
    public String exclude() { return exclude; }
    public String mode() { return mode.toLowerCase(Locale.ROOT); }
    public int chunkSize() { return chunkSize; }
    /** Whether every run lists the source again and copies what changed (mode sync). */
    public boolean sync() { return mode().equals("sync"); }
    public String onExistingTable() { return onExistingTable.toLowerCase(Locale.ROOT); }
    public String sourceSchema() { return sourceSchema; }
    public String targetSchema() { return targetSchema; }

    public void setSource(String source) { this.source = source.strip(); }
    public void setTarget(String target) { this.target = target.strip(); }
    public void setTables(String tables) { this.tables = tables; }
    public void setExclude(String exclude) { this.exclude = exclude; }
    public void setMode(String mode) { this.mode = mode; }
    public void setChunkSize(int chunkSize) { this.chunkSize = chunkSize; }
    public void setOnExistingTable(String onExistingTable) { this.onExistingTable = onExistingTable; }
    public void setSourceSchema(String sourceSchema) { this.sourceSchema = sourceSchema; }
    public void setTargetSchema(String targetSchema) { this.targetSchema = targetSchema; }
}
