package id.go.pdn.hub.core;

import java.util.List;

/**
 * What a migration would move if it ran now, found by reading the source only ({@code ./hub plan}): per group (a table,
 * a top folder, an account's folder) the volume on the source, how much of it the ledger already holds as verified,
 * and what a run would copy. Nothing is created, written or recorded to find it.
 *
 * @param unit what a migration's "rows" are: rows, files or messages
 * @param notes how the figures were found (e.g. which row counts come from the engine's statistics)
 */
public record PlanSurvey(String migration, String kind, String unit, List<Group> groups, List<String> notes) {

    public PlanSurvey {
        groups = List.copyOf(groups);
        notes = List.copyOf(notes);
    }

    /**
     * One table, top folder or mail folder.
     *
     * @param source what the source holds now
     * @param verified what of it the ledger already records as copied and verified
     * @param toCopy what a run would copy (new, changed or not yet verified)
     * @param note how this group's figures were found, if not the usual way; null otherwise
     */
    public record Group(String name, Volume source, Volume verified, Volume toCopy, String note) {
    }

    /**
     * Work items, units (rows, files, messages) and bytes; bytes are {@link #UNKNOWN} when the source cannot tell
     * them cheaply.
     */
    public record Volume(long items, long units, long bytes) {

        public static final long UNKNOWN = -1;
        public static final Volume NONE = new Volume(0, 0, 0);

        public boolean bytesKnown() {
            return bytes >= 0;
        }

        public Volume plus(Volume other) {
            return new Volume(items + other.items, units + other.units,
                    bytesKnown() && other.bytesKnown() ? bytes + other.bytes : UNKNOWN);
        }
    }

    public Volume totalSource() {
        return groups.stream().map(Group::source).reduce(Volume.NONE, Volume::plus);
    }

    public Volume totalVerified() {
        return groups.stream().map(Group::verified).reduce(Volume.NONE, Volume::plus);
    }

    public Volume totalToCopy() {
        return groups.stream().map(Group::toCopy).reduce(Volume.NONE, Volume::plus);
    }
}
