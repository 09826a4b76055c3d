package id.go.pdn.hub.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The hub's one glob engine: comma-separated include/exclude globs ({@code {a,b}} is either; commas inside braces
 * belong to the glob). Two ways to match:
 * <ul>
 *   <li>{@link #of paths} (files): on the relative path; {@code *} and {@code ?} stay within a folder, {@code **} crosses
 *   folders; a glob without '/' matches the name at any depth ({@code *.pdf}, {@code tmp}), as in .gitignore and rsync;
 *   case matters, as in file systems;</li>
 *   <li>{@link #names} (tables, mail folders): on the whole name; {@code *} any run of characters, {@code ?} one; case
 *   does not matter, as names are typed by people.</li>
 * </ul>
 */
public final class Globs {

    private final List<Pattern> patterns;

    private Globs(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** Globs on relative file paths; blank or null means none. */
    public static Globs of(String csv) {
        return parse(csv, true);
    }

    /** Globs on names (tables, mail folders), case-insensitive; blank or null means none. */
    public static Globs names(String csv) {
        return parse(csv, false);
    }

    private static Globs parse(String csv, boolean paths) {
        List<Pattern> patterns = new ArrayList<>();
        if (csv != null) {
            int depth = 0;
            int start = 0;
            for (int i = 0; i <= csv.length(); i++) {
                char c = i < csv.length() ? csv.charAt(i) : ',';
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (i == csv.length() || c == ',' && depth <= 0) { // commas inside {a,b} belong to the glob
                    String glob = csv.substring(start, i);
                    if (!glob.isBlank()) {
                        patterns.add(paths ? compile(glob.strip()) : compileName(glob.strip()));
                    }
                    start = i + 1;
                }
            }
        }
        return new Globs(patterns);
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    public boolean matches(String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** A glob on names: {@code *} any run of characters, {@code ?} one, {@code {a,b}} either; any case. */
    static Pattern compileName(String glob) {
        return Pattern.compile(translate(glob, glob, false), Pattern.DOTALL | Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** @throws IllegalArgumentException naming the glob when its braces do not pair */
    static Pattern compile(String glob) {
        String g = glob.startsWith("/") ? glob.substring(1) : glob;
        return Pattern.compile((g.contains("/") ? "" : "(?:.*/)?") + translate(glob, g, true), Pattern.DOTALL);
    }

    /**
     * The one glob-to-regex translation. On paths {@code *} and {@code ?} stay within a folder and {@code **} crosses
     * folders ({@code **}{@code /} also matches no folder at all); on names they match any character.
     */
    private static String translate(String glob, String g, boolean paths) {
        StringBuilder regex = new StringBuilder();
        boolean inGroup = false;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (!paths) {
                        regex.append(".*");
                    } else if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < g.length() && g.charAt(i + 1) == '/') {
                            i++;
                            regex.append("(?:.*/)?");
                        } else {
                            regex.append(".*");
                        }
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append(paths ? "[^/]" : ".");
                case '{' -> {
                    inGroup = true;
                    regex.append("(?:");
                }
                case '}' -> {
                    inGroup = false;
                    regex.append(')');
                }
                case ',' -> regex.append(inGroup ? "|" : ",");
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (inGroup) {
            throw new IllegalArgumentException("glob '" + glob + "' opens a { it does not close");
        }
        return regex.toString();
    }
}
