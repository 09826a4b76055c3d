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
    private volatile boolean pauseRequested;
    private volatile String waitingFor; // why the run takes no new items right now, or null
    private volatile boolean verifying;
    private volatile long waitingSince; // System.nanoTime() when the run began to wait, if it waits
    private volatile long waitedNanos;  // what the run waited before that
    private volatile long runId;
    private volatile OffsetDateTime runStartedAt;
    private volatile RunSummary lastSummary;

    /** Takes the run; false if one is already going on (runs of one migration never overlap). */
    boolean tryStart() {
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        stopRequested = false;
        waitingFor = null;
        verifying = false;
        return true;
    }

    void started(long runId) {
        this.runId = runId;
        this.waitedNanos = 0;
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

    /** Asks the run to take no new items until {@link #resume}; items being copied finish. Survives the run's end. */
    public void requestPause() {
        pauseRequested = true;
        signal();
    }

    public void resume() {
        pauseRequested = false;
        signal();
    }

    public boolean isPauseRequested() {
        return pauseRequested;
    }

    /** What the run waits for before it takes new items (an operator's resume, the maintenance window), or null. */
    public String waitingFor() {
        return waitingFor;
    }

    void waitingFor(String reason) {
        if (reason != null && waitingFor == null) {
            waitingSince = System.nanoTime();
        } else if (reason == null && waitingFor != null) {
            waitedNanos += System.nanoTime() - waitingSince;
        }
        this.waitingFor = reason;
    }

    /** How long the current (or last) run has waited so far: paused, or outside its maintenance window. */
    public java.time.Duration waited() {
        return java.time.Duration.ofNanos(waitedNanos + (waitingFor != null ? System.nanoTime() - waitingSince : 0));
    }

    public boolean isVerifying() {
        return verifying;
    }

    void verifying(boolean verifying) {
        this.verifying = verifying;
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
