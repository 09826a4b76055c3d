package id.go.pdn.hub.support;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.TimeZone;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * GreenMail 2.1 parses an APPEND's date with {@code dd-MMM-yyyy hh:mm:ss Z} (12-hour {@code hh}), so a message appended
 * between 12:00 and 12:59 local time is stored twelve hours early. A test whose messages take the current time as
 * their internal date (a POP3 message without {@code Received:} or {@code Date:} is dated at its first listing) would
 * fail one hour a day. For such a test class the JVM's zone is set, for its duration, to the offset where the local hour
 * is now 06: instants stay the same, only how they are written changes, and a class runs far less than six hours.
 * Angus Mail writes the hour with a formatter whose zone was fixed when its class loaded (and the offset with the zone
 * of the moment), so that formatter follows the change too.
 */
public final class GreenMailClockHour implements BeforeAllCallback, AfterAllCallback {

    private TimeZone saved;

    @Override
    public void beforeAll(ExtensionContext context) {
        saved = TimeZone.getDefault();
        int hour = ZonedDateTime.now(ZoneOffset.UTC).getHour();
        int offset = Math.floorMod(6 - hour, 24);
        zone(TimeZone.getTimeZone(ZoneOffset.ofHours(offset > 14 ? offset - 24 : offset)));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        zone(saved);
    }

    private static void zone(TimeZone zone) {
        TimeZone.setDefault(zone);
        try {
            java.lang.reflect.Field format = org.eclipse.angus.mail.imap.protocol.INTERNALDATE.class.getDeclaredField("df");
            format.setAccessible(true);
            ((java.text.SimpleDateFormat) format.get(null)).setTimeZone(zone);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot set the zone of Angus Mail's INTERNALDATE formatter", e);
        }
    }
}
