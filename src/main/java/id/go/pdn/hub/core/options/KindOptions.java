package id.go.pdn.hub.core.options;

/**
 * The options of one kind of migration ({@code migration:db}, {@code migration:files}, ...): a class of
 * {@link org.apache.camel.spi.UriParam} fields with setters, bound by Camel from the route, then checked here.
 */
public interface KindOptions {

    /**
     * Checks what the types alone cannot: ranges, formats, combinations. Throws {@link IllegalArgumentException} with
     * a message that names the option and the fix ("parameter 'verify' is 'quick'; write full or size").
     */
    default void validate() {
    }

    /** The options that shape the plan, as text: a change there means a new plan ({@code ./hub reset}). */
    String planFingerprint();
}
