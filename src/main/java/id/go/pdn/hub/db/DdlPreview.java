package id.go.pdn.hub.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.db.dialect.Dialect;
import id.go.pdn.hub.db.dialect.MySqlToPostgres;

/**
 * The DDL a migration would run on its target, for a DBA to review before the first run ({@code ./hub plan --ddl}):
 * the tables with their defaults, checks and triggers, then what the finishing step makes (unique constraints, indexes,
 * foreign keys, views), and as comments what is left for hand work. Reads the source's schema; writes nothing.
 */
final class DdlPreview {

    private final DbContext ctx;

    DdlPreview(DbContext ctx) {
        this.ctx = ctx;
    }

    List<String> statements() {
        Dialect td = ctx.targetDialect;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            String schema = ctx.targetSchema(target);
            String sourceSchema = ctx.sourceSchema(source);
            List<TableInfo> tables = ctx.tables(source);
            List<String> out = new ArrayList<>();
            out.add("-- migration " + ctx.migration.name() + ": " + ctx.spec.source() + " (" + ctx.sourceDialect.name() + ") into "
                    + ctx.spec.target() + " (" + td.name() + ") schema " + schema + "; identifierCase: "
                    + (ctx.lowersNames() ? "lower" : "keep"));
            List<String> handWork = new ArrayList<>();
            out.add("-- at plan: the tables");
            if (ctx.sourceDialect.getClass() != td.getClass() && tables.stream()
                    .anyMatch(t -> t.columns().stream().anyMatch(c -> ctx.sourceDialect.spatialType(c) != null))) {
                Dialect.Geometry geometry = ctx.geometry(target, true); // tried, rolled back
                if (geometry.created()) {
                    out.add("CREATE EXTENSION IF NOT EXISTS postgis");
                } else if (geometry.schema() == null) {
                    out.add("-- spatial columns become WKB bytea: " + geometry.note());
                }
            }
            for (TableInfo table : tables) {
                TargetDdl ddl = TargetDdl.of(ctx, table, schema);
                out.addAll(ddl.before());
                out.add(ddl.create());
                out.addAll(ddl.after());
                handWork.addAll(ddl.handWork());
            }
            out.add("-- when a table's chunks are verified: its unique constraints, indexes and identity counter");
            Set<String> migrated = tables.stream().map(TableInfo::name).collect(Collectors.toSet());
            for (TableInfo table : tables) {
                String name = ctx.targetName(table.name());
                for (TableInfo.IndexInfo index : table.indexes()) {
                    TableInfo.IndexInfo mapped = new TableInfo.IndexInfo(index.name(), index.unique(),
                            index.columns().stream().map(ctx::targetName).toList());
                    String indexName = td.indexName(name, ctx.targetName(index.name()));
                    out.add(index.unique() ? td.addUnique(schema, name, mapped, indexName) : td.createIndex(schema, name, mapped, indexName));
                }
            }
            out.add("-- when both tables are finished: foreign keys");
            for (TableInfo table : tables) {
                for (TableInfo.ForeignKeyInfo fk : table.foreignKeys()) {
                    if (!migrated.contains(fk.referencedTable())) {
                        out.add("-- foreign key " + fk.name() + " of " + table.name() + " left out: table " + fk.referencedTable()
                                + " is not migrated");
                        continue;
                    }
                    out.add(td.addForeignKey(schema, ctx.targetName(table.name()), new TableInfo.ForeignKeyInfo(ctx.targetName(fk.name()),
                            fk.columns().stream().map(ctx::targetName).toList(), ctx.targetName(fk.referencedTable()),
                            fk.referencedColumns().stream().map(ctx::targetName).toList(), fk.onUpdate(), fk.onDelete()),
                            ctx.targetName(fk.referencedTable())));
                }
            }
            out.add("-- after their tables: views");
            boolean sameEngine = ctx.sourceDialect.getClass() == td.getClass();
            for (Dialect.SourceObject o : new SchemaReader(source, ctx.sourceDialect, sourceSchema).objects()) {
                if (o.kind().equals("view")) {
                    try {
                        out.add(td.createView(schema, ctx.targetName(o.name()),
                                td.view(o.definition(), ctx.sourceDialect, ctx.names(sourceSchema, schema)).select()));
                    } catch (MySqlToPostgres.Untranslatable e) {
                        handWork.add("view " + o.name() + ": cannot translate " + e.getMessage());
                    }
                } else if (sameEngine) {
                    out.add("-- " + o.kind() + " " + o.name() + " made as the source has it:\n" + o.ddl());
                } else {
                    handWork.add(o.kind() + " " + o.name() + (o.table() == null ? "" : " on " + o.table()) + ": left for hand work");
                }
            }
            if (!handWork.isEmpty()) {
                out.add("-- needs hand work:");
                handWork.forEach(h -> out.add("--   " + h));
            }
            return out;
        } catch (SQLException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot write the DDL of migration " + ctx.migration.describe()
                    + ": " + e.getMessage(), e);
        }
    }
}
