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

    @UriParam(defaultValue = "sync", enums = "sync,once,full", description = "sync: every run brings each table to the source's"
            + " current state: each chunk is read again on the source and compared with its last copy; changed chunks are"
            + " copied again (their key range replaced in one transaction), new keys become new chunks, rows and tables deleted"
            + " at the source leave the target; identity counters follow. once: copy every row once; later runs copy nothing"
            + " full: the same as once (the name before sync existed).")
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

    @UriParam(enums = "lower,keep", description = "Case of table, column, index and view names on the target: lower (an"
            + " application's unquoted SQL finds them in PostgreSQL, which folds names to lower case) or keep (as the source"
            + " writes them, quoted). Default: lower from MariaDB/MySQL into PostgreSQL, else keep (H2's upper-case names"
            + " still fold to the target's case). Two names that are equal once lowered fail the plan.")
    private String identifierCase;

    @UriParam(defaultValue = "check", enums = "check,type", description = "What a MySQL enum column becomes on PostgreSQL: check"
            + " (text with a CHECK on its values) or type (its own enum type, named after table and column as customer_tier, made before the table; values"
            + " then sort in their declared order, as in MySQL). A set stays text with a CHECK either way. Other targets keep"
            + " checks; MariaDB into MariaDB keeps the enum as it is.")
    private String enumAs = "check";

    @Override
    public void validate() {
        if (!java.util.Set.of("sync", "once", "full").contains(mode())) {
            throw new IllegalArgumentException("parameter 'mode' is '" + mode + "'; write sync (the default: every run brings the"
                    + " target to the source's current state) or once (copy every row once)");
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("parameter 'chunkSize' is '" + chunkSize + "'; write a whole number of rows above 0");
        }
        if (identifierCase != null && !identifierCase.equalsIgnoreCase("lower") && !identifierCase.equalsIgnoreCase("keep")) {
            throw new IllegalArgumentException("parameter 'identifierCase' is '" + identifierCase + "'; write lower or keep");
        }
        if (!enumAs.equalsIgnoreCase("check") && !enumAs.equalsIgnoreCase("type")) {
            throw new IllegalArgumentException("parameter 'enumAs' is '" + enumAs + "'; write check (the default: text with a CHECK on"
                    + " the values) or type (a PostgreSQL enum type per column)");
        }
    }

    /** The options that shape the plan; parallelism and cron may change between runs. */
    @Override
    public String planFingerprint() {
        // "full" stands where the mode was: plans made before sync existed stay valid, and a migration may switch between
        // sync and once without a new plan (both cut tables into the same chunks)
        return String.join("\n", source, target, tables, exclude, "full", Integer.toString(chunkSize),
                String.valueOf(sourceSchema), String.valueOf(targetSchema))
                + (identifierCase == null ? "" : "\nidentifierCase=" + identifierCase()) // unset: as planned before it existed
                + (enumAsType() ? "\nenumAs=type" : ""); // the default: as planned before it existed
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
    /** Whether every run lists the source again and copies what changed (mode sync). */
    public boolean sync() { return mode().equals("sync"); }
    public String onExistingTable() { return onExistingTable.toLowerCase(Locale.ROOT); }
    public String sourceSchema() { return sourceSchema; }
    public String targetSchema() { return targetSchema; }
    /** lower, keep, or null (the engines' default). */
    public String identifierCase() { return identifierCase == null ? null : identifierCase.toLowerCase(Locale.ROOT); }
    /** Whether MySQL enums become PostgreSQL enum types ({@code enumAs: type}). */
    public boolean enumAsType() { return enumAs.equalsIgnoreCase("type"); }

    public void setSource(String source) { this.source = source.strip(); }
    public void setTarget(String target) { this.target = target.strip(); }
    public void setTables(String tables) { this.tables = tables; }
    public void setExclude(String exclude) { this.exclude = exclude; }
    public void setMode(String mode) { this.mode = mode; }
    public void setChunkSize(int chunkSize) { this.chunkSize = chunkSize; }
    public void setOnExistingTable(String onExistingTable) { this.onExistingTable = onExistingTable; }
    public void setSourceSchema(String sourceSchema) { this.sourceSchema = sourceSchema; }
    public void setTargetSchema(String targetSchema) { this.targetSchema = targetSchema; }
    public void setIdentifierCase(String identifierCase) { this.identifierCase = identifierCase; }
    public void setEnumAs(String enumAs) { this.enumAs = enumAs.strip(); }
}
