package id.go.pdn.hub.cli.command;

import java.util.LinkedHashMap;
import java.util.Map;
import id.go.pdn.hub.core.Capabilities;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.support.TestHub;

/** For tests of other packages: the rows per group the run summary prints ({@link Summaries#groups}). */
public final class SummariesAccess {

    private SummariesAccess() {
    }

    public static Map<String, Long> groupRows(TestHub hub, String migration, String kind) {
        Map<String, Long> rows = new LinkedHashMap<>();
        Summaries.groups(hub.bean(Ledger.class), migration, hub.bean(Capabilities.class).facts(kind))
                .forEach((group, v) -> rows.put(group, v[0]));
        return rows;
    }
}
