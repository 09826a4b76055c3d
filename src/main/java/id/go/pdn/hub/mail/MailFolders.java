package id.go.pdn.hub.mail;

import id.go.pdn.hub.core.Globs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which source folders a migration copies and where each one goes on the target. Parameters write folder names with
 * {@code /} as the hierarchy separator whatever each server uses ({@code Archive/2023}); a name becomes the server's
 * own with its separator. In order: an explicit rename rule ({@code Sent Items=Sent}, applied to the folder and
 * everything under it), then a special-use folder (\Sent, \Drafts, \Trash, \Junk, \Archive) goes to the target's
 * folder of the same use, INBOX stays INBOX, and every other folder goes under {@code targetPrefix} if there is one.
 */
final class MailFolders {

    /** Special uses (RFC 6154) and the names that mean them on servers that do not announce them. */
    enum Role {
        SENT("\\Sent", "Sent", "Sent Items", "Sent Messages", "Sent Mail", "Terkirim"),
        DRAFTS("\\Drafts", "Drafts", "Draft", "Konsep"),
        TRASH("\\Trash", "Trash", "Deleted Items", "Deleted Messages", "Sampah"),
        JUNK("\\Junk", "Junk", "Spam", "Junk E-mail", "Junk Email"),
        ARCHIVE("\\Archive", "Archive", "Archives", "Arsip");

        final String attribute;
        final List<String> names;

        Role(String attribute, String... names) {
            this.attribute = attribute;
            this.names = Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).toList();
        }

        /** The role announced by the server's LIST attributes, else the one a top-level name suggests. */
        static Optional<Role> of(String[] attributes, List<String> path) {
            for (Role role : values()) {
                if (attributes != null && Arrays.stream(attributes).anyMatch(role.attribute::equalsIgnoreCase)) {
                    return Optional.of(role);
                }
            }
            if (path.size() == 1) {
                String name = path.get(0).toLowerCase(Locale.ROOT);
                return Arrays.stream(values()).filter(r -> r.names.contains(name)).findFirst();
            }
            return Optional.empty();
        }
    }

    /** A folder as one server lists it: its full name, separator, special use and whether it can hold messages. */
    record Folder(String fullName, char separator, Optional<Role> role, boolean selectable, boolean subscribed) {

        /** The name with {@code /} as separator, as parameters write it. */
        String logicalName() {
            return String.join("/", path());
        }

        List<String> path() {
            if (fullName.equalsIgnoreCase("INBOX")) {
                return List.of("INBOX");
            }
            return List.of(fullName.split(Pattern.quote(String.valueOf(separator)), -1));
        }
    }

    private final String include;
    private final String exclude;
    private final Map<String, String> renames;
    private final String targetPrefix;

    MailFolders(String include, String exclude, String renames, String targetPrefix) {
        this.include = include;
        this.exclude = exclude;
        this.renames = parseRenames(renames);
        this.targetPrefix = targetPrefix == null ? "" : targetPrefix.strip().replaceAll("^/+|/+$", "");
    }

    /** {@code Sent Items=Sent, Deleted Items=Trash}: source name (with /) = target name (with /). */
    static Map<String, String> parseRenames(String rules) {
        Map<String, String> map = new LinkedHashMap<>();
        if (rules == null || rules.isBlank()) {
            return map;
        }
        for (String rule : rules.split(",")) {
            if (rule.isBlank()) {
                continue;
            }
            String[] sides = rule.split("=", 2);
            if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
                throw new IllegalArgumentException("parameter 'folderMap': rule '" + rule.strip() + "' must read "
                        + "'source name=target name', e.g. 'Sent Items=Sent'");
            }
            map.put(sides[0].strip(), sides[1].strip());
        }
        return map;
    }

    boolean includes(Folder folder) {
        String name = folder.logicalName();
        return Globs.names(include).matches(name) && !Globs.names(exclude).matches(name);
    }

    /**
     * The target folder's full name for a source folder.
     *
     * @param targetRoles the target's special-use folders (full names)
     * @param targetSeparator the target's hierarchy separator
     */
    String targetName(Folder source, Map<Role, String> targetRoles, char targetSeparator) {
        String logical = source.logicalName();
        for (Map.Entry<String, String> rule : renames.entrySet()) {
            String from = rule.getKey();
            if (logical.equalsIgnoreCase(from)) {
                return toNative(rule.getValue(), targetSeparator);
            }
            if (logical.regionMatches(true, 0, from + "/", 0, from.length() + 1)) {
                return toNative(rule.getValue() + logical.substring(from.length()), targetSeparator);
            }
        }
        if (source.role().isPresent() && targetRoles.containsKey(source.role().get())) {
            return targetRoles.get(source.role().get());
        }
        if (logical.equals("INBOX")) {
            return "INBOX";
        }
        return toNative(targetPrefix.isEmpty() ? logical : targetPrefix + "/" + logical, targetSeparator);
    }

    /**
     * A /-separated name in the target's separator. A source name that holds the target's separator ("a.b" going to a
     * server that nests with ".") would nest where the source did not: that character becomes "_".
     */
    static String toNative(String logical, char separator) {
        if (separator == '/') {
            return logical;
        }
        return Arrays.stream(logical.split("/", -1)).map(s -> s.replace(separator, '_'))
                .collect(Collectors.joining(String.valueOf(separator)));
    }
}
