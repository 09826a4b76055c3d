package id.go.pdn.hub.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import id.go.pdn.hub.core.ledger.LedgerItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sync mode: takes off the target what chunks no longer listed held (GONE). A chunk of a table gone from the source:
 * the target table is emptied. A chunk of a table still at the source (its range split, or the table's key changed):
 * nothing to delete here, the table's chunks listed now cover every key and each replaces its range when copied; rows
 * deleted at the source inside a listed chunk leave the target with that chunk's copy.
 * Returns the items it took care of (REMOVED); a failure leaves the item GONE, offered again on the next run.
 */
final class ChunkRemover {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkRemover.class);

    private final DbContext ctx;

    ChunkRemover(DbContext ctx) {
        this.ctx = ctx;
    }

    Set<Long> remove(List<LedgerItem> gone) {
        Set<Long> removed = new HashSet<>();
        Set<String> emptied = new HashSet<>();
        Set<String> kept = new HashSet<>(); // tables whose rows could not be deleted safely: their chunks stay GONE
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            Set<String> atSource = new HashSet<>();
            ctx.tables(source).forEach(t -> atSource.add(t.name()));
            String schema = ctx.targetSchema(target);
            SchemaReader targetTables = new SchemaReader(target, ctx.targetDialect, schema);
            for (LedgerItem item : gone) {
                Chunk chunk = ctx.chunkOf(item).range();
                String targetTable = ctx.targetName(chunk.table());
                try {
                    if (!targetTables.exists(targetTable)) {
                        removed.add(item.itemId());
                    } else if (!atSource.contains(chunk.table())) {
                        if (emptied.contains(chunk.table())
                                || !kept.contains(chunk.table()) && empty(target, schema, targetTable, chunk.table())) {
                            emptied.add(chunk.table());
                            removed.add(item.itemId());
                        } else {
                            kept.add(chunk.table());
                        }
                    } else {
                        // the table's chunks listed now cover every key (open-ended at both ends), and each replaces its
                        // range when copied: the parts of a split chunk, the new chunks of a table whose key changed
                        removed.add(item.itemId());
                    }
                    if (!target.getAutoCommit()) {
                        target.commit();
                    }
                } catch (SQLException e) {
                    LOG.warn("Migration {}: cannot delete the rows of {} from the target: {}", ctx.migration.name(), item.key(),
                            e.getMessage());
                }
            }
        } catch (SQLException e) {
            LOG.warn("Migration {}: cannot delete chunks gone from the source: {}", ctx.migration.name(), e.getMessage());
        }
        return removed;
    }

    /**
     * Deletes a vanished table's rows from the target in one transaction with foreign-key checks and actions lifted, so
     * that no ON DELETE CASCADE or SET NULL reaches other tables' rows (whose source checksums would not show it). A target
     * that cannot lift them keeps the rows: the chunks stay GONE, reported as a difference, rather than damage other tables.
     */
    private boolean empty(Connection target, String schema, String targetTable, String table) throws SQLException {
        if (!ctx.targetRelaxesForeignKeys(target)) {
            LOG.warn("Migration {}: table {} is gone from the source, but its rows stay on the target: deleting them could cascade "
                    + "into other tables while foreign-key actions cannot be lifted (see the warning above); delete them by hand",
                    ctx.migration.name(), table);
            return false;
        }
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try {
            ctx.targetDialect.relaxForeignKeysInTransaction(target);
            DbContext.execute(target, "DELETE FROM " + ctx.targetDialect.qualified(schema, targetTable));
            target.commit();
        } catch (SQLException e) {
            target.rollback();
            throw e;
        } finally {
            ctx.targetDialect.restoreForeignKeyChecks(target);
            target.setAutoCommit(autoCommit);
        }
        LOG.info("Migration {}: table {} is gone from the source: its rows were deleted from the target", ctx.migration.name(), table);
        return true;
    }
}
