package id.go.pdn.hub.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.db.copy.RowChecksum;
import id.go.pdn.hub.db.copy.RowWriter;
import id.go.pdn.hub.db.copy.ValueKind;
import id.go.pdn.hub.db.dialect.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies and verifies chunks. Every read of a chunk's rows, on either side, goes through one loop
 * ({@link #readRows}): the copy writes and sums what it reads, the verification only sums, the {@link RejectFinder}
 * tries the rows one by one. So both sides are always measured the same way.
 */
final class ChunkCopier {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkCopier.class);

    /** Takes each row a chunk read gives; the array is reused for the next row. False stops the read. */
    @FunctionalInterface
    interface RowHandler {
        boolean row(Object[] row, ValueKind[] kinds) throws SQLException;
    }

    private final DbContext ctx;
    private final RejectFinder rejects;

    ChunkCopier(DbContext ctx, RejectFinder rejects) {
        this.ctx = ctx;
        this.rejects = rejects;
    }

    /**
     * Streams the rows of {@code select} (a chunk's range bound to it) on this connection to the handler, each value read
     * as its {@link ValueKind}; returns the rows read.
     */
    static long readRows(Connection connection, Dialect dialect, String select, ChunkSql sql, Chunk chunk, RowHandler handler)
            throws SQLException {
        long rows = 0;
        try (PreparedStatement ps = connection.prepareStatement(select, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            dialect.streamResults(connection, ps, sql.wideRows);
            sql.bindRange(ps, chunk);
            try (ResultSet rs = ps.executeQuery()) {
                ValueKind[] kinds = ValueKind.of(rs.getMetaData());
                Object[] row = new Object[kinds.length];
                while (rs.next()) {
                    for (int i = 0; i < kinds.length; i++) {
                        row[i] = kinds[i].read(rs, i + 1);
                    }
                    rows++;
                    if (!handler.row(row, kinds)) {
                        break;
                    }
                }
            }
        }
        return rows;
    }

    /**
     * Streams the chunk from the source into the target in one transaction, after deleting what an earlier attempt left
     * in its range, then reads it back from the target: both row counts and checksums.
     */
    ItemOutcome copy(LedgerItem item) throws Exception {
        Chunk chunk = ctx.json.readValue(item.payload(), Chunk.class);
        ChunkSql sql;
        RowChecksum sourceSum = new RowChecksum();
        long started = System.nanoTime();
        SQLException refused = null;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            sql = ctx.chunkSql(source, target, chunk);
            target.setAutoCommit(false);
            // chunks cover disjoint key ranges: without InnoDB's gap locks their transactions never deadlock
            target.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            boolean[] reading = {false}; // whether a failure is the source's (reading) or the target's (writing)
            boolean relaxed = ctx.sync() && ctx.targetRelaxesForeignKeys(target);
            try {
                if (relaxed) {
                    ctx.targetDialect.relaxForeignKeysInTransaction(target);
                }
                try (PreparedStatement delete = target.prepareStatement(sql.targetDelete(chunk))) {
                    sql.bindRange(delete, chunk);
                    delete.executeUpdate(); // the chunk replaces what an earlier attempt left: nothing twice
                }
                try (RowWriter writer = ctx.targetDialect.openWriter(target, sql.targetSchema, sql.targetTable, sql.targetColumns)) {
                    reading[0] = true;
                    readRows(source, ctx.sourceDialect, sql.sourceSelect(chunk), sql, chunk, (row, kinds) -> {
                        sourceSum.add(row, kinds);
                        reading[0] = false;
                        writer.write(row, kinds);
                        reading[0] = true;
                        return true;
                    });
                    reading[0] = false;
                    writer.finish();
                }
                target.commit();
            } catch (SQLException e) {
                DbContext.rollbackQuietly(target);
                if (reading[0] && DbErrors.isDataError(e)) {
                    throw new ItemFailure.Final("Cannot copy " + item.key() + " of migration " + ctx.migration.describe()
                            + ": the source cannot give a value of row " + (sourceSum.rows() + 1) + " of the chunk: "
                            + DbErrors.serverMessage(e), e);
                }
                if (reading[0] || !DbErrors.isDataError(e)) {
                    throw e;
                }
                refused = e; // found row by row below, once this chunk's connections are back in the pool
            } finally {
                if (relaxed) {
                    ctx.targetDialect.restoreForeignKeyChecks(target);
                }
            }
            if (refused == null) {
                followIdentity(source, target, chunk, sql);
            }
        }
        if (refused != null) {
            throw rejects.failure(chunk, sql, item, refused);
        }
        long copied = System.nanoTime();
        RowChecksum targetSum = checksum(ctx.target, ctx.targetDialect, sql.targetSelect(chunk), sql, chunk);
        LOG.debug("{}: {} rows copied in {} ms, read back in {} ms", item.key(), sourceSum.rows(),
                (copied - started) / 1_000_000, (System.nanoTime() - copied) / 1_000_000);
        return new ItemOutcome(sourceSum.rows(), sourceSum.bytes(), sourceSum.value(), targetSum.value());
    }

    /**
     * After a chunk's rows are committed: the identity counter of its table (a single integer key declared
     * auto-increment, as the planner creates it) moves past the highest key, whichever run wrote them (a sync run, a
     * retry, a dead-letter replay, a repair). Done per chunk, not in the finishing step, which runs only once every
     * item is verified.
     */
    private void followIdentity(Connection source, Connection target, Chunk chunk, ChunkSql sql) throws SQLException {
        TableInfo table = ctx.table(source, chunk.table());
        ColumnInfo key = table.rangeKey();
        if (key != null && key.autoIncrement()) {
            if (!target.getAutoCommit()) {
                target.setAutoCommit(true);
            }
            ctx.targetDialect.followIdentity(target, sql.targetSchema, sql.targetTable, ctx.targetName(key.name()));
        }
    }

    /**
     * Reads the chunk again on both sides, writing nothing: row count and checksum of the source's rows and of the
     * target's, as {@link #copy} computes them. A target table that is gone gives a null target checksum.
     */
    ItemOutcome verify(LedgerItem item) throws Exception {
        Chunk chunk = ctx.chunkOf(item);
        ChunkSql sql;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            sql = ctx.chunkSql(source, target, chunk);
        }
        RowChecksum sourceSum = checksum(ctx.source, ctx.sourceDialect, sql.sourceSelect(chunk), sql, chunk);
        String targetSum;
        try {
            targetSum = checksum(ctx.target, ctx.targetDialect, sql.targetSelect(chunk), sql, chunk).value();
        } catch (SQLException e) {
            boolean tableThere;
            try (Connection target = ctx.target.getConnection()) {
                tableThere = new SchemaReader(target, ctx.targetDialect, sql.targetSchema).exists(sql.targetTable);
            }
            if (tableThere) {
                throw e;
            }
            targetSum = null;
        }
        return new ItemOutcome(sourceSum.rows(), sourceSum.bytes(), sourceSum.value(), targetSum);
    }

    /** Reads a chunk's rows on one side (its own connection) and sums them as {@link #copy} does while it writes them. */
    static RowChecksum checksum(DataSource side, Dialect dialect, String select, ChunkSql sql, Chunk chunk)
            throws SQLException {
        RowChecksum sum = new RowChecksum();
        try (Connection connection = side.getConnection()) {
            readRows(connection, dialect, select, sql, chunk, (row, kinds) -> {
                sum.add(row, kinds);
                return true;
            });
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
        return sum;
    }
}
