package id.go.pdn.hub.db;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.core.ledger.ItemStatus;
import id.go.pdn.hub.core.ledger.Ledger;
import id.go.pdn.hub.core.ledger.LedgerItem;

/**
 * One database migration's work, opened when its route is loaded: the {@link TablePlanner} plans, the
 * {@link ChunkCopier} copies and verifies chunks (the {@link RejectFinder} hunts refused rows), the
 * {@link TableFinisher} finishes; all share one {@link DbContext}.
 */
final class DbJob implements MigrationJob {

    private final DbContext ctx;
    private final DataSources dataSources;
    private final TablePlanner planner;
    private final ChunkCopier copier;
    private final TableFinisher finisher;
    private final java.util.function.Supplier<Ledger> ledger;

    DbJob(DbContext ctx, DataSources dataSources, RunReports reports, java.util.function.Supplier<Ledger> ledger) {
        this.ctx = ctx;
        this.dataSources = dataSources;
        this.ledger = ledger;
        this.planner = new TablePlanner(ctx);
        this.copier = new ChunkCopier(ctx, new RejectFinder(ctx, reports));
        this.finisher = new TableFinisher(ctx);
    }

    /** Connects once to the source and the target datasource, each directly through its driver. */
    @Override
    public void preflight() {
        dataSources.probe(ctx.spec.source(), "source");
        dataSources.probe(ctx.spec.target(), "target");
    }

    @Override
    public List<PlannedItem> plan() {
        return planner.plan();
    }

    /** mode sync: every run lists the chunks again with their source checksums (see {@link TablePlanner#replan}). */
    @Override
    public boolean replansEachRun() {
        return ctx.sync();
    }

    /**
     * Reads, besides the planned items, what the ledger recorded of their last copy (the source checksum each verified
     * chunk had when it was copied): a chunk is unchanged when the source gives that checksum again.
     */
    @Override
    public List<PlannedItem> replan(List<PlannedItem> planned) {
        String name = ctx.migration.name();
        Map<String, LedgerItem> verified = new HashMap<>();
        ledger.get().items(name, ItemStatus.VERIFIED).forEach(item -> verified.put(item.key(), item));
        Set<String> retired = new HashSet<>();
        for (ItemStatus status : List.of(ItemStatus.GONE, ItemStatus.REMOVED)) {
            ledger.get().items(name, status).forEach(item -> retired.add(item.key()));
        }
        return planner.replan(planned, new TablePlanner.Known(verified, retired));
    }

    /** A database target is a mirror: the rows of a chunk no longer listed leave it (see {@link ChunkRemover}). */
    @Override
    public Set<Long> deletedAtSource(List<LedgerItem> gone) {
        return new ChunkRemover(ctx).remove(gone);
    }

    @Override
    public PlanSurvey survey(List<LedgerItem> verified) {
        return planner.survey(ctx.migration.kind(), verified);
    }

    @Override
    public ItemOutcome copy(LedgerItem item) throws Exception {
        return copier.copy(item);
    }

    @Override
    public ItemOutcome verify(LedgerItem item) throws Exception {
        return copier.verify(item);
    }

    @Override
    public void finish() {
        finisher.finish();
    }
}
