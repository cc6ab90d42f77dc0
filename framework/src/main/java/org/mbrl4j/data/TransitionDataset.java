package org.mbrl4j.data;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Transitions in mbrl4j's interchange format: a CSV with header {@code obs_0..obs_{n-1}, act_0..act_{m-1},
 * next_obs_0..next_obs_{n-1}, reward, terminated, truncated, episode}, flags as 0/1, numbers printed so they
 * round-trip exactly. Held in memory as row-major arrays.
 */
public final class TransitionDataset {
    private final int obsDim;
    private final int actDim;
    private final double[] obs;
    private final double[] act;
    private final double[] nextObs;
    private final double[] reward;
    private final boolean[] terminated;
    private final boolean[] truncated;
    private final int[] episode;

    private TransitionDataset(int obsDim, int actDim, double[] obs, double[] act, double[] nextObs, double[] reward,
            boolean[] terminated, boolean[] truncated, int[] episode) {
        this.obsDim = obsDim;
        this.actDim = actDim;
        this.obs = obs;
        this.act = act;
        this.nextObs = nextObs;
        this.reward = reward;
        this.terminated = terminated;
        this.truncated = truncated;
        this.episode = episode;
    }

    /** A dataset over row-major arrays (taken as they are, not copied). */
    public static TransitionDataset of(int obsDim, int actDim, double[] obs, double[] act, double[] nextObs,
            double[] reward, boolean[] terminated, boolean[] truncated, int[] episode) {
        int n = reward.length;
        if (obs.length != n * obsDim || nextObs.length != n * obsDim || act.length != n * actDim || terminated.length != n
                || truncated.length != n || episode.length != n) {
            throw new IllegalArgumentException("dataset arrays do not describe " + n + " rows of " + obsDim + " + "
                    + actDim + " values");
        }
        return new TransitionDataset(obsDim, actDim, obs, act, nextObs, reward, terminated, truncated, episode);
    }

    /** Number of transitions. */
    public int size() {
        return reward.length;
    }

    /** Observation dimension. */
    public int obsDim() {
        return obsDim;
    }

    /** Action dimension. */
    public int actDim() {
        return actDim;
    }

    /** Observation of row {@code i}, a copy. */
    public double[] obs(int i) {
        return slice(obs, i, obsDim);
    }

    /** Action of row {@code i}, a copy. */
    public double[] action(int i) {
        return slice(act, i, actDim);
    }

    /** Next observation of row {@code i}, a copy. */
    public double[] nextObs(int i) {
        return slice(nextObs, i, obsDim);
    }

    /** Reward of row {@code i}. */
    public double reward(int i) {
        return reward[i];
    }

    /** Whether row {@code i} terminated. */
    public boolean terminated(int i) {
        return terminated[i];
    }

    /** Whether row {@code i} was truncated. */
    public boolean truncated(int i) {
        return truncated[i];
    }

    /** Episode index of row {@code i}. */
    public int episode(int i) {
        return episode[i];
    }

    /** The rows {@code rows}, in that order, as a new dataset. */
    public TransitionDataset select(int[] rows) {
        int n = rows.length;
        double[] o = new double[n * obsDim];
        double[] a = new double[n * actDim];
        double[] x = new double[n * obsDim];
        double[] r = new double[n];
        boolean[] te = new boolean[n];
        boolean[] tr = new boolean[n];
        int[] ep = new int[n];
        for (int k = 0; k < n; k++) {
            int i = rows[k];
            if (i < 0 || i >= size()) {
                throw new IndexOutOfBoundsException("row " + i + " is outside the dataset's " + size() + " rows");
            }
            System.arraycopy(obs, i * obsDim, o, k * obsDim, obsDim);
            System.arraycopy(act, i * actDim, a, k * actDim, actDim);
            System.arraycopy(nextObs, i * obsDim, x, k * obsDim, obsDim);
            r[k] = reward[i];
            te[k] = terminated[i];
            tr[k] = truncated[i];
            ep[k] = episode[i];
        }
        return new TransitionDataset(obsDim, actDim, o, a, x, r, te, tr, ep);
    }

    /**
     * Columns as a row-major {@code size × width} array: each prefix ({@code obs}, {@code act}, {@code next_obs},
     * {@code reward}) contributes its columns, in the order given.
     */
    public double[] columns(String... prefixes) {
        int width = 0;
        for (String p : prefixes) {
            width += width(p);
        }
        double[] out = new double[size() * width];
        int off = 0;
        for (String p : prefixes) {
            int w = width(p);
            double[] src = switch (p) {
                case "obs" -> obs;
                case "act" -> act;
                case "next_obs" -> nextObs;
                default -> reward;
            };
            for (int i = 0; i < size(); i++) {
                System.arraycopy(src, i * w, out, i * width + off, w);
            }
            off += w;
        }
        return out;
    }

    private int width(String prefix) {
        return switch (prefix) {
            case "obs", "next_obs" -> obsDim;
            case "act" -> actDim;
            case "reward" -> 1;
            default -> throw new IllegalArgumentException("unknown column prefix '" + prefix
                    + "'; accepted: obs, act, next_obs, reward");
        };
    }

    private static double[] slice(double[] a, int i, int w) {
        double[] s = new double[w];
        System.arraycopy(a, i * w, s, 0, w);
        return s;
    }

    /** The CSV header for the given dimensions. */
    public static String header(int obsDim, int actDim) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < obsDim; i++) {
            sb.append("obs_").append(i).append(',');
        }
        for (int i = 0; i < actDim; i++) {
            sb.append("act_").append(i).append(',');
        }
        for (int i = 0; i < obsDim; i++) {
            sb.append("next_obs_").append(i).append(',');
        }
        return sb.append("reward,terminated,truncated,episode").toString();
    }

    /** Formats a number so that parsing it gives back the same double. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** Writes the dataset to {@code path} through a temporary file moved into place. */
    public void write(Path path) {
        try (Writer w = writer(path, obsDim, actDim)) {
            for (int i = 0; i < size(); i++) {
                w.add(obs(i), action(i), nextObs(i), reward[i], terminated[i], truncated[i], episode[i]);
            }
            w.commit();
        }
    }

    /** A streaming writer for {@code path}; see {@link Writer}. */
    public static Writer writer(Path path, int obsDim, int actDim) {
        return new Writer(path, obsDim, actDim);
    }

    /**
     * Streams transitions to {@code <path>.partial}, flushing at every {@link #flush}; {@link #commit} moves the
     * file into place. A run that fails before committing leaves the partial file with everything added so far.
     */
    public static final class Writer implements AutoCloseable {
        private final Path path;
        private final Path partial;
        private final int obsDim;
        private final int actDim;
        private final BufferedWriter out;
        private final StringBuilder line = new StringBuilder(512);
        private long rows;
        private boolean committed;

        private Writer(Path path, int obsDim, int actDim) {
            this.path = path.toAbsolutePath();
            this.partial = this.path.resolveSibling(this.path.getFileName() + ".partial");
            this.obsDim = obsDim;
            this.actDim = actDim;
            try {
                if (this.path.getParent() != null) {
                    Files.createDirectories(this.path.getParent());
                }
                out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
                out.write(header(obsDim, actDim));
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
            }
        }

        /** Appends one transition. */
        public void add(double[] obs, double[] action, double[] nextObs, double reward, boolean terminated,
                boolean truncated, int episode) {
            check("obs", obs, obsDim);
            check("action", action, actDim);
            check("next_obs", nextObs, obsDim);
            line.setLength(0);
            for (double v : obs) {
                line.append(format(v)).append(',');
            }
            for (double v : action) {
                line.append(format(v)).append(',');
            }
            for (double v : nextObs) {
                line.append(format(v)).append(',');
            }
            line.append(format(reward)).append(',').append(terminated ? '1' : '0').append(',')
                    .append(truncated ? '1' : '0').append(',').append(episode).append('\n');
            try {
                out.append(line);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
            }
            rows++;
        }

        private static void check(String what, double[] x, int n) {
            if (x == null || x.length != n) {
                throw new IllegalArgumentException(what + " must have " + n + " values, got "
                        + (x == null ? "null" : x.length));
            }
        }

        /** Rows added so far. */
        public long rows() {
            return rows;
        }

        /** The file being written until {@link #commit}. */
        public Path partialPath() {
            return partial;
        }

        /** Pushes everything added so far to the partial file. */
        public void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + partial + ": " + e.getMessage(), e);
            }
        }

        /** Closes the partial file and moves it to its final path. */
        public void commit() {
            try {
                out.close();
                Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                committed = true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + partial + " to " + path + ": " + e.getMessage(), e);
            }
        }

        /** Closes the file; without {@link #commit} the partial file stays where it is. */
        @Override
        public void close() {
            if (!committed) {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * Reads a dataset. Malformed files fail with the file, line and column named: missing or repeated columns, rows
     * with the wrong number of fields, cells that are not finite decimal numbers (NaN, ±Infinity, text), flags other
     * than 0/1, episodes that are not integers ≥ 0.
     */
    public static TransitionDataset read(Path path) {
        return read(path, false).data();
    }

    /** A dataset read with {@link #read(Path, boolean)} and the rows it dropped (file:line: why, one per row). */
    public record Loaded(TransitionDataset data, List<String> dropped) {
    }

    /**
     * Reads a dataset as {@link #read(Path)} does, or with {@code dropInvalidRows} drops each row that would fail it
     * (the header must still be right) and reports it in {@link Loaded#dropped}. A file whose rows are all dropped
     * fails.
     */
    public static Loaded read(Path path, boolean dropInvalidRows) {
        NumericCsv csv = NumericCsv.read(path, "dataset", dropInvalidRows);
        String[] cols = csv.header();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < cols.length; i++) {
            index.put(cols[i], i);
        }
        int n = count(index, "obs_");
        int m = count(index, "act_");
        if (n == 0 || m == 0) {
            throw new IllegalArgumentException(path + ": header must have obs_0.., act_0.. and next_obs_0.. columns; got "
                    + String.join(",", cols));
        }
        int[] obsCol = cols(index, "obs_", n, path);
        int[] actCol = cols(index, "act_", m, path);
        int[] nextCol = cols(index, "next_obs_", n, path);
        int rewardCol = col(index, "reward", path);
        int termCol = col(index, "terminated", path);
        int truncCol = col(index, "truncated", path);
        Integer epCol = index.get("episode");
        java.util.function.Function<double[], String> check = row -> {
            for (int c : new int[] {termCol, truncCol}) {
                if (row[c] != 0 && row[c] != 1) {
                    return "column " + cols[c] + " must be 0 or 1, got " + format(row[c]);
                }
            }
            if (epCol != null && (row[epCol] < 0 || row[epCol] != Math.rint(row[epCol]) || row[epCol] > Integer.MAX_VALUE)) {
                return "column episode must be an integer ≥ 0, got " + format(row[epCol]);
            }
            return null;
        };
        // the column checks need the header, so the rows are checked in a second pass over the parsed values
        List<double[]> rows = new ArrayList<>();
        List<String> dropped = new ArrayList<>(csv.dropped());
        List<double[]> parsed = csv.rows();
        int[] lines = csv.lines();
        for (int i = 0; i < parsed.size(); i++) {
            String problem = check.apply(parsed.get(i));
            if (problem == null) {
                rows.add(parsed.get(i));
            } else if (dropInvalidRows) {
                dropped.add(path + ":" + lines[i] + ": " + problem);
            } else {
                throw new IllegalArgumentException(path + ":" + lines[i] + ": " + problem);
            }
        }
        if (dropInvalidRows && rows.isEmpty() && !dropped.isEmpty()) {
            throw new IllegalArgumentException(path + ": every one of its " + dropped.size() + " rows is invalid; the first: "
                    + dropped.get(0));
        }
        int size = rows.size();
        double[] o = new double[size * n];
        double[] a = new double[size * m];
        double[] x = new double[size * n];
        double[] r = new double[size];
        boolean[] te = new boolean[size];
        boolean[] tr = new boolean[size];
        int[] ep = new int[size];
        for (int i = 0; i < size; i++) {
            double[] row = rows.get(i);
            for (int j = 0; j < n; j++) {
                o[i * n + j] = row[obsCol[j]];
                x[i * n + j] = row[nextCol[j]];
            }
            for (int j = 0; j < m; j++) {
                a[i * m + j] = row[actCol[j]];
            }
            r[i] = row[rewardCol];
            te[i] = row[termCol] == 1;
            tr[i] = row[truncCol] == 1;
            ep[i] = epCol == null ? 0 : (int) row[epCol];
        }
        return new Loaded(new TransitionDataset(n, m, o, a, x, r, te, tr, ep), List.copyOf(dropped));
    }

    private static int count(Map<String, Integer> index, String prefix) {
        int k = 0;
        while (index.containsKey(prefix + k)) {
            k++;
        }
        return k;
    }

    private static int[] cols(Map<String, Integer> index, String prefix, int n, Path path) {
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = col(index, prefix + i, path);
        }
        return c;
    }

    private static int col(Map<String, Integer> index, String name, Path path) {
        Integer c = index.get(name);
        if (c == null) {
            throw new IllegalArgumentException(path + ": missing column '" + name + "' in the header");
        }
        return c;
    }
}
