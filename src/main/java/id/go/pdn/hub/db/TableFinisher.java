package id.go.pdn.hub.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.core.RunReports;
import id.go.pdn.hub.db.dialect.Dialect;
import id.go.pdn.hub.db.dialect.MySqlToPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finishing step, table by table: each table whose chunks are all verified gets its unique constraints, secondary
 * indexes and identity counter (tables in parallel); foreign keys follow where both tables are finished, then the views
 * whose tables are finished. A table that is not verified, or whose finishing failed, holds back only what depends on it.
 * Views that cannot be translated, triggers and routines (on another engine) are written with their source DDL beside
 * the run reports and listed: {@code <migration>.hand-work.txt}, one line each, read by the report's verdict. Safe to
 * repeat: what exists is left alone.
 */
final class TableFinisher {

    private static final Logger LOG = LoggerFactory.getLogger(TableFinisher.class);

    private final DbContext ctx;
    private final RunReports reports;

    TableFinisher(DbContext ctx, RunReports reports) {
        this.ctx = ctx;
        this.reports = reports;
    }

    /** What finishing left: tables lacking something (and why), and the objects needing hand work. */
    record Result(List<String> lacking, List<String> handWork, String handWorkLine) {
        boolean complete() {
            return lacking.isEmpty();
        }
    }

    /** Finishes every table; fails naming what is still lacking if anything could not be made. */
    Result finish() {
        Result result = finish(Set.of());
        if (!result.complete()) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot finish migration " + ctx.migration.describe() + ": "
                    + String.join("; ", result.lacking()));
        }
        return result;
    }

    /**
     * Finishes what can be finished while the given source tables are not verified: every other table, the foreign keys
     * between finished tables, the views over them.
     */
    Result finish(Set<String> unverifiedTables) {
        try (Connection source = ctx.source.getConnection(); Connection target = ctx.target.getConnection()) {
            String schema = ctx.targetSchema(target);
            String sourceSchema = ctx.sourceSchema(source);
            List<TableInfo> tables = ctx.tables(source);
            Map<String, String> lacking = new LinkedHashMap<>(); // source table -> what it lacks and why
            for (TableInfo table : tables) {
                if (unverifiedTables.contains(table.name()) && describeOwn(table) != null) {
                    lacking.put(table.name(), describeOwn(table) + " (not all its chunks are verified)");
                }
            }
            List<TableInfo> ready = tables.stream().filter(t -> !unverifiedTables.contains(t.name())).toList();
            lacking.putAll(finishTablesInParallel(schema, ready));
            Set<String> finished = ready.stream().map(TableInfo::name).filter(t -> !lacking.containsKey(t)).collect(Collectors.toSet());
            Set<String> migrated = tables.stream().map(TableInfo::name).collect(Collectors.toSet());
            List<String> lackingLines = new ArrayList<>();
            lacking.forEach((table, what) -> lackingLines.add("table " + ctx.targetName(table) + " lacks " + what));
            lackingLines.addAll(addForeignKeys(target, schema, tables, migrated, finished));
            List<HandWork> handWork = new ArrayList<>();
            for (TableInfo table : tables) {
                TargetDdl.of(ctx, table, schema).handWork().forEach(line -> handWork.add(new HandWork("column", line, null, null)));
            }
            List<Dialect.SourceObject> objects = new SchemaReader(source, ctx.sourceDialect, sourceSchema).objects();
            lackingLines.addAll(makeViews(target, schema, sourceSchema, objects, migrated, finished, handWork));
            makeTriggersAndRoutines(target, schema, objects, finished, handWork, lackingLines);
            if (!target.getAutoCommit()) {
                target.commit();
            }
            String line = writeHandWork(handWork, lackingLines);
            return new Result(lackingLines, handWork.stream().map(HandWork::line).toList(), line);
        } catch (SQLException e) {
            throw new HubException(HubException.ErrorCode.CONNECTION, "Cannot create the indexes and foreign keys of migration "
                    + ctx.migration.describe() + ": " + e.getMessage(), e);
        }
    }

    private String describeOwn(TableInfo table) {
        List<String> parts = new ArrayList<>();
        List<String> unique = table.indexes().stream().filter(TableInfo.IndexInfo::unique).map(i -> ctx.targetName(i.name())).toList();
        List<String> plain = table.indexes().stream().filter(i -> !i.unique()).map(i -> ctx.targetName(i.name())).toList();
        if (!unique.isEmpty()) {
            parts.add("unique constraints " + String.join(", ", unique));
        }
        if (!plain.isEmpty()) {
            parts.add("indexes " + String.join(", ", plain));
        }
        if (table.rangeKey() != null && table.rangeKey().autoIncrement()) {
            parts.add("its identity counter");
        }
        if (!table.foreignKeys().isEmpty()) {
            parts.add("foreign keys " + table.foreignKeys().stream().map(f -> ctx.targetName(f.name())).collect(Collectors.joining(", ")));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }

    /** Unique constraints, indexes and identity counters, one table per connection at a time; returns failed tables. */
    private Map<String, String> finishTablesInParallel(String schema, List<TableInfo> tables) throws SQLException {
        Map<String, String> failed = new ConcurrentHashMap<>();
        if (tables.isEmpty()) {
            return failed;
        }
        int poolRoom = ctx.targetPoolSize - 1; // finish() holds one
        int threads = Math.max(1, Math.min(Math.min(tables.size(), poolRoom), ctx.migration.common().getParallelism()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (TableInfo table : tables) {
                done.add(pool.submit(() -> {
                    try {
                        finishTable(schema, table);
                    } catch (SQLException e) {
                        LOG.warn("Migration {}: cannot finish table {}: {}", ctx.migration.name(), table.name(), e.getMessage());
                        failed.put(table.name(), String.valueOf(describeOwn(table)) + " (" + DbErrors.serverMessage(e) + ")");
                    }
                    return null;
                }));
            }
            for (Future<Void> table : done) {
                try {
                    table.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause().getMessage(), e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new LinkedHashMap<>(failed);
    }

    /** One table's own finishing: its unique constraints and secondary indexes, then its identity counter. */
    private void finishTable(String schema, TableInfo table) throws SQLException {
        Dialect td = ctx.targetDialect;
        String name = ctx.targetName(table.name());
        try (Connection target = ctx.target.getConnection()) {
            for (TableInfo.IndexInfo index : table.indexes()) {
                TableInfo.IndexInfo mapped = new TableInfo.IndexInfo(index.name(), index.unique(),
                        index.columns().stream().map(ctx::targetName).toList());
                String indexName = td.indexName(name, ctx.targetName(index.name()));
                if (index.unique()) {
                    if (!td.hasUnique(target, schema, name, indexName)) {
                        DbContext.execute(target, td.addUnique(schema, name, mapped, indexName));
                    }
                } else {
                    DbContext.execute(target, td.createIndex(schema, name, mapped, indexName));
                }
            }
            for (ColumnInfo column : table.columns()) {
                if (column.autoIncrement() && table.rangeKey() != null && table.rangeKey().name().equals(column.name())) {
                    td.resetIdentity(target, schema, name, ctx.targetName(column.name()));
                }
            }
            if (!target.getAutoCommit()) {
                target.commit();
            }
        }
    }

    /** Foreign keys whose two tables are finished and that the target does not have yet; returns what is held back. */
    private List<String> addForeignKeys(Connection target, String schema, List<TableInfo> tables, Set<String> migrated,
                                        Set<String> finished) throws SQLException {
        Dialect td = ctx.targetDialect;
        SchemaReader targetSchema = new SchemaReader(target, td, schema);
        List<String> heldBack = new ArrayList<>();
        for (TableInfo table : tables) {
            if (!finished.contains(table.name())) {
                continue; // listed with its table
            }
            String name = ctx.targetName(table.name());
            Set<String> present = targetSchema.table(name).foreignKeys().stream().map(TableInfo.ForeignKeyInfo::name)
                    .collect(Collectors.toSet());
            for (TableInfo.ForeignKeyInfo fk : table.foreignKeys()) {
                String fkName = ctx.targetName(fk.name());
                if (!migrated.contains(fk.referencedTable())) {
                    LOG.warn("Migration {}: foreign key {} of {} not created: table {} is not migrated", ctx.migration.name(),
                            fk.name(), table.name(), fk.referencedTable());
                    continue;
                }
                if (!finished.contains(fk.referencedTable())) {
                    heldBack.add("table " + name + " lacks foreign key " + fkName + " (table " + ctx.targetName(fk.referencedTable())
                            + " is not finished)");
                    continue;
                }
                TableInfo.ForeignKeyInfo mapped = new TableInfo.ForeignKeyInfo(fkName,
                        fk.columns().stream().map(ctx::targetName).toList(), ctx.targetName(fk.referencedTable()),
                        fk.referencedColumns().stream().map(ctx::targetName).toList(), fk.onUpdate(), fk.onDelete());
                if (!present.contains(mapped.name())) {
                    try {
                        DbContext.execute(target, td.addForeignKey(schema, name, mapped, mapped.referencedTable()));
                        if (!target.getAutoCommit()) {
                            target.commit();
                        }
                    } catch (SQLException e) {
                        DbContext.rollbackQuietly(target);
                        heldBack.add("table " + name + " lacks foreign key " + fkName + " (" + DbErrors.serverMessage(e) + ")");
                    }
                }
            }
        }
        return heldBack;
    }

    /** An object left for a person: kind, one line of why, and the source DDL to start from. */
    private record HandWork(String kind, String line, String fileName, String ddl) {
    }

    /**
     * Views in dependency order once their tables are finished: translated for another engine, as they are on the same
     * one. A view the target refuses or the translator does not know goes to hand work; returns views held back.
     */
    private List<String> makeViews(Connection target, String schema, String sourceSchema, List<Dialect.SourceObject> objects,
                                   Set<String> migrated, Set<String> finished, List<HandWork> handWork) throws SQLException {
        Dialect td = ctx.targetDialect;
        Map<String, Dialect.SourceObject> views = new LinkedHashMap<>();
        objects.stream().filter(o -> o.kind().equals("view")).forEach(v -> views.put(v.name(), v));
        Map<String, MySqlToPostgres.View> translated = new LinkedHashMap<>();
        for (Dialect.SourceObject view : views.values()) {
            try {
                translated.put(view.name(), translateView(view, sourceSchema, schema));
            } catch (MySqlToPostgres.Untranslatable e) {
                handWork.add(new HandWork("view", "view " + ctx.targetName(view.name()) + ": cannot translate " + e.getMessage(),
                        "view-" + view.name() + ".sql", view.ddl()));
            }
        }
        List<String> heldBack = new ArrayList<>();
        Set<String> made = new HashSet<>();
        Map<String, String> refused = new LinkedHashMap<>(); // view -> why the target refused it
        Map<String, String> waits = new LinkedHashMap<>(); // view -> the unfinished table or unmade view it reads
        boolean progress = true;
        while (progress) {
            progress = false;
            for (var entry : translated.entrySet()) {
                String view = entry.getKey();
                if (made.contains(view) || refused.containsKey(view)) {
                    continue;
                }
                Set<String> uses = entry.getValue().tables();
                String waiting = uses.stream().filter(t -> views.containsKey(t) ? !made.contains(t)
                        : migrated.contains(t) && !finished.contains(t)).findFirst().orElse(null);
                if (waiting != null) {
                    waits.put(view, waiting);
                    continue;
                }
                waits.remove(view);
                String missing = uses.stream().filter(t -> !views.containsKey(t) && !migrated.contains(t)).findFirst().orElse(null);
                if (missing != null) {
                    refused.put(view, "it reads table " + missing + ", which is not migrated");
                    continue;
                }
                try {
                    DbContext.execute(target, td.createView(schema, ctx.targetName(view), entry.getValue().select()));
                    if (!target.getAutoCommit()) {
                        target.commit();
                    }
                    made.add(view);
                    progress = true;
                } catch (SQLException e) {
                    DbContext.rollbackQuietly(target);
                    refused.put(view, "the target refused it: " + DbErrors.serverMessage(e));
                }
            }
        }
        refused.forEach((view, why) -> handWork.add(new HandWork("view", "view " + ctx.targetName(view) + ": " + why,
                "view-" + view + ".sql", views.get(view).ddl() + "\n\n-- as translated:\n" + translated.get(view).select())));
        waits.forEach((view, table) -> {
            if (views.containsKey(table)) {
                handWork.add(new HandWork("view", "view " + ctx.targetName(view) + ": it reads view " + ctx.targetName(table)
                        + ", which could not be made", "view-" + view + ".sql", views.get(view).ddl()));
            } else {
                heldBack.add("view " + ctx.targetName(view) + " not made (it reads table " + ctx.targetName(table)
                        + ", which is not finished)");
            }
        });
        return heldBack;
    }

    private MySqlToPostgres.View translateView(Dialect.SourceObject view, String sourceSchema, String schema)
            throws MySqlToPostgres.Untranslatable {
        return ctx.targetDialect.view(view.definition(), ctx.sourceDialect, ctx.names(sourceSchema, schema));
    }

    /**
     * Triggers and routines: made as they are on the same engine (once their table is finished), else written for hand
     * work: their logic is the application's and is not translated.
     */
    private void makeTriggersAndRoutines(Connection target, String schema, List<Dialect.SourceObject> objects, Set<String> finished,
                                         List<HandWork> handWork, List<String> lacking) {
        boolean sameEngine = ctx.sourceDialect.getClass() == ctx.targetDialect.getClass();
        for (Dialect.SourceObject o : objects) {
            if (o.kind().equals("view")) {
                continue;
            }
            String what = o.kind() + " " + o.name() + (o.table() == null ? "" : " on " + ctx.targetName(o.table()));
            if (!sameEngine) {
                handWork.add(new HandWork(kindOf(o), what + ": " + ctx.targetDialect.name() + " needs it rewritten",
                        o.kind() + "-" + o.name() + ".sql", o.ddl()));
                continue;
            }
            if (o.table() != null && !finished.contains(o.table())) {
                lacking.add("table " + ctx.targetName(o.table()) + " lacks trigger " + o.name() + " (the table is not finished)");
                continue;
            }
            try {
                String ddl = o.ddl().replaceFirst("(?i)^CREATE\\s+DEFINER\\s*=\\s*\\S+\\s+", "CREATE ");
                String kind = o.kind().toUpperCase(java.util.Locale.ROOT);
                target.setCatalog(schema);
                DbContext.execute(target, "DROP " + kind + " IF EXISTS " + ctx.targetDialect.quote(o.name()));
                DbContext.execute(target, ddl);
            } catch (SQLException e) {
                handWork.add(new HandWork(kindOf(o), what + ": the target refused it: " + DbErrors.serverMessage(e),
                        o.kind() + "-" + o.name() + ".sql", o.ddl()));
            }
        }
    }

    /**
     * Writes {@code <migration>.hand-work.txt} beside the run reports (first line: the count by kind and where the DDL
     * is; then one line per object and per table lacking something) and the source DDL of each object into
     * {@code <migration>.hand-work/}; removes both when nothing is left. Returns the first line, or null.
     */
    private String writeHandWork(List<HandWork> handWork, List<String> lacking) {
        Path dir = reports.applicationDir(ctx.migration.application());
        String base = ctx.migration.name().replaceAll("[/\\\\:*?\"<>|\\p{Cntrl}]", "_");
        Path list = dir.resolve(base + ".hand-work.txt");
        Path folder = dir.resolve(base + ".hand-work");
        try {
            if (handWork.isEmpty() && lacking.isEmpty()) {
                Files.deleteIfExists(list);
                return null;
            }
            Files.createDirectories(folder);
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String kind : List.of("view", "trigger", "routine", "column")) {
                int n = (int) handWork.stream().filter(h -> h.kind().equals(kind)).count();
                if (n > 0) {
                    counts.put(kind, n);
                }
            }
            for (HandWork h : handWork) {
                if (h.fileName() != null) {
                    Files.writeString(folder.resolve(h.fileName().replaceAll("[/\\\\:*?\"<>|\\p{Cntrl}]", "_")),
                            "-- " + h.line() + "\n" + (h.ddl() == null ? "" : h.ddl()) + "\n");
                }
            }
            List<String> lines = new ArrayList<>();
            String first = null;
            if (!counts.isEmpty()) {
                first = "needs hand work: " + counts.entrySet().stream().map(e -> e.getValue() + " " + plural(e.getKey(), e.getValue()))
                        .collect(Collectors.joining(", ")) + " - see " + folder;
                lines.add(first);
                handWork.forEach(h -> lines.add("  " + h.line()));
            }
            lacking.forEach(l -> lines.add(l));
            Files.write(list, lines);
            LOG.warn("Migration {}: {}", ctx.migration.name(), first != null ? first : lacking.get(0));
            return first;
        } catch (IOException e) {
            LOG.warn("Cannot write the hand-work list {}: {}", list, e.getMessage());
            return null;
        }
    }

    private static String kindOf(Dialect.SourceObject o) {
        return o.kind().equals("procedure") || o.kind().equals("function") ? "routine" : o.kind();
    }

    private static String plural(String kind, int n) {
        String word = kind.equals("column") ? "column default or check" : kind;
        if (n == 1) {
            return word;
        }
        return kind.equals("column") ? "column defaults or checks" : word + "s";
    }

    /** Source tables with at least one chunk among these items. */
    Set<String> tablesOf(Collection<id.go.pdn.hub.core.ledger.LedgerItem> items) {
        return items.stream().map(i -> ctx.chunkOf(i).table()).collect(Collectors.toSet());
    }
}
