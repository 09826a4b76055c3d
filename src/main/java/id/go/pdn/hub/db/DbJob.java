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
    private final TablePlanner planner;
    private final ChunkCopier copier;
    private final TableFinisher finisher;
    private volatile String handWork;

    DbJob(DbContext ctx, RunReports reports) {
        this.ctx = ctx;
        this.planner = new TablePlanner(ctx);
        this.copier = new ChunkCopier(ctx, new RejectFinder(ctx, reports));
        this.finisher = new TableFinisher(ctx, reports);
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
        handWork = finisher.finish().handWorkLine();
    }

    /** Every table whose chunks are all verified is finished; returns what the others (and their dependents) lack. */
    @Override
    public String finishExcept(List<LedgerItem> unsuccessful) {
        TableFinisher.Result result = finisher.finish(finisher.tablesOf(unsuccessful));
        handWork = result.handWorkLine();
        return result.lacking().isEmpty() ? null : String.join("; ", result.lacking());
    }

    @Override
    public List<String> ddl() {
        return new DdlPreview(ctx).statements();
    }

    @Override
    public String handWork() {
        return handWork;
    }
}
