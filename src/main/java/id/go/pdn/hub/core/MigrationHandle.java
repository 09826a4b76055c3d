package id.go.pdn.hub.core;

import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The live state of one loaded migration: whether a run is going on, and the way to stop it or wake it. */
public class MigrationHandle {

    private final AtomicBoolean running = new AtomicBoolean();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private volatile boolean stopRequested;
    private volatile long runId;
    private volatile OffsetDateTime runStartedAt;
    private volatile RunSummary lastSummary;

    /** Takes the run; false if one is already going on (runs of one migration never overlap). */
    boolean tryStart() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        stopRequested = false;
        return true;
    }

    void started(long runId) {
        this.runId = runId;
        this.runStartedAt = OffsetDateTime.now();
    }

    void finished(RunSummary summary) {
        this.lastSummary = summary;
        running.set(false);
    }

    void release() {
        running.set(false);
    }

    public boolean isRunning() {
        return running.get();
    }

    public boolean isStopRequested() {
        return stopRequested;
    }

    /** Asks the run to stop at the next item boundary; items being copied finish first. */
    public void requestStop() {
        stopRequested = true;
        signal();
    }

    public long runId() {
        return runId;
    }

    public OffsetDateTime runStartedAt() {
        return runStartedAt;
    }

    public RunSummary lastSummary() {
        return lastSummary;
    }

    void signal() {
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void awaitProgress(long millis) throws InterruptedException {
        lock.lock();
        try {
            progress.await(millis, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }
}
