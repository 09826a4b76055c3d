package id.go.pdn.hub.core.ledger;

import java.util.EnumMap;
import java.util.Map;

/** How many items of a migration are in each status, and the rows and bytes of the verified ones. */
public record ItemCounts(Map<ItemStatus, Integer> byStatus, long rows, long bytes) {

    public static ItemCounts empty() {
        return new ItemCounts(new EnumMap<>(ItemStatus.class), 0, 0);
    }

    public int get(ItemStatus status) {
        return byStatus.getOrDefault(status, 0);
    }

    public int total() {
        return byStatus.values().stream().mapToInt(Integer::intValue).sum();
    }

    public int inFlight() {
        return ItemStatus.IN_FLIGHT.stream().mapToInt(this::get).sum();
    }

    public int unsuccessful() {
        return get(ItemStatus.FAILED) + get(ItemStatus.DEAD);
    }

    /** Items deleted at the source whose copy the target still holds: a difference between the two sides. */
    public int gone() {
        return get(ItemStatus.GONE);
    }

    /** Whether every item that should be on the target is there and verified, and nothing else is (no GONE item). */
    public boolean allVerified() {
        return get(ItemStatus.VERIFIED) + get(ItemStatus.SKIPPED) + get(ItemStatus.REMOVED) == total();
    }

    /** Whether every item to copy was copied and verified, deletions at the source aside. */
    public boolean allCopied() {
        return get(ItemStatus.VERIFIED) + get(ItemStatus.SKIPPED) + get(ItemStatus.REMOVED) + gone() == total();
    }
}
