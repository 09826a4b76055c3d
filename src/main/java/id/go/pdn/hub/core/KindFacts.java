package id.go.pdn.hub.core;

import java.util.function.UnaryOperator;

/**
 * What the report, {@code ./hub plan}, the run summaries and the MBeans say about one kind of migration.
 *
 * @param title          heading of the kind's section ("Database")
 * @param unit           what an item's volume is counted in ("rows", "files", "messages")
 * @param groupNoun      what its items are grouped by ("table", "file set", "mailbox")
 * @param colour         of its charts in the HTML report
 * @param order          its place among the kinds in reports (lower first)
 * @param volumeInBytes  whether bytes, rather than the unit, show its progress best (files)
 * @param finishingStep  what its finishing step does ("indexes and foreign keys"), for a report that says it is not done
 * @param groupOfKey     the group an item key belongs to ("orders id [1, 50001)" gives "orders")
 * @param unitsPerSecond plan estimate before any run here measured a rate (the README's benchmark)
 * @param bytesPerSecond plan estimate per byte on top of the per-unit cost; 0 when bytes are not part of the model
 */
public record KindFacts(String title, String unit, String groupNoun, String colour, int order, boolean volumeInBytes,
                        String finishingStep, UnaryOperator<String> groupOfKey, double unitsPerSecond, double bytesPerSecond) {

    /** The first word of an item key: a table ("orders id [1, 50001)") or an account ("budi INBOX [1, 501)"). */
    public static String firstWord(String key) {
        return key.split(" ", 2)[0];
    }
}
