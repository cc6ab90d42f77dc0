package org.mbrl4j.cli;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.mbrl4j.data.AtomicFile;

/** PNG figures of experiments (XChart, headless): line panels with optional error bands, and grouped bar charts. */
final class Plots {
    private static final int W = 640;
    private static final int H = 420;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final Map<String, Color> COLORS = new java.util.concurrent.ConcurrentHashMap<>();

    private Plots() {
    }

    /** The same colour for the same series name in every panel. */
    private static Color color(String name) {
        return COLORS.computeIfAbsent(name, n -> PALETTE[COLORS.size() % PALETTE.length]);
    }

    /**
     * A curve.
     *
     * @param name legend entry
     * @param x    abscissae
     * @param y    ordinates
     * @param err    half-widths of error bars (null: none)
     * @param points markers only, no line
     */
    record Series(String name, double[] x, double[] y, double[] err, boolean points) {
        /** A line, with error bars when {@code err} is not null. */
        Series(String name, double[] x, double[] y, double[] err) {
            this(name, x, y, err, false);
        }
    }

    /** A line chart of several series; {@code logY} for a logarithmic y axis (non-positive values are dropped). */
    static Chart<?, ?> lines(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setMarkerSize(4);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        for (Series s : series) {
            double[] x = s.x();
            double[] y = s.y();
            if (logY) {
                int n = 0;
                for (double v : y) {
                    n += v > 0 && Double.isFinite(v) ? 1 : 0;
                }
                double[] fx = new double[n];
                double[] fy = new double[n];
                for (int i = 0, j = 0; i < y.length; i++) {
                    if (y[i] > 0 && Double.isFinite(y[i])) {
                        fx[j] = x[i];
                        fy[j++] = y[i];
                    }
                }
                x = fx;
                y = fy;
            }
            if (x.length == 0) {
                continue;
            }
            XYSeries xs = s.err() != null && !logY ? c.addSeries(s.name(), x, y, s.err()) : c.addSeries(s.name(), x, y);
            xs.setMarker(x.length > 30 && !s.points() ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
            xs.setLineColor(color(s.name()));
            xs.setMarkerColor(color(s.name()));
            if (s.points()) {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
            if (s.err() != null && !logY) {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            }
        }
        if (series.stream().anyMatch(s -> s.err() != null)) {
            c.getStyler().setErrorBarsColorSeriesColor(true);
        }
        return c;
    }

    /** A grouped bar chart: one group per category, one bar per series, with error bars when {@code errs} has them. */
    static Chart<?, ?> bars(String title, String yLabel, List<String> categories, Map<String, double[]> means,
            Map<String, double[]> errs, double yMin) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).yAxisTitle(yLabel).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setYAxisMin(yMin);
        for (Map.Entry<String, double[]> e : means.entrySet()) {
            double[] err = errs.get(e.getKey());
            if (err != null) {
                c.addSeries(e.getKey(), categories, box(e.getValue()), box(err)).setFillColor(color(e.getKey()));
            } else {
                c.addSeries(e.getKey(), categories, box(e.getValue())).setFillColor(color(e.getKey()));
            }
        }
        return c;
    }

    private static List<Number> box(double[] v) {
        return java.util.Arrays.stream(v).boxed().map(d -> (Number) d).toList();
    }

    /** Writes the charts as one PNG, two per row. */
    static void write(Path file, List<Chart<?, ?>> charts) {
        int cols = Math.min(2, charts.size());
        int rows = (charts.size() + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * W, rows * H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        for (int i = 0; i < charts.size(); i++) {
            g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * W, (i / cols) * H, null);
        }
        g.dispose();
        AtomicFile.write(file, o -> {
            if (!ImageIO.write(img, "png", o)) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** 95 % half-width of the mean of {@code v} (normal approximation, 1.96·s/√n; 0 for one value). */
    static double ci95(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = 0;
        for (double x : v) {
            m += x / v.length;
        }
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return 1.96 * Math.sqrt(s / (v.length - 1)) / Math.sqrt(v.length);
    }
}
