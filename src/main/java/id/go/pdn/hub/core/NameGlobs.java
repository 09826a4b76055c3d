package id.go.pdn.hub.core;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Comma-separated globs on names (tables, mail folders): {@code *} any run of characters, {@code ?} one; case does not
 * matter, as names are typed by people. File paths have their own, path-aware globs (files/Globs).
 */
public final class NameGlobs {

    private final List<Pattern> patterns;

    private NameGlobs(List<Pattern> patterns) {
        this.patterns = patterns;
    }

    /** Blank or null means none. */
    public static NameGlobs of(String csv) {
        return new NameGlobs(csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::strip)
                .filter(g -> !g.isEmpty()).map(NameGlobs::compile).toList());
    }

    public boolean matches(String name) {
        return patterns.stream().anyMatch(p -> p.matcher(name).matches());
    }

    private static Pattern compile(String glob) {
        String regex = Arrays.stream(glob.split("", -1)).map(ch -> switch (ch) {
            case "*" -> ".*";
            case "?" -> ".";
            default -> Pattern.quote(ch);
        }).collect(Collectors.joining());
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
