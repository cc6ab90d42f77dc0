package org.mbrl4j.paper.classification;

import org.mbrl4j.random.Shuffle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * A tabular classification dataset: {@code rows × features} inputs and a class index per row. The small public
 * datasets the paper used ship as resources ({@link #NAMES}; sources and licences in the resource folder's
 * {@code NOTICE.md}).
 *
 * @param name     dataset name
 * @param x        row-major {@code rows × features}
 * @param y        class per row, in {@code 0 .. classes−1}
 * @param features number of features
 * @param classes  number of classes
 */
public record TabularData(String name, double[] x, int[] y, int features, int classes) {

    /** The bundled datasets. */
    public static final List<String> NAMES = List.of("iris", "wine", "breast_cancer", "digits");

    private static final Map<String, String> FILES = Map.of("iris", "iris.csv.gz", "wine", "wine_data.csv.gz",
            "breast_cancer", "breast_cancer.csv.gz", "digits", "digits.csv.gz");

    /** Validates shapes and labels. */
    public TabularData {
        if (x.length != y.length * features) {
            throw new IllegalArgumentException(name + ": " + y.length + " labels but " + x.length + " values for "
                    + features + " features");
        }
        for (int label : y) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException(name + ": label " + label + " outside 0.." + (classes - 1));
            }
        }
    }

    /** Number of rows. */
    public int rows() {
        return y.length;
    }

    /** Loads a bundled dataset by name. */
    public static TabularData load(String name) {
        String file = FILES.get(name);
        if (file == null) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; bundled: " + NAMES);
        }
        try (InputStream in = TabularData.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("dataset resource " + file + " is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            List<double[]> rows = new ArrayList<>();
            String line;
            boolean header = !name.equals("digits");
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                String[] f = line.split(",");
                double[] v = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    v[i] = Double.parseDouble(f[i].trim());
                }
                rows.add(v);
            }
            int features = rows.get(0).length - 1;
            double[] x = new double[rows.size() * features];
            int[] y = new int[rows.size()];
            int classes = 0;
            for (int i = 0; i < rows.size(); i++) {
                double[] v = rows.get(i);
                System.arraycopy(v, 0, x, i * features, features);
                y[i] = (int) v[features];
                classes = Math.max(classes, y[i] + 1);
            }
            return new TabularData(name, x, y, features, classes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dataset " + name, e);
        }
    }

    /** The rows {@code idx} as a dataset. */
    public TabularData subset(int[] idx) {
        double[] sx = new double[idx.length * features];
        int[] sy = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(x, idx[i] * features, sx, i * features, features);
            sy[i] = y[idx[i]];
        }
        return new TabularData(name, sx, sy, features, classes);
    }

    /**
     * A train/validation/test split.
     *
     * @param train training rows, standardised
     * @param val   validation rows, standardised with the training statistics
     * @param test  test rows, standardised with the training statistics
     */
    public record Split(TabularData train, TabularData val, TabularData test) {
    }

    /**
     * A stratified split: in every class, a share {@code testShare} of its rows goes to test and {@code valShare} to
     * validation (rounded, at least one each when the class has ≥ 3 rows), the rest to training; features are then
     * standardised with the training mean and standard deviation (constant features are only centred).
     */
    public Split stratifiedSplit(double testShare, double valShare, long seed) {
        if (!(testShare > 0) || !(valShare >= 0) || testShare + valShare >= 1) {
            throw new IllegalArgumentException("split shares must satisfy 0 < test, 0 ≤ val, test + val < 1; got test "
                    + testShare + ", val " + valShare);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < rows(); i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            Shuffle.shuffle(members, rng);
            int m = members.size();
            int nTest = m >= 3 ? Math.max(1, (int) Math.round(testShare * m)) : 0;
            int nVal = m >= 3 && valShare > 0 ? Math.max(1, (int) Math.round(valShare * m)) : 0;
            te.addAll(members.subList(0, nTest));
            va.addAll(members.subList(nTest, nTest + nVal));
            tr.addAll(members.subList(nTest + nVal, m));
        }
        TabularData train = subset(tr.stream().mapToInt(Integer::intValue).toArray());
        double[] mean = new double[features];
        double[] sd = new double[features];
        int n = train.rows();
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < features; f++) {
                mean[f] += train.x[i * features + f] / n;
            }
        }
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < features; f++) {
                double d = train.x[i * features + f] - mean[f];
                sd[f] += d * d / n;
            }
        }
        for (int f = 0; f < features; f++) {
            sd[f] = sd[f] > 1e-24 ? Math.sqrt(sd[f]) : 1;
        }
        return new Split(train.standardised(mean, sd), subset(va.stream().mapToInt(Integer::intValue).toArray())
                .standardised(mean, sd), subset(te.stream().mapToInt(Integer::intValue).toArray()).standardised(mean, sd));
    }

    private TabularData standardised(double[] mean, double[] sd) {
        double[] z = x.clone();
        for (int i = 0; i < rows(); i++) {
            for (int f = 0; f < features; f++) {
                z[i * features + f] = (z[i * features + f] - mean[f]) / sd[f];
            }
        }
        return new TabularData(name, z, y, features, classes);
    }
}
