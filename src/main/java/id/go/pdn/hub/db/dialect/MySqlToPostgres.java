package id.go.pdn.hub.db.dialect;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Translates MySQL/MariaDB SQL expressions and view queries (as information_schema stores them: backquoted names,
 * lower-case functions, schema-qualified tables) into PostgreSQL: quoting, IFNULL, IF, CONCAT, GROUP_CONCAT, LIMIT,
 * INTERVAL arithmetic and the common date and string functions. Anything it does not know is refused with
 * {@link Untranslatable} naming it, never guessed: the caller then lists the object for hand work.
 */
public final class MySqlToPostgres {

    /** An expression the translator cannot carry over; the message names what. */
    public static final class Untranslatable extends Exception {
        public Untranslatable(String message) {
            super(message);
        }
    }

    /**
     * How names change on the way.
     *
     * @param identifier the target name of a source identifier (table, column, alias): kept, or lowered
     * @param sourceSchema the source database whose qualifier is replaced
     * @param targetSchema the target schema written instead (null: no qualifier)
     */
    public record Names(UnaryOperator<String> identifier, String sourceSchema, String targetSchema) {
        public static Names keep() {
            return new Names(UnaryOperator.identity(), null, null);
        }
    }

    /** Functions PostgreSQL has under the same name and with the same arguments. */
    private static final Set<String> SAME = Set.of("coalesce", "nullif", "greatest", "least", "abs", "round", "floor", "ceil",
            "ceiling", "mod", "sign", "sqrt", "power", "exp", "ln", "log10", "upper", "lower", "trim", "ltrim", "rtrim",
            "replace", "lpad", "rpad", "reverse", "repeat", "left", "right", "substr", "substring", "char_length",
            "character_length", "md5", "count", "sum", "avg", "min", "max", "concat_ws", "ascii", "pi", "octet_length");

    /** Words that may stand before a parenthesis without calling a function. */
    private static final Set<String> KEYWORDS = Set.of("on", "in", "and", "or", "not", "exists", "using", "from", "join", "where",
            "when", "then", "else", "as", "select", "any", "all", "some", "by", "having", "is", "like", "between", "case",
            "union", "distinct", "with", "values", "over", "lateral");

    private static final Map<String, String> RENAMED = Map.ofEntries(Map.entry("ucase", "upper"), Map.entry("lcase", "lower"),
            Map.entry("pow", "power"), Map.entry("length", "octet_length"), Map.entry("truncate", "trunc"),
            Map.entry("rand", "random"), Map.entry("char", "chr"), Map.entry("mid", "substr"));

    private static final Map<String, String> EXTRACTED = Map.of("year", "YEAR", "month", "MONTH", "day", "DAY",
            "dayofmonth", "DAY", "hour", "HOUR", "minute", "MINUTE", "quarter", "QUARTER", "dayofyear", "DOY");

    private static final Map<String, String> UNITS = Map.ofEntries(Map.entry("microsecond", "1 microsecond"),
            Map.entry("second", "1 second"), Map.entry("minute", "1 minute"), Map.entry("hour", "1 hour"),
            Map.entry("day", "1 day"), Map.entry("week", "7 days"), Map.entry("month", "1 month"),
            Map.entry("quarter", "3 months"), Map.entry("year", "1 year"));

    private static final Map<Character, String> DATE_FORMAT = Map.ofEntries(Map.entry('Y', "YYYY"), Map.entry('y', "YY"),
            Map.entry('m', "MM"), Map.entry('c', "FMMM"), Map.entry('d', "DD"), Map.entry('e', "FMDD"),
            Map.entry('H', "HH24"), Map.entry('k', "FMHH24"), Map.entry('h', "HH12"), Map.entry('I', "HH12"),
            Map.entry('l', "FMHH12"), Map.entry('i', "MI"), Map.entry('s', "SS"), Map.entry('S', "SS"), Map.entry('p', "AM"),
            Map.entry('M', "FMMonth"), Map.entry('b', "Mon"), Map.entry('W', "FMDay"), Map.entry('a', "Dy"),
            Map.entry('j', "DDD"), Map.entry('f', "US"), Map.entry('T', "HH24:MI:SS"));

    private final Names names;
    private final Set<String> tables = new LinkedHashSet<>();

    private MySqlToPostgres(Names names) {
        this.names = names;
    }

    /** A MySQL expression (default, check, generated column) in PostgreSQL. */
    public static String expression(String mysql, Names names) throws Untranslatable {
        return new MySqlToPostgres(names).translate(Token.split(mysql));
    }

    /** A translated view query and the source tables (and views) it reads. */
    public record View(String select, Set<String> tables) {
    }

    /** A MySQL view query ({@code information_schema.VIEWS.VIEW_DEFINITION}) in PostgreSQL. */
    public static View view(String mysql, Names names) throws Untranslatable {
        MySqlToPostgres t = new MySqlToPostgres(names);
        String select = t.translate(Token.split(mysql));
        return new View(select, t.tables);
    }

    /** The tables (and views) of {@code sourceSchema} a query names, without translating it. */
    public static Set<String> tablesOf(String mysql, String sourceSchema) throws Untranslatable {
        List<Token> tokens = Token.split(mysql);
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i + 2 < tokens.size(); i++) {
            if (tokens.get(i).kind() == Kind.NAME && tokens.get(i).text().equals(sourceSchema) && tokens.get(i + 1).is(".")
                    && tokens.get(i + 2).kind() == Kind.NAME && !(i + 3 < tokens.size() && tokens.get(i + 3).is("."))) {
                found.add(tokens.get(i + 2).text());
            }
        }
        return found;
    }

    // ---- tokens

    enum Kind { WORD, NAME, STRING, NUMBER, BITS, HEX, SYMBOL }

    record Token(Kind kind, String text) {
        boolean is(String word) {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }

        static List<Token> split(String sql) throws Untranslatable {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            int n = sql.length();
            while (i < n) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '`') {
                    StringBuilder name = new StringBuilder();
                    int j = i + 1;
                    while (true) {
                        if (j >= n) {
                            throw new Untranslatable("unterminated name in: " + sql);
                        }
                        if (sql.charAt(j) == '`') {
                            if (j + 1 < n && sql.charAt(j + 1) == '`') {
                                name.append('`');
                                j += 2;
                                continue;
                            }
                            break;
                        }
                        name.append(sql.charAt(j++));
                    }
                    tokens.add(new Token(Kind.NAME, name.toString()));
                    i = j + 1;
                } else if (c == '\'' || c == '"') {
                    int[] end = new int[1];
                    tokens.add(new Token(Kind.STRING, string(sql, i, end)));
                    i = end[0];
                } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(sql.charAt(i + 1)))) {
                    int j = i;
                    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '.'
                            || ((sql.charAt(j) == '-' || sql.charAt(j) == '+') && (sql.charAt(j - 1) == 'e' || sql.charAt(j - 1) == 'E')))) {
                        j++;
                    }
                    tokens.add(new Token(Kind.NUMBER, sql.substring(i, j)));
                    i = j;
                } else if (Character.isLetter(c) || c == '_' || c == '$') {
                    int j = i;
                    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$')) {
                        j++;
                    }
                    String word = sql.substring(i, j);
                    if (j < n && sql.charAt(j) == '\'') {
                        int[] end = new int[1];
                        String value = string(sql, j, end);
                        if (word.equalsIgnoreCase("b")) {
                            tokens.add(new Token(Kind.BITS, value));
                        } else if (word.equalsIgnoreCase("x")) {
                            tokens.add(new Token(Kind.HEX, value));
                        } else if (word.startsWith("_")) {
                            tokens.add(new Token(Kind.STRING, value)); // a charset introducer: _utf8mb4'text'
                        } else {
                            throw new Untranslatable("literal " + word + "'" + value + "'");
                        }
                        i = end[0];
                    } else {
                        tokens.add(new Token(Kind.WORD, word));
                        i = j;
                    }
                } else {
                    String three = i + 3 <= n ? sql.substring(i, i + 3) : "";
                    String two = i + 2 <= n ? sql.substring(i, i + 2) : "";
                    String op = three.equals("<=>") || three.equals("->>") ? three
                            : List.of("<>", "!=", "<=", ">=", "||", "&&", ":=", "->", "<<", ">>").contains(two) ? two : String.valueOf(c);
                    tokens.add(new Token(Kind.SYMBOL, op));
                    i += op.length();
                }
            }
            return tokens;
        }

        /** A MySQL string literal from its opening quote: backslash escapes and doubled quotes undone. */
        private static String string(String sql, int start, int[] end) throws Untranslatable {
            char quote = sql.charAt(start);
            StringBuilder value = new StringBuilder();
            int j = start + 1;
            while (true) {
                if (j >= sql.length()) {
                    throw new Untranslatable("unterminated string in: " + sql);
                }
                char c = sql.charAt(j);
                if (c == '\\' && j + 1 < sql.length()) {
                    char e = sql.charAt(j + 1);
                    value.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case '0' -> '\0';
                        case 'Z' -> (char) 26;
                        default -> e;
                    });
                    if (e == '%' || e == '_') {
                        value.insert(value.length() - 1, '\\'); // kept for LIKE
                    }
                    j += 2;
                } else if (c == quote) {
                    if (j + 1 < sql.length() && sql.charAt(j + 1) == quote) {
                        value.append(quote);
                        j += 2;
                    } else {
                        end[0] = j + 1;
                        return value.toString();
                    }
                } else {
                    value.append(c);
                    j++;
                }
            }
        }
    }

    /** A PostgreSQL string literal. */
    public static String literal(String value) {
        if (value.indexOf('\0') >= 0) {
            value = value.replace("\0", "");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    private static String quoted(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    // ---- translation

    private String translate(List<Token> tokens) throws Untranslatable {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            String piece;
            if (t.kind() == Kind.NAME) {
                // `schema`.`table` -> target schema; `a`.`b` stays a qualified name
                if (i + 2 < tokens.size() && tokens.get(i + 1).is(".") && tokens.get(i + 2).kind() == Kind.NAME
                        && names.sourceSchema() != null && t.text().equals(names.sourceSchema())) {
                    String table = tokens.get(i + 2).text();
                    boolean column = i + 4 < tokens.size() && tokens.get(i + 3).is(".");
                    if (!column) {
                        tables.add(table);
                    }
                    piece = (names.targetSchema() == null ? "" : quoted(names.targetSchema()) + ".")
                            + quoted(names.identifier().apply(table));
                    i += 3;
                    append(out, piece);
                    continue;
                }
                piece = quoted(names.identifier().apply(t.text()));
                i++;
            } else if (t.kind() == Kind.STRING) {
                piece = literal(t.text());
                i++;
            } else if (t.kind() == Kind.NUMBER) {
                piece = t.text();
                i++;
            } else if (t.kind() == Kind.BITS) {
                piece = t.text().isEmpty() ? "0" : new java.math.BigInteger(t.text(), 2).toString();
                i++;
            } else if (t.kind() == Kind.HEX) {
                piece = "'\\x" + t.text() + "'::bytea";
                i++;
            } else if (t.kind() == Kind.SYMBOL) {
                piece = switch (t.text()) {
                    case "||" -> "OR";
                    case "&&" -> "AND";
                    case "!" -> "NOT";
                    case "<=>" -> "IS NOT DISTINCT FROM";
                    case ":=", "->", "->>", "<<", ">>", "@", "?" -> throw new Untranslatable("operator " + t.text());
                    default -> t.text();
                };
                i++;
            } else { // WORD
                String word = t.text().toLowerCase(Locale.ROOT);
                boolean call = i + 1 < tokens.size() && tokens.get(i + 1).is("(") && !KEYWORDS.contains(word);
                if (call) {
                    int close = closing(tokens, i + 1);
                    piece = function(word, tokens.subList(i + 2, close));
                    i = close + 1;
                } else if (word.equals("interval")) {
                    int[] next = {i + 1};
                    piece = interval(tokens, next);
                    i = next[0];
                } else if (word.equals("limit")) {
                    // LIMIT offset, count -> LIMIT count OFFSET offset
                    if (i + 3 < tokens.size() && tokens.get(i + 2).is(",")) {
                        piece = "LIMIT " + translate(tokens.subList(i + 3, i + 4)) + " OFFSET " + translate(tokens.subList(i + 1, i + 2));
                        i += 4;
                    } else {
                        piece = "LIMIT";
                        i++;
                    }
                } else {
                    piece = switch (word) {
                        case "div", "xor", "sounds", "binary", "collate", "straight_join", "regexp_like", "rlike", "regexp",
                             "separator", "into", "procedure", "lock", "for" -> {
                            if (word.equals("regexp") || word.equals("rlike")) {
                                yield "~";
                            }
                            if (word.equals("straight_join")) {
                                yield "JOIN";
                            }
                            throw new Untranslatable("'" + t.text() + "'");
                        }
                        case "current_timestamp", "localtimestamp", "localtime" -> "LOCALTIMESTAMP(0)";
                        case "current_date" -> "CURRENT_DATE";
                        case "current_time" -> "LOCALTIME(0)";
                        default -> t.text();
                    };
                    i++;
                }
            }
            append(out, piece);
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String piece) {
        if (out.length() > 0 && !piece.isEmpty()) {
            char last = out.charAt(out.length() - 1);
            char first = piece.charAt(0);
            if (!(last == '(' || last == '.' || first == ')' || first == ',' || first == '.')) {
                out.append(' ');
            }
        }
        out.append(piece);
    }

    private static int closing(List<Token> tokens, int open) throws Untranslatable {
        int depth = 0;
        for (int j = open; j < tokens.size(); j++) {
            if (tokens.get(j).is("(")) {
                depth++;
            } else if (tokens.get(j).is(")") && --depth == 0) {
                return j;
            }
        }
        throw new Untranslatable("unbalanced parentheses");
    }

    /** Arguments split at top-level commas. */
    private static List<List<Token>> arguments(List<Token> tokens) {
        List<List<Token>> args = new ArrayList<>();
        if (tokens.isEmpty()) {
            return args;
        }
        int depth = 0;
        int start = 0;
        for (int j = 0; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.is("(")) {
                depth++;
            } else if (t.is(")")) {
                depth--;
            } else if (t.is(",") && depth == 0) {
                args.add(tokens.subList(start, j));
                start = j + 1;
            }
        }
        args.add(tokens.subList(start, tokens.size()));
        return args;
    }

    /** {@code INTERVAL <operand> <unit>} from the token after INTERVAL; moves next[0] past the unit. */
    private String interval(List<Token> tokens, int[] next) throws Untranslatable {
        int i = next[0];
        if (i >= tokens.size()) {
            throw new Untranslatable("INTERVAL without a value");
        }
        int end = tokens.get(i).is("(") ? closing(tokens, i) + 1 : i + 1;
        if (tokens.get(i).is("-")) {
            end = i + 2;
        }
        if (end >= tokens.size()) {
            throw new Untranslatable("INTERVAL without a unit");
        }
        String unit = UNITS.get(tokens.get(end).text().toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new Untranslatable("INTERVAL unit " + tokens.get(end).text());
        }
        next[0] = end + 1;
        return "(" + translate(tokens.subList(i, end)) + ") * INTERVAL '" + unit + "'";
    }

    private String function(String name, List<Token> inner) throws Untranslatable {
        List<List<Token>> args = arguments(inner);
        List<String> a = new ArrayList<>();
        if (!name.equals("group_concat") && !name.equals("cast") && !name.equals("date_format")) {
            for (List<Token> arg : args) {
                a.add(translate(arg));
            }
        }
        if (SAME.contains(name)) {
            return name + "(" + String.join(", ", a) + ")";
        }
        if (RENAMED.containsKey(name)) {
            return RENAMED.get(name) + "(" + String.join(", ", a) + ")";
        }
        if (EXTRACTED.containsKey(name) && a.size() == 1) {
            return "CAST(EXTRACT(" + EXTRACTED.get(name) + " FROM " + a.get(0) + ") AS integer)";
        }
        switch (name) {
            case "ifnull":
                return "COALESCE(" + String.join(", ", a) + ")";
            case "if":
                need(name, a, 3);
                return "(CASE WHEN " + a.get(0) + " THEN " + a.get(1) + " ELSE " + a.get(2) + " END)";
            case "concat": {
                List<String> parts = new ArrayList<>();
                for (String part : a) {
                    parts.add(part.startsWith("'") && part.endsWith("'") ? part : "CAST(" + part + " AS text)");
                }
                return "(" + String.join(" || ", parts) + ")";
            }
            case "now", "current_timestamp", "localtime", "localtimestamp", "sysdate":
                return a.isEmpty() || a.get(0).isBlank() ? "LOCALTIMESTAMP(0)" : "LOCALTIMESTAMP(" + a.get(0) + ")";
            case "curdate", "current_date":
                return "CURRENT_DATE";
            case "curtime", "current_time":
                return a.isEmpty() ? "LOCALTIME(0)" : "LOCALTIME(" + a.get(0) + ")";
            case "utc_timestamp":
                return "CAST(timezone('UTC', now()) AS timestamp(0))";
            case "uuid":
                return "CAST(gen_random_uuid() AS text)";
            case "date":
                need(name, a, 1);
                return "CAST(" + a.get(0) + " AS date)";
            case "second":
                need(name, a, 1);
                return "CAST(floor(EXTRACT(SECOND FROM " + a.get(0) + ")) AS integer)";
            case "dayofweek":
                need(name, a, 1);
                return "(CAST(EXTRACT(DOW FROM " + a.get(0) + ") AS integer) + 1)";
            case "datediff":
                need(name, a, 2);
                return "(CAST(" + a.get(0) + " AS date) - CAST(" + a.get(1) + " AS date))";
            case "date_add", "adddate", "date_sub", "subdate":
                need(name, a, 2);
                if (!args.get(1).get(0).is("interval")) {
                    throw new Untranslatable(name + " without INTERVAL");
                }
                return "(" + a.get(0) + (name.startsWith("date_add") || name.equals("adddate") ? " + " : " - ") + a.get(1) + ")";
            case "locate":
                need(name, a, 2);
                return "strpos(" + a.get(1) + ", " + a.get(0) + ")";
            case "instr":
                need(name, a, 2);
                return "strpos(" + a.get(0) + ", " + a.get(1) + ")";
            case "substring_index":
                need(name, a, 3);
                if (!a.get(2).equals("1") && !a.get(2).equals("- 1") && !a.get(2).equals("-1")) {
                    throw new Untranslatable("substring_index with a count other than 1 or -1");
                }
                return "split_part(" + a.get(0) + ", " + a.get(1) + ", " + a.get(2).replace(" ", "") + ")";
            case "json_valid":
                need(name, a, 1);
                return "(" + a.get(0) + " IS NULL OR CAST(" + a.get(0) + " AS json) IS NOT NULL)";
            case "date_format":
                return dateFormat(args);
            case "cast":
                return cast(inner);
            case "group_concat":
                return groupConcat(inner);
            default:
                throw new Untranslatable("function " + name + "()");
        }
    }

    private static void need(String name, List<String> args, int count) throws Untranslatable {
        if (args.size() != count) {
            throw new Untranslatable(name + "() with " + args.size() + " arguments");
        }
    }

    private String dateFormat(List<List<Token>> args) throws Untranslatable {
        if (args.size() != 2 || args.get(1).size() != 1 || args.get(1).get(0).kind() != Kind.STRING) {
            throw new Untranslatable("date_format() without a literal format");
        }
        String format = args.get(1).get(0).text();
        StringBuilder pg = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c == '%' && i + 1 < format.length()) {
                char spec = format.charAt(++i);
                if (spec == '%') {
                    text.append('%');
                    continue;
                }
                String mapped = DATE_FORMAT.get(spec);
                if (mapped == null) {
                    throw new Untranslatable("date_format() specifier %" + spec);
                }
                if (text.length() > 0) {
                    pg.append('"').append(text).append('"');
                    text.setLength(0);
                }
                pg.append(mapped);
            } else {
                text.append(c);
            }
        }
        if (text.length() > 0) {
            pg.append('"').append(text).append('"');
        }
        return "to_char(" + translate(args.get(0)) + ", " + literal(pg.toString().replace("\"-\"", "-").replace("\":\"", ":")) + ")";
    }

    private String cast(List<Token> inner) throws Untranslatable {
        int as = -1;
        int depth = 0;
        for (int j = 0; j < inner.size(); j++) {
            if (inner.get(j).is("(")) {
                depth++;
            } else if (inner.get(j).is(")")) {
                depth--;
            } else if (depth == 0 && inner.get(j).is("as")) {
                as = j;
            }
        }
        if (as < 0) {
            throw new Untranslatable("cast() without AS");
        }
        String value = translate(inner.subList(0, as));
        List<Token> typeTokens = inner.subList(as + 1, inner.size());
        String type = typeTokens.isEmpty() ? "" : typeTokens.get(0).text().toLowerCase(Locale.ROOT);
        String pgType = switch (type) {
            case "signed", "unsigned", "integer" -> "bigint";
            case "char", "varchar" -> "text";
            case "date" -> "date";
            case "datetime" -> "timestamp";
            case "time" -> "time";
            case "decimal", "double", "float" -> {
                StringBuilder t = new StringBuilder(type.equals("decimal") ? "numeric" : "double precision");
                if (type.equals("decimal") && typeTokens.size() > 1) {
                    for (Token tok : typeTokens.subList(1, typeTokens.size())) {
                        t.append(tok.text());
                    }
                }
                yield t.toString();
            }
            case "json" -> "json";
            default -> throw new Untranslatable("cast() as " + type);
        };
        return "CAST(" + value + " AS " + pgType + ")";
    }

    /** group_concat([DISTINCT] x [ORDER BY ...] [SEPARATOR 's']) -> string_agg([DISTINCT] CAST(x AS text), 's' [ORDER BY ...]). */
    private String groupConcat(List<Token> inner) throws Untranslatable {
        int order = -1;
        int separator = -1;
        int depth = 0;
        for (int j = 0; j < inner.size(); j++) {
            Token t = inner.get(j);
            if (t.is("(")) {
                depth++;
            } else if (t.is(")")) {
                depth--;
            } else if (depth == 0 && t.is("order") && j + 1 < inner.size() && inner.get(j + 1).is("by")) {
                order = j;
            } else if (depth == 0 && t.is("separator")) {
                separator = j;
            }
        }
        int valueEnd = order >= 0 ? order : separator >= 0 ? separator : inner.size();
        List<Token> value = inner.subList(0, valueEnd);
        boolean distinct = !value.isEmpty() && value.get(0).is("distinct");
        if (distinct) {
            value = value.subList(1, value.size());
        }
        if (arguments(value).size() != 1) {
            throw new Untranslatable("group_concat() of several values");
        }
        String sep = separator >= 0 ? translate(inner.subList(separator + 1, inner.size())) : "','";
        String orderBy = order >= 0 ? " " + translate(inner.subList(order, separator >= 0 ? separator : inner.size())) : "";
        return "string_agg(" + (distinct ? "DISTINCT " : "") + "CAST(" + translate(value) + " AS text), " + sep + orderBy + ")";
    }
}
