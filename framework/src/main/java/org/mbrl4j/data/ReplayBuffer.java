package org.mbrl4j.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Transitions collected online, in a ring of fixed capacity (the oldest are dropped first), with their episode
 * indices so trajectories can be recovered. Saved and loaded in the dataset CSV format, atomically.
 */
public final class ReplayBuffer {
    private final int capacity;
    private final int obsDim;
    private final int actDim;
    private final double[] obs;
    private final double[] act;
    private final double[] next;
    private final double[] reward;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final int[] episode;
    private int start;
    private int size;
    private long added;

    /** An empty buffer for {@code capacity} transitions of the given dimensions. */
    public ReplayBuffer(int capacity, int obsDim, int actDim) {
        if (capacity < 1 || obsDim < 1 || actDim < 1) {
            throw new IllegalArgumentException("ReplayBuffer capacity, obsDim and actDim must be ≥ 1, got " + capacity
                    + ", " + obsDim + ", " + actDim);
        }
        this.capacity = capacity;
        this.obsDim = obsDim;
        this.actDim = actDim;
        obs = new double[capacity * obsDim];
        act = new double[capacity * actDim];
        next = new double[capacity * obsDim];
        reward = new double[capacity];
        terminated = new boolean[capacity];
        truncated = new boolean[capacity];
        episode = new int[capacity];
    }

    /** Transitions held. */
    public int size() {
        return size;
    }

    /** Capacity. */
    public int capacity() {
        return capacity;
    }

    /** Transitions ever added (including dropped ones). */
    public long added() {
        return added;
    }

    /** Appends one transition, dropping the oldest when full. */
    public void add(double[] o, double[] a, double[] n, double r, boolean term, boolean trunc, int ep) {
        if (o.length != obsDim || n.length != obsDim || a.length != actDim) {
            throw new IllegalArgumentException("transition must have " + obsDim + " observation and " + actDim
                    + " action values, got " + o.length + ", " + a.length + ", " + n.length);
        }
        int i = (start + size) % capacity;
        if (size == capacity) {
            start = (start + 1) % capacity;
        } else {
            size++;
        }
        System.arraycopy(o, 0, obs, i * obsDim, obsDim);
        System.arraycopy(a, 0, act, i * actDim, actDim);
        System.arraycopy(n, 0, next, i * obsDim, obsDim);
        reward[i] = r;
        terminated[i] = term;
        truncated[i] = trunc;
        episode[i] = ep;
        added++;
    }

    /** Everything held, oldest first, as a dataset. */
    public TransitionDataset toDataset() {
        int[] rows = new int[size];
        for (int k = 0; k < size; k++) {
            rows[k] = k;
        }
        return rows(rows);
    }

    /** {@code n} transitions drawn uniformly with replacement. */
    public TransitionDataset sample(int n, RandomGenerator rng) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        int[] rows = new int[n];
        for (int k = 0; k < n; k++) {
            rows[k] = rng.nextInt(size);
        }
        return rows(rows);
    }

    /** The episodes held, oldest first, each as the list of its positions in {@link #toDataset()}. */
    public List<int[]> trajectories() {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int k = 1; k <= size; k++) {
            int prev = (start + k - 1) % capacity;
            boolean boundary = k == size || episode[(start + k) % capacity] != episode[prev];
            if (boundary) {
                int[] t = new int[k - from];
                for (int j = 0; j < t.length; j++) {
                    t[j] = from + j;
                }
                out.add(t);
                from = k;
            }
        }
        return out;
    }

    private TransitionDataset rows(int[] logical) {
        int[] physical = new int[logical.length];
        for (int k = 0; k < logical.length; k++) {
            physical[k] = (start + logical[k]) % capacity;
        }
        // a view over the whole ring (unfilled slots are never selected), then a copy of the wanted rows
        return TransitionDataset.of(obsDim, actDim, obs, act, next, reward, terminated, truncated, episode).select(physical);
    }

    /** Observation dimension. */
    public int obsDim() {
        return obsDim;
    }

    /** Action dimension. */
    public int actDim() {
        return actDim;
    }

    /** Writes the buffer to {@code file} (dataset CSV) through a temporary file moved into place. */
    public void save(Path file) {
        toDataset().write(file);
    }

    /** A buffer of {@code capacity} filled from a dataset CSV (the newest rows when the file holds more). */
    public static ReplayBuffer load(Path file, int capacity) {
        TransitionDataset d = TransitionDataset.read(file);
        ReplayBuffer b = new ReplayBuffer(capacity, d.obsDim(), d.actDim());
        for (int i = 0; i < d.size(); i++) {
            b.add(d.obs(i), d.action(i), d.nextObs(i), d.reward(i), d.terminated(i), d.truncated(i), d.episode(i));
        }
        return b;
    }
}
