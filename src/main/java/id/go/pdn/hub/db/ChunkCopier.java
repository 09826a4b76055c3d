package id.go.pdn.hub.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.db.copy.ColumnChecksums;
import id.go.pdn.hub.db.copy.RawValue;
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

    /** Takes a row holding bytes its column cannot hold (see {@link RowReader}); false stops the read. */
    @FunctionalInterface
    interface BadRowHandler {
        boolean row(Object[] row, ValueKind[] kinds, RowReader.Bad bad) throws SQLException;
    }

    /**
     * Streams the rows of {@code select} (a chunk's range bound to it) on this connection to the handler, each value read
     * as its {@link ValueKind}, the columns read raw made values by {@code raw} (the source's {@link ChunkSql#sourceRaw},
     * null for the target); returns the rows read. A row with a value that is no value of its column (text not of its
     * charset) fails the read with a {@link RowReader.UndecodableRow} naming column, key and bytes.
     */
    static long readRows(Connection connection, Dialect dialect, String select, RawValue[] raw, ChunkSql sql, Chunk chunk,
                         RowHandler handler) throws SQLException {
        return readRows(connection, dialect, select, raw, sql, chunk, handler, null);
    }

    /** {@link #readRows}; with {@code bad}, a row holding bytes its column cannot hold goes there instead of failing the read. */
    static long readRows(Connection connection, Dialect dialect, String select, RawValue[] raw, ChunkSql sql, Chunk chunk,
                         RowHandler handler, BadRowHandler bad) throws SQLException {
        long rows = 0;
        try (PreparedStatement ps = connection.prepareStatement(select, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            dialect.streamResults(connection, ps, sql.wideRows);
            sql.bindRange(ps, chunk);
            try (ResultSet rs = ps.executeQuery()) {
                RowReader reader = new RowReader(rs, raw, raw != null && dialect.decimalTextIsPlain());
                ValueKind[] kinds = reader.kinds;
                Object[] row = new Object[kinds.length];
                while (rs.next()) {
                    RowReader.Bad undecodable = reader.read(rs, row);
                    rows++;
                    if (undecodable != null) {
                        if (bad == null) {
                            throw new RowReader.UndecodableRow(sql.sourceColumns.get(undecodable.column()), sql.keyText(row),
                                    undecodable.problem());
                        }
                        if (!bad.row(row, kinds, undecodable)) {
                            break;
                        }
                        continue;
                    }
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
        if (chunk.changed() != null && ctx.sync()) {
            ItemOutcome outcome = copyChanges(item, chunk.range());
            if (outcome != null) {
                return outcome;
            }
        }
        chunk = chunk.range();
        ChunkSql sql;
        RowChecksum sourceSum = new RowChecksum();
        long started = System.nanoTime();
        SQLException refused = null;
        RowReader.UndecodableRow undecodable = null;
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
                    int deleted = delete.executeUpdate(); // the chunk replaces what an earlier attempt left: nothing twice
                    if (deleted > 0 && ctx.sync() && !relaxed && ctx.deletesCascade(target, sql.targetSchema, sql.targetTable)) {
                        DbContext.rollbackQuietly(target); // the cascade is undone with the delete
                        throw new ItemFailure.Final(cascadeRefused(item, sql), null);
                    }
                }
                try (RowWriter writer = ctx.targetDialect.openWriter(target, sql.targetSchema, sql.targetTable, sql.targetColumns)) {
                    reading[0] = true;
                    readRows(source, ctx.sourceDialect, sql.sourceSelect(chunk), sql.sourceRaw, sql, chunk, (row, kinds) -> {
                        reading[0] = false;
                        writer.write(row, kinds, sourceSum); // summed as read, in the pass that encodes it for the target
                        reading[0] = true;
                        return true;
                    });
                    reading[0] = false;
                    writer.finish();
                }
                target.commit();
            } catch (RowReader.UndecodableRow e) {
                DbContext.rollbackQuietly(target);
                undecodable = e; // every such row of the chunk found and rejected below
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
            if (refused == null && undecodable == null) {
                followIdentity(source, target, chunk, sql);
            }
        }
        if (undecodable != null) {
            throw rejects.undecodable(chunk, sql, item, undecodable);
        }
        if (refused != null) {
            throw rejects.failure(chunk, sql, item, refused);
        }
        long copied = System.nanoTime();
        TargetSum targetSum = targetChecksum(sql, chunk, sourceSum.value());
        LOG.debug("{}: {} rows copied in {} ms, verified in {} ms{}", item.key(), sourceSum.rows(),
                (copied - started) / 1_000_000, (System.nanoTime() - copied) / 1_000_000, targetSum.inSql() ? " (in SQL)" : "");
        return outcome(sql, chunk, sourceSum, targetSum.value(), targetSum.rows());
    }

    /** Rows a changed chunk may differ by, at most, for {@link #copyChanges} (beyond, the chunk is copied whole). */
    private int changeLimit() {
        return Math.max(100, ctx.spec.chunkSize() / 4);
    }

    private static final long CHANGE_BYTES_LIMIT = 16L << 20;

    /**
     * Sync mode, a chunk that changed since its copy, on a single integer key: reads the chunk in key order on both sides
     * at once and compares row by row (hash of the normalized values, as the checksums), then, in one target transaction,
     * deletes the target's rows that the source no longer has or that differ and writes the source's new and changed
     * rows; then verifies the whole chunk as {@link #copy} does. Writes only what changed: a nightly run after scattered
     * updates does not copy whole chunks again. Returns null (copy the chunk whole) when the table has no integer key or
     * the chunk differs by more than {@link #changeLimit} rows or 16 MiB.
     */
    private ItemOutcome copyChanges(LedgerItem item, Chunk chunk) throws Exception {
        ChunkSql sql;
        RowChecksum sourceSum = new RowChecksum();
        RowChecksum hasher = new RowChecksum();
        List<Object[]> writes = new ArrayList<>();
        List<Long> deletes = new ArrayList<>();
        ValueKind[] sourceKinds;
        try (Connection source = ctx.source.getConnection(); Connection targetRead = ctx.target.getConnection()) {
            sql = ctx.chunkSql(source, targetRead, chunk);
            if (!sql.hasIntegerKey()) {
                return null;
            }
            int key = sql.keyIndex();
            // a PostgreSQL target sends each row's key and MD5 (as the hub hashes rows), not its values
            String rowHash = ctx.sqlRowHash(targetRead, sql);
            boolean hashed = rowHash != null;
            String targetRows = hashed ? sql.targetKeyHashesInKeyOrder(chunk, rowHash) : sql.targetSelectInKeyOrder(chunk);
            try (PreparedStatement sps = source.prepareStatement(sql.sourceSelectInKeyOrder(chunk), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                 PreparedStatement tps = targetRead.prepareStatement(targetRows, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ctx.sourceDialect.streamResults(source, sps, sql.wideRows);
                ctx.targetDialect.streamResults(targetRead, tps, sql.wideRows && !hashed); // key and hash: narrow rows
                sql.bindRange(sps, chunk);
                sql.bindRange(tps, chunk);
                try (ResultSet s = sps.executeQuery(); ResultSet t = tps.executeQuery()) {
                    RowReader sReader = new RowReader(s, sql.sourceRaw, ctx.sourceDialect.decimalTextIsPlain());
                    RowReader tReader = hashed ? null : new RowReader(t, null);
                    sourceKinds = sReader.kinds;
                    ValueKind[] targetKinds = hashed ? null : tReader.kinds;
                    int tKey = hashed ? 0 : key;
                    Object[] sRow = new Object[sourceKinds.length];
                    Object[] tRow = new Object[hashed ? 2 : targetKinds.length];
                    boolean sHas = next(s, sReader, sRow);
                    boolean tHas = hashed ? nextHashed(t, tRow) : next(t, tReader, tRow);
                    long bytes = 0;
                    while (sHas || tHas) {
                        long sk = sHas ? ((Number) sRow[key]).longValue() : Long.MAX_VALUE;
                        long tk = tHas ? ((Number) tRow[tKey]).longValue() : Long.MAX_VALUE;
                        if (sHas && (!tHas || sk < tk)) { // new at the source
                            sourceSum.add(sRow, sourceKinds);
                            writes.add(sRow.clone());
                            bytes += sourceSum.lastRowBytes();
                            sHas = next(s, sReader, sRow);
                        } else if (!sHas || tk < sk) { // deleted at the source
                            deletes.add(tk);
                            tHas = hashed ? nextHashed(t, tRow) : next(t, tReader, tRow);
                        } else {
                            long[] sh = sourceSum.addAndHash(sRow, sourceKinds);
                            long[] th = hashed ? (long[]) tRow[1] : hasher.hash(tRow, targetKinds);
                            if (sh[0] != th[0] || sh[1] != th[1]) { // changed
                                deletes.add(sk);
                                writes.add(sRow.clone());
                                bytes += sourceSum.lastRowBytes();
                            }
                            sHas = next(s, sReader, sRow);
                            tHas = hashed ? nextHashed(t, tRow) : next(t, tReader, tRow);
                        }
                        if (writes.size() + deletes.size() > changeLimit() || bytes > CHANGE_BYTES_LIMIT) {
                            LOG.debug("{}: more than {} rows changed: copied whole", item.key(), changeLimit());
                            return null;
                        }
                    }
                }
            } catch (RowReader.UndecodableRow e) {
                LOG.debug("{}: a row holds bytes its column cannot hold: copied whole, which rejects it", item.key());
                return null;
            } finally {
                for (Connection c : List.of(source, targetRead)) {
                    if (!c.getAutoCommit()) {
                        c.rollback();
                    }
                }
            }
        }
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            target.setAutoCommit(false);
            target.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            boolean relaxed = ctx.targetRelaxesForeignKeys(target);
            try {
                if (relaxed) {
                    ctx.targetDialect.relaxForeignKeysInTransaction(target);
                } else if (!deletes.isEmpty() && ctx.deletesCascade(target, sql.targetSchema, sql.targetTable)) {
                    DbContext.rollbackQuietly(target);
                    throw new ItemFailure.Final(cascadeRefused(item, sql), null);
                }
                for (int from = 0; from < deletes.size(); from += 500) {
                    List<Long> part = deletes.subList(from, Math.min(deletes.size(), from + 500));
                    try (PreparedStatement delete = target.prepareStatement(sql.targetDeleteKeys(part.size()))) {
                        for (int i = 0; i < part.size(); i++) {
                            delete.setLong(i + 1, part.get(i));
                        }
                        delete.executeUpdate();
                    }
                }
                try (RowWriter writer = ctx.targetDialect.openWriter(target, sql.targetSchema, sql.targetTable, sql.targetColumns)) {
                    for (Object[] row : writes) {
                        writer.write(row, sourceKinds);
                    }
                    writer.finish();
                }
                target.commit();
            } catch (SQLException e) {
                DbContext.rollbackQuietly(target);
                if (DbErrors.isDataError(e)) {
                    return null; // the whole copy finds and names the refused row
                }
                throw e;
            } finally {
                if (relaxed) {
                    ctx.targetDialect.restoreForeignKeyChecks(target);
                }
            }
            followIdentity(source, target, chunk, sql);
        }
        TargetSum targetSum = targetChecksum(sql, chunk, sourceSum.value()); // in SQL where it can: no second read of the rows
        LOG.debug("{}: {} rows compared, {} deleted and {} written", item.key(), sourceSum.rows(), deletes.size(), writes.size());
        return outcome(sql, chunk, sourceSum, targetSum.value(), targetSum.rows());
    }

    /** The next row of a {@link ChunkSql#targetKeyHashesInKeyOrder} read: its key and its MD5 as two longs; or false. */
    private static boolean nextHashed(ResultSet rs, Object[] row) throws SQLException {
        if (!rs.next()) {
            return false;
        }
        row[0] = rs.getLong(1);
        String md5 = rs.getString(2);
        row[1] = new long[] {Long.parseUnsignedLong(md5, 0, 16, 16), Long.parseUnsignedLong(md5, 16, 32, 16)};
        return true;
    }

    /** The next row, or false; a row holding bytes its column cannot hold ends the comparison (the whole copy rejects it). */
    private static boolean next(ResultSet rs, RowReader reader, Object[] row) throws SQLException {
        if (!rs.next()) {
            return false;
        }
        RowReader.Bad bad = reader.read(rs, row);
        if (bad != null) {
            throw new RowReader.UndecodableRow("#" + (bad.column() + 1), "(in key order)", bad.problem());
        }
        return true;
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
        RowChecksum sourceSum;
        try {
            sourceSum = checksum(ctx.source, ctx.sourceDialect, sql.sourceSelect(chunk), sql.sourceRaw, sql, chunk);
        } catch (RowReader.UndecodableRow e) {
            throw new ItemFailure.Final("Cannot verify " + item.key() + " of migration " + ctx.migration.describe() + ": table "
                    + chunk.table() + ", rows " + sql.rangeText(chunk) + ": " + e.getMessage()
                    + "; the row cannot be compared (copy the migration again to reject it into the reject file)", e);
        }
        String targetSum;
        long targetRows = 0;
        try {
            TargetSum target = targetChecksum(sql, chunk, sourceSum.value());
            targetSum = target.value();
            targetRows = target.rows();
        } catch (SQLException e) {
            boolean tableThere;
            try (Connection target = ctx.target.getConnection()) {
                tableThere = new SchemaReader(target, ctx.targetDialect, sql.targetSchema).exists(sql.targetTable);
            }
            if (tableThere) {
                throw e;
            }
            return new ItemOutcome(sourceSum.rows(), sourceSum.bytes(), sourceSum.value(), null,
                    "rows " + sql.rangeText(chunk) + ": the target table " + sql.targetTable + " does not exist");
        }
        return outcome(sql, chunk, sourceSum, targetSum, targetRows);
    }

    /**
     * The outcome of a chunk read on both sides; when the checksums differ, says where: the key range with its numbers, and
     * how many rows each side has, or else (same row count) which columns differ, found by one more read of the chunk on
     * each side, summed column by column. Costs nothing while the sides agree.
     */
    private ItemOutcome outcome(ChunkSql sql, Chunk chunk, RowChecksum sourceSum, String targetSum, long targetRows)
            throws SQLException {
        if (targetSum == null || targetSum.equals(sourceSum.value())) {
            return new ItemOutcome(sourceSum.rows(), sourceSum.bytes(), sourceSum.value(), targetSum);
        }
        String range = "rows " + sql.rangeText(chunk);
        String difference;
        if (sourceSum.rows() != targetRows) {
            difference = range + ": the source has " + sourceSum.rows() + " rows, the target " + targetRows;
        } else {
            difference = differingColumns(sql, chunk, range);
        }
        return new ItemOutcome(sourceSum.rows(), sourceSum.bytes(), sourceSum.value(), targetSum, difference);
    }

    /**
     * {@code rows id < 51 (id 1 to 50 read): columns that differ: geom, updated_at}: the chunk summed column by column on
     * each side, compared; an open-ended chunk says the lowest and highest single integer key the source has in it.
     */
    private String differingColumns(ChunkSql sql, Chunk chunk, String range) throws SQLException {
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        int key = sql.hasIntegerKey() && (chunk.lo() == null || chunk.hi() == null) ? sql.keyIndex() : -1;
        ColumnChecksums source = columnChecksums(ctx.source, ctx.sourceDialect, sql.sourceSelect(chunk), sql.sourceRaw, sql, chunk, key, span);
        ColumnChecksums target = columnChecksums(ctx.target, ctx.targetDialect, sql.targetSelect(chunk), null, sql, chunk, -1, span);
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < sql.sourceColumns.size(); i++) {
            if (!source.sameColumn(target, i)) {
                differing.add(sql.sourceColumns.get(i));
            }
        }
        String read = span[0] > span[1] ? "" : " (" + sql.keyName() + " " + span[0] + " to " + span[1] + " read)";
        return range + read + ": " + (differing.isEmpty()
                ? "every column sums the same on both sides now (the rows changed while they were read, or values moved between rows)"
                : (differing.size() == 1 ? "column that differs: " : "columns that differ: ") + String.join(", ", differing));
    }

    /** Sums a chunk's rows column by column on one side; with a {@code key} index, widens {@code span} to the keys read. */
    private static ColumnChecksums columnChecksums(DataSource side, Dialect dialect, String select, RawValue[] raw, ChunkSql sql,
            Chunk chunk, int key, long[] span) throws SQLException {
        ColumnChecksums sums = new ColumnChecksums(sql.sourceColumns.size());
        try (Connection connection = side.getConnection()) {
            readRows(connection, dialect, select, raw, sql, chunk, (row, kinds) -> {
                sums.add(row, kinds);
                if (key >= 0 && row[key] instanceof Number k) {
                    span[0] = Math.min(span[0], k.longValue());
                    span[1] = Math.max(span[1], k.longValue());
                }
                return true;
            });
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
        return sums;
    }

    /** A target chunk's checksum and row count, and whether PostgreSQL summed it in SQL. */
    record TargetSum(String value, long rows, boolean inSql) {
    }

    /**
     * The target's checksum of a chunk. A PostgreSQL target sums it in SQL ({@link SqlSums}); only when that sum is not
     * {@code expected} (the source's), or the table has a column without a SQL form, are the rows read back and summed
     * here, as {@link #checksum} does: the verdict on a difference, and the naming of its columns, always come from rows
     * the hub read on both sides.
     */
    private TargetSum targetChecksum(ChunkSql sql, Chunk chunk, String expected) throws SQLException {
        try (Connection target = ctx.target.getConnection()) {
            String query = ctx.sqlSums(target, sql, chunk);
            if (query != null) {
                String value = SqlSums.sum(target, query, sql, chunk);
                if (!target.getAutoCommit()) {
                    target.commit();
                }
                if (value.equals(expected)) {
                    return new TargetSum(value, Long.parseLong(value.substring(0, value.indexOf(':'))), true);
                }
                LOG.debug("table {}, rows {}: the SQL checksum {} is not the source's {}; reading the rows back",
                        sql.targetTable, sql.rangeText(chunk), value, expected);
            }
        }
        RowChecksum sum = checksum(ctx.target, ctx.targetDialect, sql.targetSelect(chunk), null, sql, chunk);
        return new TargetSum(sum.value(), sum.rows(), false);
    }

    /** Reads a chunk's rows on one side (its own connection) and sums them as {@link #copy} does while it writes them. */
    static RowChecksum checksum(DataSource side, Dialect dialect, String select, RawValue[] raw, ChunkSql sql, Chunk chunk)
            throws SQLException {
        RowChecksum sum = new RowChecksum();
        try (Connection connection = side.getConnection()) {
            readRows(connection, dialect, select, raw, sql, chunk, (row, kinds) -> {
                sum.add(row, kinds);
                return true;
            });
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        }
        return sum;
    }

    /** A changed chunk whose rows cannot be replaced without a cascade into other tables' rows: said, never done. */
    private String cascadeRefused(LedgerItem item, ChunkSql sql) {
        return "Cannot copy " + item.key() + " of migration " + ctx.migration.describe() + " again: replacing its rows on the "
                + "target would change rows of other tables (a foreign key with ON DELETE CASCADE, SET NULL or SET DEFAULT "
                + "refers to " + sql.targetTable + "), and the hub's user on the target may not lift foreign-key actions. "
                + "Fix: GRANT SET ON PARAMETER session_replication_role TO the hub's user (PostgreSQL 15+), or use a superuser";
    }
}
