package id.go.pdn.hub.db;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A work item of a database migration: the rows of one table in one range of its chunk key; a null bound is open, so
 * rows added beyond the planned ends (above the highest key, below the lowest) are still covered.
 * <ul>
 *   <li>a table with a single integer primary key: {@code [lo, hi)} on that key (the payload of plans made before keyset
 *       chunks existed, unchanged);</li>
 *   <li>any other table with a primary or unique key of integer and text columns: {@code [from, to)} on the key's columns
 *       {@code key}, compared as a row value in binary (code point) order on both engines;</li>
 *   <li>a table without such a key: one chunk, every bound null (compared whole).</li>
 * </ul>
 *
 * @param changed in sync mode, set by a listing that found the chunk's source checksum different from the one its last
 *                copy recorded ({@code <now> (copied: <then> at <time>)}): the payload changes, so the chunk is copied again
 */
public record Chunk(String table, Long lo, Long hi,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<String> key,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<Object> from,
                    @JsonInclude(JsonInclude.Include.NON_NULL) List<Object> to,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String changed) {

    public Chunk(String table, Long lo, Long hi) {
        this(table, lo, hi, null, null, null, null);
    }

    /** A keyset chunk on the columns {@code key}: rows from {@code from} (inclusive) to {@code to} (exclusive). */
    public static Chunk keyset(String table, List<String> key, List<Object> from, List<Object> to) {
        return new Chunk(table, null, null, key, from, to, null);
    }

    @JsonIgnore
    public boolean isKeyset() {
        return key != null;
    }

    /** The same chunk, marked as changed at the source since its copy. */
    public Chunk withChanged(String why) {
        return new Chunk(table, lo, hi, key, from, to, why);
    }

    /** The same range without the change mark: the chunk as planned. */
    public Chunk range() {
        return new Chunk(table, lo, hi, key, from, to, null);
    }

    public String describe(String keyColumn) {
        if (isKeyset()) {
            return table + " (" + String.join(", ", key) + ") [" + (from == null ? "start" : tuple(from)) + ", "
                    + (to == null ? "end" : tuple(to)) + ")";
        }
        if (keyColumn == null) {
            return table + " (whole table)";
        }
        return table + " " + keyColumn + " [" + (lo == null ? "start" : lo) + ", " + (hi == null ? "end" : hi) + ")";
    }

    private static String tuple(List<Object> values) {
        String text = values.stream().map(v -> v instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(v))
                .collect(Collectors.joining(", "));
        return values.size() == 1 ? text : "(" + text + ")";
    }
}
