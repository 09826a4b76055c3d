package id.go.pdn.hub.db;

import java.util.List;
import id.go.pdn.hub.core.ItemOutcome;
import id.go.pdn.hub.core.MigrationJob;
import id.go.pdn.hub.core.PlanSurvey;
import id.go.pdn.hub.core.PlannedItem;
import id.go.pdn.hub.core.RunReports;
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

    DbJob(DbContext ctx, DataSources dataSources, RunReports reports) {
        this.ctx = ctx;
        this.dataSources = dataSources;
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
