package id.go.pdn.hub.core.queue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The items this hub's workers hold right now. The ledger says what was claimed; this says what is really being
 * worked on, so that a run can take back a claim a worker lost without ever taking one that is in progress.
 */
@Component
public class ActiveItems {

    private final Set<Long> items = ConcurrentHashMap.newKeySet();

    void add(long itemId) {
        items.add(itemId);
    }

    void addAll(java.util.Collection<Long> itemIds) {
        items.addAll(itemIds);
    }

    void remove(long itemId) {
        items.remove(itemId);
    }

    public List<Long> snapshot() {
        return List.copyOf(items);
    }
}
