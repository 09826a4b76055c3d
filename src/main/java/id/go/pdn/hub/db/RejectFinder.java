package id.go.pdn.hub.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import id.go.pdn.hub.core.ItemFailure;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.LedgerItem;
import id.go.pdn.hub.db.copy.RowWriter;
import id.go.pdn.hub.db.copy.ValueKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the target refused a chunk: finds the refused rows one by one (each written in a savepoint, everything rolled
 * back), writes them to the reject file like pgloader's reject.dat, and fails the chunk naming the first one's table,
 * key and column.
 */
final class RejectFinder {

    private static final Logger LOG = LoggerFactory.getLogger(RejectFinder.class);
    private static final int MAX_REJECTS_PER_CHUNK = 1_000;

    private final DbContext ctx;
    private final RunReports reports;

    RejectFinder(DbContext ctx, RunReports reports) {
        this.ctx = ctx;
        this.reports = reports;
    }

    /** The chunk's final failure, with the refused rows found and written to the reject file. */
    ItemFailure failure(Chunk chunk, ChunkSql sql, LedgerItem item, SQLException cause) {
        List<RejectFile.Reject> rejects = new ArrayList<>();
        long rows;
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            target.setAutoCommit(false);
            try {
                rows = ChunkCopier.readRows(source, ctx.sourceDialect, sql.sourceSelect(chunk), sql.sourceRaw, sql, chunk, (row, kinds) -> {
                    Savepoint savepoint = target.setSavepoint();
                    try (RowWriter writer = ctx.targetDialect.openWriter(target, sql.targetSchema, sql.targetTable, sql.targetColumns)) {
                        writer.write(row, kinds);
                        writer.finish();
                    } catch (SQLException refused) {
                        target.rollback(savepoint);
                        rejects.add(new RejectFile.Reject(sql.keyText(row), DbErrors.columnOf(refused),
                                DbErrors.serverMessage(refused), copyLine(row, kinds)));
                    }
                    return rejects.size() < MAX_REJECTS_PER_CHUNK;
                });
            } finally {
                DbContext.rollbackQuietly(target);
            }
        } catch (SQLException e) {
            LOG.warn("Cannot find the refused rows of {}: {}", item.key(), e.getMessage());
            rows = 0;
        }
        String what = "Cannot copy " + item.key() + " of migration " + ctx.migration.describe() + ": the target refused ";
        if (rejects.isEmpty()) {
            return new ItemFailure.Final(what + "the chunk: " + DbErrors.serverMessage(cause), cause);
        }
        Path file;
        try {
            file = RejectFile.append(reports.applicationDir(ctx.migration.application()), ctx.migration.name(), sql.targetTable, rejects);
        } catch (java.io.IOException e) {
            file = null;
            LOG.warn("Cannot write the reject file of {}: {}", item.key(), e.getMessage());
        }
        RejectFile.Reject first = rejects.get(0);
        return new ItemFailure.Final(what + rejects.size() + (rejects.size() >= MAX_REJECTS_PER_CHUNK ? "+" : "") + " of " + rows
                + " rows; first: table " + sql.targetTable + ", key " + first.key()
                + (first.column() == null ? "" : ", column " + first.column()) + ": " + first.error()
                + (file == null ? "" : "; refused rows in " + file), cause);
    }

    /**
     * The chunk's final failure after its source read met a row holding bytes that are no value of their column (text
     * not of the column's charset): every such row of the chunk (up to 1,000) goes to the reject file with its key, the
     * column and the bytes in hex; nothing of the chunk was committed.
     */
    ItemFailure undecodable(Chunk chunk, ChunkSql sql, LedgerItem item, RowReader.UndecodableRow first) {
        List<RejectFile.Reject> rejects = new ArrayList<>();
        long rows;
        try (Connection source = ctx.source.getConnection()) {
            rows = ChunkCopier.readRows(source, ctx.sourceDialect, sql.sourceSelect(chunk), sql.sourceRaw, sql, chunk,
                    (row, kinds) -> true, (row, kinds, bad) -> {
                        ValueKind[] shown = kinds.clone();
                        shown[bad.column()] = ValueKind.BINARY; // the bytes as they are, in bytea's hex form
                        rejects.add(new RejectFile.Reject(sql.keyText(row), sql.sourceColumns.get(bad.column()), bad.problem(),
                                copyLine(row, shown)));
                        return rejects.size() < MAX_REJECTS_PER_CHUNK;
                    });
            if (!source.getAutoCommit()) {
                source.commit();
            }
        } catch (SQLException e) {
            LOG.warn("Cannot find the rows of {} that cannot be read: {}", item.key(), e.getMessage());
            rows = 0;
        }
        if (rejects.isEmpty()) { // changed since: the first one still says what was met
            rejects.add(new RejectFile.Reject(first.key, first.column, first.problem, "(the row changed before it could be written here)"));
        }
        Path file;
        try {
            file = RejectFile.append(reports.applicationDir(ctx.migration.application()), ctx.migration.name(), sql.targetTable, rejects);
        } catch (java.io.IOException e) {
            file = null;
            LOG.warn("Cannot write the reject file of {}: {}", item.key(), e.getMessage());
        }
        RejectFile.Reject one = rejects.get(0);
        return new ItemFailure.Final("Cannot copy " + item.key() + " of migration " + ctx.migration.describe() + ": table "
                + chunk.table() + ", rows " + sql.rangeText(chunk) + ": " + rejects.size()
                + (rejects.size() >= MAX_REJECTS_PER_CHUNK ? "+" : "") + (rows > 0 ? " of " + rows : "")
                + " rows hold bytes that are no text of their column's charset (nothing of the chunk is copied); first: key "
                + one.key() + ", column " + one.column() + ": " + one.error() + (file == null ? "" : "; those rows in " + file), first);
    }

    /** A row in PostgreSQL's COPY text format (tab-separated, {@code \N} for NULL, escaped), as reject.dat holds it. */
    static String copyLine(Object[] row, ValueKind[] kinds) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                line.append('\t');
            }
            if (row[i] == null) {
                line.append("\\N");
            } else {
                for (char c : kinds[i].copyText(row[i]).toCharArray()) {
                    switch (c) {
                        case '\\' -> line.append("\\\\");
                        case '\t' -> line.append("\\t");
                        case '\n' -> line.append("\\n");
                        case '\r' -> line.append("\\r");
                        case '\0' -> line.append("\\0");
                        default -> line.append(c);
                    }
                }
            }
        }
        return line.toString();
    }
}
