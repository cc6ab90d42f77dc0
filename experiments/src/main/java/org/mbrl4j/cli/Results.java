package org.mbrl4j.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mbrl4j.data.AtomicFile;

/**
 * A results table: rows of named values, written as CSV (every row) and as Markdown, and summarised as mean ± std per
 * group of key columns. Columns keep their first-seen order.
 */
final class Results {
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final List<String> columns = new ArrayList<>();

    /** Adds a row (alternating column names and values). */
    synchronized Results add(Object... kv) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            String c = (String) kv[i];
            row.put(c, kv[i + 1]);
            if (!columns.contains(c)) {
                columns.add(c);
            }
        }
        rows.add(row);
        return this;
    }

    synchronized List<Map<String, Object>> rows() {
        return List.copyOf(rows);
    }

    /** Values of {@code metric} in rows whose {@code keys} equal {@code values}. */
    synchronized double[] values(String metric, Map<String, Object> where) {
        return rows.stream().filter(r -> where.entrySet().stream().allMatch(e -> e.getValue().equals(r.get(e.getKey()))))
                .map(r -> r.get(metric)).filter(v -> v instanceof Number).mapToDouble(v -> ((Number) v).doubleValue())
                .toArray();
    }

    /** Writes every row as CSV. */
    synchronized void writeCsv(Path file) {
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, Object> r : rows) {
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(cell(r.get(c), false));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        AtomicFile.write(file, o -> o.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * A Markdown table with one row per distinct combination of {@code keys} (first-seen order) and, per metric,
     * {@code mean ± std (n)} over the rows of that group (a single value when n = 1).
     */
    synchronized String summary(List<String> keys, List<String> metrics) {
        Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
        for (Map<String, Object> r : rows) {
            List<Object> k = new ArrayList<>();
            for (String key : keys) {
                k.add(r.get(key));
            }
            groups.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", keys));
        for (String m : metrics) {
            sb.append(" | ").append(m);
        }
        sb.append(" |\n|").append("---|".repeat(keys.size() + metrics.size())).append('\n');
        for (Map.Entry<List<Object>, List<Map<String, Object>>> g : groups.entrySet()) {
            sb.append("| ");
            for (Object k : g.getKey()) {
                sb.append(cell(k, true)).append(" | ");
            }
            for (String m : metrics) {
                double[] v = g.getValue().stream().map(r -> r.get(m)).filter(x -> x instanceof Number)
                        .mapToDouble(x -> ((Number) x).doubleValue()).toArray();
                sb.append(meanStd(v)).append(" | ");
            }
            sb.setLength(sb.length() - 1);
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code mean ± std} (sample std) with 4 significant digits, or the value alone for one value, or "–". */
    static String meanStd(double[] v) {
        v = java.util.Arrays.stream(v).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) {
            return "–";
        }
        double m = 0;
        for (double x : v) {
            m += x / v.length;
        }
        if (v.length == 1) {
            return fmt(m);
        }
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        double sd = Math.sqrt(s / (v.length - 1));
        // a constant column (e.g. a theory value) is shown as its value
        return sd <= 1e-9 * Math.max(1, Math.abs(m)) ? fmt(m) : fmt(m) + " ± " + fmt(sd);
    }

    static String fmt(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x != 0) ? String.format("%.3e", x) : String.format("%.4g", x);
    }

    private static String cell(Object v, boolean pretty) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d) {
            return pretty ? fmt(d) : Double.toString(d);
        }
        String s = v.toString();
        return !pretty && (s.contains(",") || s.contains("\"")) ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Writes {@code text} to {@code file} atomically. */
    static void writeText(Path file, String text) {
        AtomicFile.write(file, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
