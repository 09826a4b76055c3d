package id.go.pdn.hub.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.db.dialect.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finishing step, once every chunk is verified: per table (in parallel) its secondary indexes and identity counter,
 * then the foreign keys between migrated tables. Safe to repeat: what exists is left alone.
 */
final class TableFinisher {

    private static final Logger LOG = LoggerFactory.getLogger(TableFinisher.class);

    private final DbContext ctx;

    TableFinisher(DbContext ctx) {
        this.ctx = ctx;
    }

    void finish() {
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            String schema = ctx.targetSchema(target);
            List<TableInfo> tables = ctx.tables(source);
            finishTablesInParallel(schema, tables);
            addForeignKeys(target, schema, tables);
            if (!target.getAutoCommit()) {
                target.commit();
            }
        } catch (SQLException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot create the indexes and foreign keys of migration "
                    + ctx.migration.describe() + ": " + e.getMessage(), e);
        }
    }

    /** Indexes and identity counters, one table per connection at a time (index builds are the slow part). */
    private void finishTablesInParallel(String schema, List<TableInfo> tables) throws SQLException {
        int poolRoom = ctx.targetPoolSize - 1; // finish() holds one
        int threads = Math.max(1, Math.min(Math.min(tables.size(), poolRoom), ctx.migration.common().getParallelism()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (TableInfo table : tables) {
                done.add(pool.submit(() -> {
                    finishTable(schema, table);
                    return null;
                }));
            }
            for (Future<Void> table : done) {
                try {
                    table.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One table's own finishing: its secondary indexes, then its identity counter. */
    private void finishTable(String schema, TableInfo table) throws SQLException {
        Dialect td = ctx.targetDialect;
        String name = ctx.targetName(table.name());
        try (Connection target = ctx.target.getConnection()) {
            for (TableInfo.IndexInfo index : table.indexes()) {
                TableInfo.IndexInfo mapped = new TableInfo.IndexInfo(index.name(), index.unique(),
                        index.columns().stream().map(ctx::targetName).toList());
                DbContext.execute(target, td.createIndex(schema, name, mapped, td.indexName(name, ctx.targetName(index.name()))));
            }
            for (ColumnInfo column : table.columns()) {
                if (column.autoIncrement() && table.rangeKey() != null && table.rangeKey().name().equals(column.name())) {
                    td.resetIdentity(target, schema, name, ctx.targetName(column.name()));
                }
            }
            if (!target.getAutoCommit()) {
                target.commit();
            }
        }
    }

    /** Foreign keys between migrated tables that the target does not have yet. */
    private void addForeignKeys(Connection target, String schema, List<TableInfo> tables) throws SQLException {
        Dialect td = ctx.targetDialect;
        Set<String> migrated = tables.stream().map(TableInfo::name).collect(Collectors.toSet());
        SchemaReader targetSchema = new SchemaReader(target, td, schema);
        for (TableInfo table : tables) {
            String name = ctx.targetName(table.name());
            Set<String> present = targetSchema.table(name).foreignKeys().stream().map(TableInfo.ForeignKeyInfo::name)
                    .collect(Collectors.toSet());
            for (TableInfo.ForeignKeyInfo fk : table.foreignKeys()) {
                if (!migrated.contains(fk.referencedTable())) {
                    LOG.warn("Migration {}: foreign key {} of {} not created: table {} is not migrated", ctx.migration.name(),
                            fk.name(), table.name(), fk.referencedTable());
                    continue;
                }
                TableInfo.ForeignKeyInfo mapped = new TableInfo.ForeignKeyInfo(ctx.targetName(fk.name()),
                        fk.columns().stream().map(ctx::targetName).toList(), ctx.targetName(fk.referencedTable()),
                        fk.referencedColumns().stream().map(ctx::targetName).toList(), fk.onUpdate(), fk.onDelete());
                if (!present.contains(mapped.name())) {
                    DbContext.execute(target, td.addForeignKey(schema, name, mapped, mapped.referencedTable()));
                }
            }
        }
    }
}
