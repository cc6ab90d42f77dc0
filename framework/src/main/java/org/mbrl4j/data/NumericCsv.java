package org.mbrl4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV of finite numbers under a header line, the one reader behind every numeric file a user feeds (datasets,
 * replay buffers, action files). Every cell must parse as a finite number: NaN, ±Infinity, text and rows with the wrong
 * number of fields fail naming the file, line, column and what is accepted, before anything is trained on them; or,
 * when asked, such rows are dropped and each reason kept for the caller to report.
 */
public final class NumericCsv {
    /** What a cell may hold: a decimal number (Java's parser also takes "1d", "0x1p3", "NaN" and "Infinity"). */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private final Path file;
    private final String[] header;
    private final Map<String, Integer> index;
    private final List<double[]> rows;
    private final int[] lines;
    private final List<String> dropped;

    private NumericCsv(Path file, String[] header, Map<String, Integer> index, List<double[]> rows, int[] lines,
            List<String> dropped) {
        this.file = file;
        this.header = header;
        this.index = index;
        this.rows = rows;
        this.lines = lines;
        this.dropped = dropped;
    }

    /**
     * Reads {@code file}.
     *
     * @param what      what the file is, for messages ("dataset", "--actions")
     * @param dropInvalid drop rows that fail (wrong field count, a cell that is not a finite number) instead of
     *                    failing; the header is never forgiven
     */
    public static NumericCsv read(Path file, String what, boolean dropInvalid) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " file " + file + " does not exist");
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String head = in.readLine();
            if (head == null || head.isBlank()) {
                throw new IllegalArgumentException(file + ": empty file, expected a header line");
            }
            String[] cols = head.trim().split(",", -1);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < cols.length; i++) {
                cols[i] = cols[i].trim();
                if (cols[i].isEmpty() || index.put(cols[i], i) != null) {
                    throw new IllegalArgumentException(file + ":1: header column " + (i + 1) + " is "
                            + (cols[i].isEmpty() ? "empty" : "'" + cols[i] + "' a second time") + "; got " + head);
                }
            }
            List<double[]> rows = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            String l;
            int lineNo = 1;
            while ((l = in.readLine()) != null) {
                lineNo++;
                if (l.isBlank()) {
                    continue;
                }
                double[] row = new double[cols.length];
                String problem = parse(l, cols, row);
                if (problem == null) {
                    rows.add(row);
                    lines.add(lineNo);
                } else if (dropInvalid) {
                    dropped.add(file + ":" + lineNo + ": " + problem);
                } else {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + problem);
                }
            }
            return new NumericCsv(file, cols, index, rows, lines.stream().mapToInt(Integer::intValue).toArray(),
                    List.copyOf(dropped));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text; expected a CSV of numbers under a header line");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses one line into {@code row}; null when every cell is a finite number, else the first problem. */
    private static String parse(String line, String[] cols, double[] row) {
        String[] f = line.split(",", -1);
        if (f.length != cols.length) {
            return f.length + " fields, header has " + cols.length;
        }
        for (int c = 0; c < f.length; c++) {
            String cell = f[c].trim();
            if (!DECIMAL.matcher(cell).matches()) {
                return "column " + cols[c] + " is " + (cell.equalsIgnoreCase("nan") || cell.matches("[+-]?(?i)inf(inity)?")
                        ? cell : "not a number: '" + f[c] + "'") + " (accepted: finite decimal numbers)";
            }
            double v = Double.parseDouble(cell);
            if (!Double.isFinite(v)) {
                return "column " + cols[c] + " is " + cell + ", beyond the range of a double (accepted: finite decimal numbers)";
            }
            row[c] = v;
        }
        return null;
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The header's column names. */
    public String[] header() {
        return header.clone();
    }

    /** The column named {@code name}, or −1. */
    public int column(String name) {
        return index.getOrDefault(name, -1);
    }

    /** The accepted rows in file order (each as many values as the header has columns). */
    public List<double[]> rows() {
        return rows;
    }

    /** The line number (1 is the header) of each accepted row. */
    public int[] lines() {
        return lines.clone();
    }

    /** One line per dropped row: file, line and why (empty unless read with {@code dropInvalid}). */
    public List<String> dropped() {
        return dropped;
    }
}
