package id.go.pdn.hub.files;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Caps the bytes per second of all transfers of one migration together (parameter {@code bandwidthLimit}). */
final class BandwidthLimiter {

    private final double nanosPerByte;
    private long nextFree = System.nanoTime();

    BandwidthLimiter(long bytesPerSecond) {
        this.nanosPerByte = TimeUnit.SECONDS.toNanos(1) / (double) bytesPerSecond;
    }

    /** Waits until {@code bytes} more fit under the cap. */
    void acquire(int bytes) throws InterruptedException {
        long wakeAt;
        synchronized (this) {
            long now = System.nanoTime();
            // an idle spell earns no burst larger than a quarter second
            nextFree = Math.max(nextFree, now - TimeUnit.MILLISECONDS.toNanos(250));
            nextFree += (long) (bytes * nanosPerByte);
            wakeAt = nextFree;
        }
        long wait;
        while ((wait = wakeAt - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
