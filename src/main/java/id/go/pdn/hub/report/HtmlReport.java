package id.go.pdn.hub.report;

import java.util.Locale;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.standard.StandardDialect;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders a report as one self-contained HTML page: inline CSS, charts as inline SVG, no script, nothing fetched.
 * Readable on a laptop and printable. The page is the Thymeleaf template {@code report/report.html} (charts in
 * {@code report/charts.html}) filled from a {@link ReportPage}; Thymeleaf escapes every value, so item keys (file names
 * and mailbox names that anyone could have chosen) and error texts stay text.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static String render(ApplicationReport report) {
        Context context = new Context(Locale.ROOT);
        context.setVariable("page", ReportPage.of(report));
        return printable(Engine.INSTANCE.process("report", context));
    }

    /** Built on first use: only `hub report` pays for it, never the hub's start. */
    private static final class Engine {
        static final TemplateEngine INSTANCE = create();

        private static TemplateEngine create() {
            ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver(HtmlReport.class.getClassLoader());
            templates.setPrefix("report/");
            templates.setSuffix(".html");
            templates.setTemplateMode(TemplateMode.HTML);
            templates.setCharacterEncoding("UTF-8");
            StandardDialect dialect = new StandardDialect();
            // the page inlines no JavaScript: spares building the default serializer's own Jackson ObjectMapper
            dialect.setJavaScriptSerializer((value, writer) -> {
                throw new UnsupportedOperationException("report.html inlines no JavaScript");
            });
            TemplateEngine engine = new TemplateEngine();
            engine.setDialect(dialect);
            engine.setTemplateResolver(templates);
            return engine;
        }
    }

    /**
     * Control characters and broken UTF-16 (hostile file names) become U+FFFD: escaping leaves them alone, but they are
     * not allowed in HTML and a lone surrogate cannot be written as UTF-8.
     */
    static String printable(String html) {
        StringBuilder s = null;
        for (int i = 0; i < html.length(); i++) {
            char c = html.charAt(i);
            boolean bad = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (Character.isSurrogate(c) && !validSurrogate(html, i));
            if (bad && s == null) {
                s = new StringBuilder(html.length()).append(html, 0, i);
            }
            if (s != null) {
                s.append(bad ? '\uFFFD' : c);
            }
        }
        return s == null ? html : s.toString();
    }

    private static boolean validSurrogate(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
