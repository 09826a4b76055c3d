package id.go.pdn.hub.db;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import id.go.pdn.hub.core.HubException;
import id.go.pdn.hub.db.dialect.Dialect;
import id.go.pdn.hub.db.dialect.MySqlToPostgres;
import id.go.pdn.hub.db.dialect.MySqlToPostgres.Untranslatable;

/**
 * What one source table becomes on the target, before any row: columns with their types, defaults and generation,
 * NOT NULL, the primary key, check constraints (MySQL enum and set values as checks too, or enums as enum types with
 * {@code enumAs: type}), spatial columns as PostGIS geometry where the plan found PostGIS ({@link DbContext#geometry()}),
 * and the triggers that keep MySQL's {@code ON UPDATE CURRENT_TIMESTAMP}. What the target cannot express is listed as
 * hand work, never dropped silently.
 *
 * @param before statements run before it (enum types, {@code enumAs: type})
 * @param create the CREATE TABLE statement
 * @param after statements run right after it (triggers)
 * @param handWork one line per thing left for a person: what, and why
 */
record TargetDdl(List<String> before, String create, List<String> after, List<String> handWork) {

    private static final Pattern QUOTED = Pattern.compile("'((?:[^'\\\\]|''|\\\\.)*)'");

    static TargetDdl of(DbContext ctx, TableInfo table, String targetSchema) {
        Dialect sd = ctx.sourceDialect;
        Dialect td = ctx.targetDialect;
        String name = ctx.targetName(table.name());
        MySqlToPostgres.Names names = ctx.names(null, null);
        List<String> definitions = new ArrayList<>();
        List<String> handWork = new ArrayList<>();
        List<ColumnInfo> onUpdate = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        boolean sameEngine = sd.getClass() == td.getClass();
        List<String> types = new ArrayList<>();
        Map<String, String> enumTypes = sameEngine || !ctx.spec.enumAsType() ? Map.of() : enumTypes(ctx, table, targetSchema, types);
        String geometrySchema = sameEngine ? null : ctx.geometry().schema();
        for (ColumnInfo column : table.columns()) {
            String target = ctx.targetName(column.name());
            String before = seen.put(target.toLowerCase(Locale.ROOT), column.name());
            if (before != null && ctx.lowersNames()) {
                throw new HubException(HubException.ErrorCode.CONFIGURATION, "Cannot plan migration " + ctx.migration.describe()
                        + ": columns " + before + " and " + column.name() + " of table " + table.name() + " are both " + target
                        + " once lowered (identifierCase: lower). Rename one at the source, or set identifierCase: keep");
            }
            String type = td.columnType(column, sd);
            String spatial = geometrySchema == null ? null : sd.spatialType(column);
            if (spatial != null && td.geometryType(spatial, geometrySchema) != null) {
                type = td.geometryType(spatial, geometrySchema);
            }
            if (enumTypes.containsKey(column.name())) {
                type = enumTypes.get(column.name());
            }
            StringBuilder def = new StringBuilder(td.quote(target)).append(' ');
            if (column.isGenerated()) {
                try {
                    def.append(td.generatedColumn(type, td.expression(column.generated(), sd, names), column.storedGenerated()));
                } catch (Untranslatable e) {
                    def.append(type);
                    handWork.add("column " + name + "." + target + ": generated as (" + column.generated() + ") at the source; "
                            + "a plain empty column on the target: " + e.getMessage());
                }
                definitions.add(def.toString());
                continue;
            }
            boolean identity = column.autoIncrement() && table.primaryKey().contains(column.name()) && table.rangeKey() != null;
            def.append(identity ? td.identityColumn(type) : type);
            boolean notNull = !column.nullable();
            if (!identity) {
                try {
                    String value = td.columnDefault(column, sd, names);
                    if (value != null) {
                        def.append(" DEFAULT ").append(value);
                    }
                } catch (Untranslatable e) {
                    // as pgloader: a NOT NULL column defaulting to a zero date loses NOT NULL, its zero dates arrive as NULL
                    boolean zeroDate = column.defaultValue().startsWith("'0000-00-00");
                    handWork.add("column " + name + "." + target + ": default " + column.defaultValue() + " not made: " + e.getMessage()
                            + (zeroDate && notNull ? "; NOT NULL dropped: its zero dates arrive as NULL" : ""));
                    notNull &= !zeroDate;
                }
            }
            if (notNull) {
                def.append(" NOT NULL");
            }
            if (column.onUpdateNow()) {
                String clause = td.onUpdateNowClause(column);
                if (clause != null) {
                    def.append(' ').append(clause);
                } else {
                    onUpdate.add(column);
                }
            }
            definitions.add(def.toString());
        }
        List<String> constraints = new ArrayList<>();
        if (!sameEngine) {
            for (ColumnInfo column : table.columns()) {
                String nativeType = column.nativeType() == null ? "" : column.nativeType().toLowerCase(Locale.ROOT);
                boolean set = nativeType.startsWith("set(");
                if ((nativeType.startsWith("enum(") && !enumTypes.containsKey(column.name())) || set) {
                    List<String> values = values(column);
                    String check = td.valueListCheck(td.quote(ctx.targetName(column.name())), values, set);
                    String target = ctx.targetName(table.name() + "_" + column.name() + (set ? "_set" : "_enum"));
                    if (check != null) {
                        constraints.add(td.checkConstraint(target, check));
                    } else {
                        handWork.add("column " + name + "." + ctx.targetName(column.name()) + ": " + column.nativeType()
                                + " is plain text on the target, its values unchecked");
                    }
                }
            }
        }
        for (TableInfo.CheckInfo check : table.checks()) {
            String checkName = ctx.targetName(check.name());
            try {
                constraints.add(td.checkConstraint(checkName, td.expression(check.clause(), sd, names)));
            } catch (Untranslatable e) {
                handWork.add("check " + name + "." + checkName + " (" + check.clause() + ") not made: " + e.getMessage());
            }
        }
        definitions.addAll(constraints);
        String create = td.createTable(targetSchema, name, definitions, table.primaryKey().stream().map(ctx::targetName).toList());
        List<String> after = td.onUpdateNowTriggers(targetSchema, name, onUpdate, ctx::targetName);
        return new TargetDdl(types, create, after, handWork);
    }

    /** The values of a MySQL enum or set, as its native type lists them. */
    private static List<String> values(ColumnInfo column) {
        List<String> values = new ArrayList<>();
        Matcher m = QUOTED.matcher(column.nativeType());
        while (m.find()) {
            values.add(m.group(1).replace("''", "'"));
        }
        return values;
    }

    /**
     * {@code enumAs: type}: each enum column's own enum type {@code <table>_<column>} on a target that has them (its
     * statements added to {@code before}); by source column name, the qualified type. A target without enum types keeps
     * the checks.
     */
    private static Map<String, String> enumTypes(DbContext ctx, TableInfo table, String targetSchema, List<String> before) {
        Dialect td = ctx.targetDialect;
        Map<String, String> types = new HashMap<>();
        for (ColumnInfo column : table.columns()) {
            String nativeType = column.nativeType() == null ? "" : column.nativeType().toLowerCase(Locale.ROOT);
            if (!nativeType.startsWith("enum(")) {
                continue;
            }
            String type = td.indexName(ctx.targetName(table.name()), ctx.targetName(column.name())); // <table>_<column>, cut to fit
            List<String> statements = td.createEnumType(targetSchema, type, values(column));
            if (statements == null) {
                return Map.of();
            }
            before.addAll(statements);
            types.put(column.name(), td.qualified(targetSchema, type));
        }
        return types;
    }
}
