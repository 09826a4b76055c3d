package id.go.pdn.hub.core.schedule;

import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import id.go.pdn.hub.core.HubException;

/**
 * The hours in which a migration may work, e.g. {@code 22:00-05:00} (crossing midnight) in the hub's time zone.
 * Outside them a run finishes the items it is copying, takes no new ones and waits for the window to open again.
 */
public record MaintenanceWindow(LocalTime opens, LocalTime closes) {

    /** Parses {@code HH:mm-HH:mm}; the error names the migration and the fix. */
    public static MaintenanceWindow parse(String text, String migration) {
        String[] parts = text.trim().split("\\s*-\\s*");
        try {
            if (parts.length == 2) {
                MaintenanceWindow window = new MaintenanceWindow(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
                if (!window.opens.equals(window.closes)) {
                    return window;
                }
            }
        } catch (DateTimeParseException e) {
            // explained below
        }
        throw new HubException(HubException.ErrorCode.CONFIGURATION, "Migration " + migration + ": window '" + text
                + "' is not valid; write opening and closing time as HH:mm-HH:mm, e.g. '22:00-05:00' (hub time zone)");
    }

    public boolean isOpen(ZonedDateTime now) {
        LocalTime time = now.toLocalTime();
        return opens.isBefore(closes)
                ? !time.isBefore(opens) && time.isBefore(closes)
                : !time.isBefore(opens) || time.isBefore(closes); // crosses midnight
    }

    /** The next time the window opens after {@code now} (now itself if it opens this instant). */
    public ZonedDateTime nextOpening(ZonedDateTime now) {
        ZonedDateTime today = now.with(opens).withNano(0);
        return today.isBefore(now) ? today.plusDays(1) : today;
    }

    @Override
    public String toString() {
        return opens + "-" + closes;
    }
}
