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

    public boolean allVerified() {
        return get(ItemStatus.VERIFIED) == total();
    }
}
