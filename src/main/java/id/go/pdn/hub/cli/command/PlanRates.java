package id.go.pdn.hub.cli.command;

import java.util.List;
import id.go.pdn.hub.core.KindFacts;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.Units;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerRun;

/**
 * How fast a migration copies, for the estimates of {@code ./hub plan}: a model of seconds per unit (row, file,
 * message) plus, for files, seconds per byte. The model's defaults are the README's benchmark on a 2-vCPU machine; when
 * the ledger holds earlier runs that copied something (this migration's first, else any migration of its kind) the
 * model is scaled so that it gives their measured time for their measured volume.
 *
 * @param unitsPerSecond rows, files or messages per second
 * @param bytesPerSecond bytes per second on top of the per-unit cost; 0 when bytes are not part of the model
 * @param basis where the rates come from, in words
 */
record PlanRates(double unitsPerSecond, double bytesPerSecond, String basis) {

    /** Earlier runs looked at: the latest ones, so a changed network or target shows soon. */
    static final int RUNS_MEASURED = 10;

    /** The kind's figures of the README benchmark (bench/*.sh), e.g. db ~110,000 rows/s, files ~180 small files/s and ~110 MiB/s. */
    static PlanRates defaults(KindFacts facts) {
        return new PlanRates(facts.unitsPerSecond(), facts.bytesPerSecond(), "default rates (README benchmark)");
    }

    static PlanRates of(Ledger ledger, String migration, String kind, KindFacts facts) {
        List<LedgerRun> own = ledger.runsThatCopied(migration, kind, RUNS_MEASURED);
        if (!own.isEmpty()) {
            return measured(facts, own, "this migration's");
        }
        List<LedgerRun> ofKind = ledger.runsThatCopied(null, kind, RUNS_MEASURED);
        return ofKind.isEmpty() ? defaults(facts) : measured(facts, ofKind, "other " + kind + " migrations'");
    }

    /** The default model scaled to the time the runs took (ledger: started_at to finished_at, rows and bytes copied). */
    static PlanRates measured(KindFacts facts, List<LedgerRun> runs, String whose) {
        PlanRates model = defaults(facts);
        double took = 0;
        double modelled = 0;
        long units = 0;
        long bytes = 0;
        for (LedgerRun run : runs) {
            took += run.active().toMillis() / 1000.0; // not the hours it waited for its window
            modelled += model.seconds(run.rows(), run.bytes());
            units += run.rows();
            bytes += run.bytes();
        }
        if (took <= 0 || modelled <= 0) {
            return model;
        }
        double slower = took / modelled;
        String unit = facts.unit();
        String basis = String.format("measured: %s %d latest runs (%,d %s%s in %.1f s, %,.0f %s/s)", whose, runs.size(), units, unit,
                bytes > 0 && model.bytesPerSecond > 0 ? ", " + Units.bytes(bytes) : "", took, units / took, unit);
        return new PlanRates(model.unitsPerSecond / slower, model.bytesPerSecond / slower, basis);
    }

    double seconds(long units, long bytes) {
        return units / unitsPerSecond + (bytesPerSecond > 0 && bytes > 0 ? bytes / bytesPerSecond : 0);
    }

    double seconds(PlanSurvey.Volume volume) {
        return seconds(volume.units(), volume.bytesKnown() ? volume.bytes() : 0);
    }
}
