package id.go.pdn.hub.db;

/**
 * A work item of a database migration: the rows of one table whose integer key is in {@code [lo, hi)}; a null
 * bound is open, so rows added beyond the planned ends are still covered. A table without such a key is one
 * chunk with both bounds null.
 */
public record Chunk(String table, Long lo, Long hi) {

    public String describe(String keyColumn) {
        if (keyColumn == null) {
            return table + " (whole table)";
        }
        return table + " " + keyColumn + " [" + (lo == null ? "start" : lo) + ", " + (hi == null ? "end" : hi) + ")";
    }
}
