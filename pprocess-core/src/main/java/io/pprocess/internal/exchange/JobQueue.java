package io.pprocess.internal.exchange;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The jobs an exchange was given and has not started yet, in order (a retried job goes first). */
final class JobQueue {
    private final ArrayDeque<Job> waiting = new ArrayDeque<>();

    /** @param job a job to start after those queued */
    void add(Job job) {
        waiting.add(job);
    }

    /** @param job a job to start before those queued (a retry, or one a child could not take) */
    void addFirst(Job job) {
        waiting.addFirst(job);
    }

    /** @return the next job, removed, or {@code null} */
    Job poll() {
        return waiting.poll();
    }

    /**
     * Takes the first queued job of {@code task}, for a reused child that runs that task.
     *
     * @param task the task, compared by identity
     * @return the job, removed, or {@code null} if none is queued
     */
    Job takeNextOf(Object task) {
        Iterator<Job> it = waiting.iterator();
        while (it.hasNext()) {
            Job next = it.next();
            if (next.task == task) {
                it.remove();
                return next;
            }
        }
        return null;
    }

    /** @return the ordinary jobs (not persistent processes'), removed: those pool options fail together */
    List<Job> takeOrdinary() {
        List<Job> dropped = new ArrayList<>();
        for (Job job : waiting) {
            if (job.ordinary()) {
                dropped.add(job);
            }
        }
        waiting.removeAll(dropped);
        return dropped;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    int size() {
        return waiting.size();
    }

    /** Drops every queued job. */
    void clear() {
        waiting.clear();
    }
}
