package id.go.pdn.hub.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * A migration as declared in a route: its name (the route id), the application it belongs to, its kind
 * ({@code db}, {@code files}, {@code mail}) and the kind's own parameters. Where it came from (route file and line)
 * is kept for error messages.
 */
public record Migration(String name, String application, String kind, Map<String, String> parameters, String location) {

    public Migration {
        parameters = Map.copyOf(parameters);
    }

    public String parameter(String key) {
        return parameters.get(key);
    }

    public String parameter(String key, String defaultValue) {
        String value = parameters.get(key);
        return value == null || value.isBlank() ? defaultValue : value;
    }

    /** A whole-number parameter above 0; throws IllegalArgumentException naming the parameter and the value. */
    public int positiveInt(String key, int defaultValue) {
        String value = parameter(key, Integer.toString(defaultValue)).strip();
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("parameter '" + key + "' must be a whole number above 0, not '" + value + "'");
    }

    /** "simpeg-db (routes/simpeg.yaml:3)": how errors name a migration. */
    public String describe() {
        return location == null ? name : name + " (" + location + ")";
    }

    /** Parameters in a stable order, for fingerprints. */
    public Map<String, String> sortedParameters() {
        return new TreeMap<>(parameters);
    }
}
