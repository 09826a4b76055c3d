package id.go.pdn.hub.db;

import java.util.Locale;
import id.go.pdn.hub.core.Globs;
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

    @UriParam(defaultValue = "full", enums = "full", description = "full: copy every row.")
    private String mode = "full";

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
        if (chunkSize < 1) {
            throw new IllegalArgumentException("parameter 'chunkSize' is '" + chunkSize + "'; write a whole number of rows above 0");
        }
    }

    /** The options that shape the plan; parallelism and cron may change between runs. */
    @Override
    public String planFingerprint() {
        return String.join("\n", source, target, tables, exclude, mode(), Integer.toString(chunkSize),
                String.valueOf(sourceSchema), String.valueOf(targetSchema));
    }

    public boolean includes(String table) {
        return Globs.names(tables).matches(table) && !Globs.names(exclude).matches(table);
    }

    public String source() { return source; }
    public String target() { return target; }
    public String tables() { return tables; }
    public String exclude() { return exclude; }
    public String mode() { return mode.toLowerCase(Locale.ROOT); }
    public int chunkSize() { return chunkSize; }
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
