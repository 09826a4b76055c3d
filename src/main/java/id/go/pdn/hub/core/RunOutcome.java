package id.go.pdn.hub.core;

import id.go.pdn.hub.core.ledger.RunState;

/**
 * What a run did, before it is summarized.
 *
 * @param rows  volume the run itself measured, or -1 to take it from the ledger's items of the run
 */
record RunOutcome(RunState state, String message, long rows, long bytes) {

    RunOutcome(RunState state, String message) {
        this(state, message, -1, -1);
    }
}
