package id.go.pdn.hub.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.stream.Collectors;
import id.go.pdn.hub.core.options.OptionCatalog;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a report may say about a migration's declaration and errors: an allow-list of parameters, URLs without
 * user info or query, and free text with anything that looks like a secret masked. Reports are mailed and printed:
 * they must never carry a password.
 */
public final class Redaction {

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|passwd|pwd|secret|token|credential|passphrase).*");
    /** scheme://user:password@host or scheme://user@host: the user info goes. */
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.\\-]*://)[^/@\\s]*@");
    /** password=..., secret: ..., token ... in free text (errors, messages, query strings). */
    private static final Pattern SECRET_ASSIGNMENT = Pattern.compile(
            "(?i)\\b([a-z_.\\-]*(?:password|passwd|pwd|secret|token|credential|passphrase)[a-z_.\\-]*)(\\s*[=:]\\s*)([^\\s&;,'\"]+)");

    private Redaction() {
    }

    /**
     * The options of a declaration a report may show: those declared and neither secret nor about security (passwords,
     * key files, passphrases, known hosts and unknown names are left out), their URLs stripped of user info and query.
     */
    public static Map<String, String> safeParameters(Map<String, String> written, List<OptionCatalog.Option> declared) {
        Set<String> shown = declared.stream().filter(o -> !o.secret() && !o.label().contains("security"))
                .map(OptionCatalog.Option::name).collect(Collectors.toSet());
        Map<String, String> safe = new TreeMap<>();
        written.forEach((key, value) -> {
            if (value != null && shown.contains(key) && !SECRET_KEY.matcher(key).matches()) {
                safe.put(key, location(value));
            }
        });
        return new LinkedHashMap<>(safe);
    }

    /** What a report may show of a loaded migration's options (shared and the kind's). */
    public static Map<String, String> safeParameters(Migration migration) {
        List<OptionCatalog.Option> declared = new java.util.ArrayList<>(OptionCatalog.of(migration.common().getClass()));
        declared.addAll(OptionCatalog.of(migration.options().getClass()));
        return safeParameters(migration.written(), declared);
    }

    /**
     * A URL or JDBC URL as a place: {@code sftp://user:pw@host:22/path?x=y} becomes {@code sftp://host:22/path},
     * {@code jdbc:postgresql://h/db?password=x} becomes {@code jdbc:postgresql://h/db}, H2's {@code ;KEY=value}
     * settings go too. Plain values only lose what looks like a secret.
     */
    public static String location(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.matches("(?i)^(jdbc:)?[a-z][a-z0-9+.\\-]*:.*") && (v.contains("://") || v.toLowerCase().startsWith("jdbc:"))) {
            v = URL_USER_INFO.matcher(v).replaceAll("$1");
            int cut = indexOfAny(v, '?', ';');
            if (cut >= 0) {
                v = v.substring(0, cut);
            }
            return v;
        }
        return text(v);
    }

    /** user=, password=, ... settings of a URL ({@code ?a=b&c=d} or H2's {@code ;A=b}). */
    private static final Pattern URL_CREDENTIAL_SETTING = Pattern.compile(
            "(?i)([;&?])(user|username|password|passwd|pwd|secret|token|credential|passphrase)=[^;&]*");

    /**
     * A URL or JDBC URL with its settings but without credentials: {@code jdbc:postgresql://hub:pw@h/db?user=hub&ssl=true}
     * becomes {@code jdbc:postgresql://h/db?user=***&ssl=true}. {@link #location} drops the settings too.
     */
    public static String url(String value) {
        if (value == null) {
            return null;
        }
        return URL_CREDENTIAL_SETTING.matcher(URL_USER_INFO.matcher(value.strip()).replaceAll("$1")).replaceAll("$1$2=***");
    }

    /** Free text (an error, a run's message): user info in URLs and "password=..." style assignments are masked. */
    public static String text(String value) {
        if (value == null) {
            return null;
        }
        String v = URL_USER_INFO.matcher(value).replaceAll("$1");
        Matcher m = SECRET_ASSIGNMENT.matcher(v);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + m.group(2) + "***"));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
