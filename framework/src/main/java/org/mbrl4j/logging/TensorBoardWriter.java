package org.mbrl4j.logging;

import com.google.protobuf.ByteString;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.mbrl4j.logging.proto.DataClass;
import org.mbrl4j.logging.proto.Event;
import org.mbrl4j.logging.proto.HistogramProto;
import org.mbrl4j.logging.proto.Summary;
import org.mbrl4j.logging.proto.SummaryMetadata;
import org.mbrl4j.logging.proto.TensorProto;
import org.mbrl4j.logging.proto.TensorShapeProto;
import org.mbrl4j.logging.proto.TfDataType;
import org.mbrl4j.logging.proto.hparams.Experiment;
import org.mbrl4j.logging.proto.hparams.HParamInfo;
import org.mbrl4j.logging.proto.hparams.HParamsPluginData;
import org.mbrl4j.logging.proto.hparams.MetricInfo;
import org.mbrl4j.logging.proto.hparams.MetricName;
import org.mbrl4j.logging.proto.hparams.SessionEndInfo;
import org.mbrl4j.logging.proto.hparams.SessionStartInfo;
import org.mbrl4j.logging.proto.hparams.Status;

/**
 * Writes a TensorBoard event file {@code events.out.tfevents.<time>.<host>.<pid>.<n>}: TFRecord framing (length,
 * masked CRC32C of the length, data, masked CRC32C of the data), a first {@code file_version "brain.Event:2"} record,
 * then scalars, histograms, text, PNG images and the hparams plugin's experiment and session records. Records are
 * flushed every {@code flushMillis} and on {@link #flush}/{@link #close}; a crash leaves at worst a torn last record,
 * which TensorBoard skips. Thread-safe.
 */
public final class TensorBoardWriter implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final OutputStream out;
    private final long flushMillis;
    private long lastFlush = System.currentTimeMillis();
    private boolean closed;

    /** A writer of a new event file in {@code dir} (created when missing), flushing at least every 2 s. */
    public TensorBoardWriter(Path dir) {
        this(dir, 2000);
    }

    /** A writer of a new event file in {@code dir}, flushing at least every {@code flushMillis}. */
    public TensorBoardWriter(Path dir, long flushMillis) {
        this.flushMillis = flushMillis;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        long now = System.currentTimeMillis() / 1000;
        this.file = dir.resolve("events.out.tfevents." + now + "." + host + "." + ProcessHandle.current().pid() + "."
                + COUNTER.getAndIncrement());
        try {
            Files.createDirectories(dir);
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create TensorBoard event file in " + dir + ": " + e.getMessage(), e);
        }
        write(Event.newBuilder().setWallTime(wallTime()).setFileVersion("brain.Event:2").build());
        flush();
    }

    /** The event file. */
    public Path file() {
        return file;
    }

    private static double wallTime() {
        return System.currentTimeMillis() / 1000.0;
    }

    /** A scalar (TensorBoard's Scalars dashboard). */
    public void scalar(String tag, long step, double value) {
        summary(step, Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value).build());
    }

    /** A histogram of {@code values} with {@code buckets} equal-width buckets (Histograms and Distributions). */
    public void histogram(String tag, long step, double[] values, int buckets) {
        if (values.length == 0) {
            return;
        }
        double min = Arrays.stream(values).min().orElseThrow();
        double max = Arrays.stream(values).max().orElseThrow();
        double sum = 0;
        double sq = 0;
        for (double v : values) {
            sum += v;
            sq += v * v;
        }
        int k = Math.max(1, buckets);
        double width = max > min ? (max - min) / k : 1;
        double[] counts = new double[k];
        for (double v : values) {
            int i = max > min ? (int) Math.min(k - 1, Math.floor((v - min) / width)) : 0;
            counts[i]++;
        }
        HistogramProto.Builder h = HistogramProto.newBuilder().setMin(min).setMax(max).setNum(values.length).setSum(sum)
                .setSumSquares(sq);
        for (int i = 0; i < k; i++) {
            h.addBucketLimit(i == k - 1 ? max : min + (i + 1) * width);
            h.addBucket(counts[i]);
        }
        summary(step, Summary.Value.newBuilder().setTag(tag).setHisto(h).build());
    }

    /** Markdown text (TensorBoard's Text dashboard). */
    public void text(String tag, long step, String markdown) {
        TensorProto t = TensorProto.newBuilder().setDtype(TfDataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .addStringVal(ByteString.copyFromUtf8(markdown)).build();
        summary(step, Summary.Value.newBuilder().setTag(tag).setMetadata(plugin("text", ByteString.EMPTY)
                .setDataClass(DataClass.DATA_CLASS_TENSOR)).setTensor(t).build());
    }

    /** A PNG image of the given size (Images dashboard). */
    public void image(String tag, long step, byte[] png, int width, int height) {
        summary(step, Summary.Value.newBuilder().setTag(tag).setImage(Summary.Image.newBuilder().setHeight(height)
                .setWidth(width).setColorspace(4).setEncodedImageString(ByteString.copyFrom(png))).build());
    }

    /**
     * The hparams experiment: the hyperparameters and the metrics (scalar tags) the HParams dashboard compares.
     *
     * @param hparams hyperparameter names with example values (their types set the columns' types)
     * @param metrics scalar tags of the metrics
     */
    public void hparamsExperiment(Map<String, Object> hparams, List<String> metrics) {
        Experiment.Builder e = Experiment.newBuilder().setTimeCreatedSecs(wallTime());
        for (Map.Entry<String, Object> h : hparams.entrySet()) {
            Object v = h.getValue();
            org.mbrl4j.logging.proto.hparams.DataType type = v instanceof Number
                    ? org.mbrl4j.logging.proto.hparams.DataType.DATA_TYPE_FLOAT64
                    : v instanceof Boolean ? org.mbrl4j.logging.proto.hparams.DataType.DATA_TYPE_BOOL
                    : org.mbrl4j.logging.proto.hparams.DataType.DATA_TYPE_STRING;
            e.addHparamInfos(HParamInfo.newBuilder().setName(h.getKey()).setType(type));
        }
        for (String m : metrics) {
            e.addMetricInfos(MetricInfo.newBuilder().setName(MetricName.newBuilder().setTag(m)));
        }
        hparams("_hparams_/experiment", HParamsPluginData.newBuilder().setVersion(0).setExperiment(e).build());
    }

    /** The start of this run's hparams session with its hyperparameter values (numbers, booleans, strings). */
    public void hparamsSessionStart(Map<String, Object> hparams) {
        SessionStartInfo.Builder s = SessionStartInfo.newBuilder().setStartTimeSecs(wallTime());
        for (Map.Entry<String, Object> h : hparams.entrySet()) {
            s.putHparams(h.getKey(), value(h.getValue()));
        }
        hparams("_hparams_/session_start_info", HParamsPluginData.newBuilder().setVersion(0).setSessionStartInfo(s).build());
    }

    /** The end of this run's hparams session. */
    public void hparamsSessionEnd(boolean success) {
        hparams("_hparams_/session_end_info", HParamsPluginData.newBuilder().setVersion(0).setSessionEndInfo(
                SessionEndInfo.newBuilder().setStatus(success ? Status.STATUS_SUCCESS : Status.STATUS_FAILURE)
                        .setEndTimeSecs(wallTime())).build());
    }

    /** Converts a hyperparameter value to what the hparams plugin stores. */
    static com.google.protobuf.Value value(Object v) {
        com.google.protobuf.Value.Builder b = com.google.protobuf.Value.newBuilder();
        if (v instanceof Number n) {
            return b.setNumberValue(n.doubleValue()).build();
        }
        if (v instanceof Boolean bool) {
            return b.setBoolValue(bool).build();
        }
        return b.setStringValue(String.valueOf(v)).build();
    }

    private void hparams(String tag, HParamsPluginData data) {
        summary(0, Summary.Value.newBuilder().setTag(tag).setMetadata(plugin("hparams", data.toByteString())).build());
    }

    private static SummaryMetadata.Builder plugin(String name, ByteString content) {
        return SummaryMetadata.newBuilder().setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName(name)
                .setContent(content));
    }

    private void summary(long step, Summary.Value value) {
        write(Event.newBuilder().setWallTime(wallTime()).setStep(step).setSummary(Summary.newBuilder().addValue(value))
                .build());
    }

    private synchronized void write(Event event) {
        if (closed) {
            throw new IllegalStateException("TensorBoard writer of " + file + " is closed");
        }
        byte[] data = event.toByteArray();
        ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(data.length);
        header.putInt(maskedCrc(header.array(), 0, 8));
        ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        footer.putInt(maskedCrc(data, 0, data.length));
        try {
            out.write(header.array());
            out.write(data);
            out.write(footer.array());
            long now = System.currentTimeMillis();
            if (now - lastFlush >= flushMillis) {
                out.flush();
                lastFlush = now;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** TFRecord's masked CRC32C: ((c >>> 15) | (c << 17)) + 0xa282ead8. */
    static int maskedCrc(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** Pushes buffered records to the file. */
    public synchronized void flush() {
        if (closed) {
            return;
        }
        try {
            out.flush();
            lastFlush = System.currentTimeMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush " + file + ": " + e.getMessage(), e);
        }
    }

    /** Flushes and closes the file; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TensorBoardWriter[" + file + "]";
    }

}
