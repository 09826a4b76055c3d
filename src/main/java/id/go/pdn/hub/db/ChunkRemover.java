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
                        if (emptied.add(chunk.table())) {
                            DbContext.execute(target, "DELETE FROM " + ctx.targetDialect.qualified(schema, targetTable));
                            LOG.info("Migration {}: table {} is gone from the source: its rows were deleted from the target",
                                    ctx.migration.name(), chunk.table());
                        }
                        removed.add(item.itemId());
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
}
