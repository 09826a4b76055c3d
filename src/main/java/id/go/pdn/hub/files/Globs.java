package id.go.pdn.hub.files;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The include/exclude globs, matched on the relative path: {@code *} and {@code ?} stay within a folder,
 * {@code **} crosses folders, {@code {a,b}} is either. A glob without '/' matches the name at any depth
 * ({@code *.pdf}, {@code tmp}), as in .gitignore and rsync.
 */
final class Globs {

    private final List<Pattern> patterns;

    private Globs(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** Comma-separated globs; blank means none. */
    static Globs of(String csv) {
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
                        patterns.add(compile(glob.strip()));
                    }
                    start = i + 1;
                }
            }
        }
        return new Globs(patterns);
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    boolean matches(String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** @throws IllegalArgumentException naming the glob when its braces do not pair */
    static Pattern compile(String glob) {
        String g = glob.startsWith("/") ? glob.substring(1) : glob;
        StringBuilder regex = new StringBuilder(g.contains("/") ? "" : "(?:.*/)?");
        boolean inGroup = false;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> {
                    if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
                        i++;
                        if (i + 1 < g.length() && g.charAt(i + 1) == '/') {
                            i++;
                            regex.append("(?:.*/)?"); // "**/" also matches no folder at all
                        } else {
                            regex.append(".*");
                        }
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> regex.append("[^/]");
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
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
