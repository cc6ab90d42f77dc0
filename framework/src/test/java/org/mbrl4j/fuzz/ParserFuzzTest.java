package org.mbrl4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.bilevel.RewardFlags;
import org.mbrl4j.data.NumericCsv;
import org.mbrl4j.data.TransitionDataset;

/**
 * The framework's parsers of user files and flags under seeded mutations of valid inputs: each gives a parsed value or
 * an error with a message, never another exception or a hang.
 */
class ParserFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    /** A dataset in the interchange format as the writer writes it. */
    private String dataset(long seed, int rows) throws Exception {
        Path p = dir.resolve("valid-" + seed + ".csv");
        SplittableRandom rng = new SplittableRandom(seed);
        try (TransitionDataset.Writer w = TransitionDataset.writer(p, 2, 1)) {
            for (int i = 0; i < rows; i++) {
                w.add(new double[] {rng.nextDouble(-3, 3), rng.nextGaussian()}, new double[] {rng.nextInt(3)},
                        new double[] {rng.nextDouble(), -rng.nextDouble() * 1e-7}, -rng.nextDouble(16), i == rows - 1,
                        false, i / 4);
            }
            w.commit();
        }
        return Files.readString(p);
    }

    /** Writes the input as UTF-8, or (one case in four) as Latin-1 so that junk characters are invalid UTF-8. */
    private Path file(String input) throws Exception {
        Path p = dir.resolve("case.csv");
        Files.write(p, input.hashCode() % 4 == 0 ? input.getBytes(StandardCharsets.ISO_8859_1) : Fuzz.utf8(input));
        return p;
    }

    @Test
    void datasetCsv() throws Exception {
        List<String> valid = List.of(dataset(1, 6), dataset(2, 1));
        int[] r = Fuzz.check("dataset CSV", 1000, 1500, LIMIT, valid, in -> {
            Path p = file(in);
            try {
                TransitionDataset d = TransitionDataset.read(p);
                for (int i = 0; i < d.size(); i++) {
                    assertThat(java.util.Arrays.stream(d.obs(i)).allMatch(Double::isFinite)).isTrue();
                    assertThat(java.util.Arrays.stream(d.nextObs(i)).allMatch(Double::isFinite)).isTrue();
                    assertThat(Double.isFinite(d.reward(i))).isTrue();
                }
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).contains(p.toString());
                throw e;
            }
            TransitionDataset.Loaded l;
            try {
                l = TransitionDataset.read(p, true);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).contains(p.toString());
                return;
            }
            assertThat(l.dropped()).allMatch(s -> s.startsWith(p + ":"));
        }, IllegalArgumentException.class);
        assertThat(r[1]).as("most mutations are rejected").isGreaterThan(r[0]);
    }

    @Test
    void actionCsv() throws Exception {
        List<String> valid = List.of("act_0,act_1\n0.5,-1\n1,2\n", "act_0\n0\n1\n1\n");
        Fuzz.check("action CSV", 5000, 1500, LIMIT, valid, in -> {
            for (double[] row : NumericCsv.read(file(in), "--actions", false).rows()) {
                assertThat(java.util.Arrays.stream(row).allMatch(Double::isFinite)).isTrue();
            }
        }, IllegalArgumentException.class);
    }

    @Test
    void ensembleCheckpoint() throws Exception {
        Path saved = dir.resolve("model.json");
        try (org.mbrl4j.model.Ensemble e = org.mbrl4j.model.Ensemble.builder().setObsDim(2).setActDim(1).optSize(2)
                .optHidden(3).optNormalizeInputs(true).optOneHotActions(3, 0).setRandom(new SplittableRandom(1)).build()) {
            e.save(saved, null);
        }
        String valid = Files.readString(saved);
        Path p = dir.resolve("case.json");
        Fuzz.check("ensemble model.json", 12_000, 600, LIMIT, List.of(valid), in -> {
            Files.writeString(p, in);
            try (org.mbrl4j.model.Ensemble e = org.mbrl4j.model.Ensemble.load(p)) {
                assertThat(e.obsDim()).isPositive();
            }
        }, IllegalArgumentException.class);
    }

    @Test
    void pgRewardFlag() {
        List<String> valid = List.of("identity", "scaled", "full", "conditional", "learned", "u=0.5", "u=1e-3");
        Fuzz.check("--reward", 9000, 1500, LIMIT, valid, RewardFlags::check, IllegalArgumentException.class);
    }
}
