package org.mbrl4j.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes event files and reads them back with the real TensorBoard's event reader. */
class TensorBoardWriterTest {
    @TempDir
    Path dir;

    @Test
    void tensorBoardReadsScalarsHistogramsTextImagesAndHparams() throws Exception {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(dir)) {
            file = w.file();
            Map<String, Object> hp = new LinkedHashMap<>();
            hp.put("objective", "pg");
            hp.put("lambda", 0.5);
            hp.put("rsample", false);
            w.hparamsExperiment(hp, List.of("model/val_nll"));
            w.hparamsSessionStart(hp);
            for (int s = 0; s < 5; s++) {
                w.scalar("model/train_loss", s, 10 - s);
                w.scalar("model/val_nll", s, 2.5 - 0.1 * s);
            }
            w.histogram("model/weights", 3, new double[] {-1, 0, 0.5, 2, 2, 3}, 4);
            w.text("config", 0, "objective: **pg**");
            BufferedImage img = new BufferedImage(8, 5, BufferedImage.TYPE_INT_ARGB);
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            w.image("plots/returns", 1, png.toByteArray(), 8, 5);
            w.hparamsSessionEnd(true);
        }
        assertThat(file.getFileName().toString()).matches("events\\.out\\.tfevents\\.\\d+\\..+\\.\\d+\\.\\d+");
        JsonNode r = TensorBoardReadBack.read(file);
        assertThat(r.get("file_version").asText()).isEqualTo("brain.Event:2");
        JsonNode loss = r.at("/scalars/model~1train_loss");
        assertThat(loss).hasSize(5);
        assertThat(loss.get(3).get(0).asLong()).isEqualTo(3);
        assertThat(loss.get(3).get(1).asDouble()).isEqualTo(7.0);
        assertThat(r.at("/scalars/model~1val_nll").get(4).get(1).asDouble()).isCloseTo(2.1, within(1e-6));
        JsonNode h = r.at("/histograms/model~1weights").get(0);
        assertThat(h.get(0).asLong()).isEqualTo(3);
        assertThat(h.get(1).asDouble()).isEqualTo(6);
        assertThat(h.get(2).asDouble()).isEqualTo(-1);
        assertThat(h.get(3).asDouble()).isEqualTo(3);
        assertThat(h.get(4).asInt()).isEqualTo(4);
        assertThat(r.at("/text/config").get(0).get(1).asText()).isEqualTo("objective: **pg**");
        assertThat(r.at("/images/plots~1returns").get(0).get(1).asInt()).isEqualTo(8);
        assertThat(r.at("/hparams/experiment/hparams").toString()).contains("objective", "lambda", "rsample");
        assertThat(r.at("/hparams/experiment/metrics").get(0).asText()).isEqualTo("model/val_nll");
        assertThat(r.at("/hparams/session_start/lambda").asDouble()).isEqualTo(0.5);
        assertThat(r.at("/hparams/session_start/objective").asText()).isEqualTo("pg");
        assertThat(r.at("/hparams/session_end").asInt()).isEqualTo(1);
    }

    @Test
    void everyCheckpointPushesTheRecordsToTheFile() throws Exception {
        TensorBoardWriter w = new TensorBoardWriter(dir, Long.MAX_VALUE);
        try (TensorBoardLogger logger = new TensorBoardLogger(w)) {
            long header = Files.size(w.file());
            logger.accept(new org.mbrl4j.event.Event.EpisodeEnd("train", 0, 200, -100, 200, 0.1));
            assertThat(Files.size(w.file())).as("buffered until a checkpoint").isEqualTo(header);
            logger.accept(new org.mbrl4j.event.Event.CheckpointWritten(dir, 200));
            assertThat(Files.size(w.file())).isGreaterThan(header);
            assertThat(TensorBoardReadBack.read(w.file()).at("/scalars/env~1episode_return").get(0).get(1).asDouble())
                    .isEqualTo(-100);
        }
    }

    @Test
    void aTornLastRecordLosesOnlyThatRecord() throws Exception {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(dir)) {
            file = w.file();
            for (int s = 0; s < 100; s++) {
                w.scalar("x", s, s * 0.5);
            }
        }
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 7);
        }
        JsonNode r = TensorBoardReadBack.read(file);
        JsonNode x = r.at("/scalars/x");
        assertThat(x).hasSize(99);
        for (int s = 0; s < 99; s++) {
            assertThat(x.get(s).get(1).asDouble()).isEqualTo(s * 0.5);
        }
    }

    @Test
    void maskedCrcMatchesTheTfRecordDefinition() {
        // CRC32C("123456789") = 0xE3069283 (the standard check value), masked as TFRecord does
        int c = 0xE3069283;
        int expected = ((c >>> 15) | (c << 17)) + 0xa282ead8;
        assertThat(TensorBoardWriter.maskedCrc("123456789".getBytes(), 0, 9)).isEqualTo(expected);
    }
}
