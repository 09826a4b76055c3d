package id.go.pdn.hub.support;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** A clock a test sets by hand: maintenance windows open and close when the test says so. */
public final class MovableClock extends Clock {

    private final ZoneId zone;
    private volatile Instant now;

    public MovableClock(ZonedDateTime start) {
        this.zone = start.getZone();
        this.now = start.toInstant();
    }

    public void set(ZonedDateTime time) {
        now = time.toInstant();
    }

    @Override public ZoneId getZone() { return zone; }
    @Override public Clock withZone(ZoneId zone) { return Clock.fixed(now, zone); }
    @Override public Instant instant() { return now; }
}
