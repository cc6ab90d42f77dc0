package org.mbrl4j.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.mbrl4j.data.TransitionDataset;

/**
 * The HalfCheetah-v5 random-transitions fixture with the reference implementation's results (copied, gzipped, from
 * {@code shared/fixtures/halfcheetah-random}): X = obs ⊕ act (23), y = next_obs (17), split by the permutation file
 * into 10000 train, 4000 validation, 6000 test rows.
 */
public final class HalfCheetahFixture {
    private static HalfCheetahFixture instance;

    public final TransitionDataset all;
    public final TransitionDataset train;
    public final TransitionDataset val;
    public final TransitionDataset test;
    public final Path csv;
    public final Path permutation;

    private HalfCheetahFixture() throws IOException {
        Path dir = Files.createTempDirectory("halfcheetah-fixture");
        csv = unzip("transitions.csv.gz", dir.resolve("transitions.csv"));
        permutation = unzip("split-permutation.txt.gz", dir.resolve("split-permutation.txt"));
        all = TransitionDataset.read(csv);
        int[] perm = Files.readAllLines(permutation).stream().filter(s -> !s.isBlank()).mapToInt(Integer::parseInt).toArray();
        train = all.select(java.util.Arrays.copyOfRange(perm, 0, 10000));
        val = all.select(java.util.Arrays.copyOfRange(perm, 10000, 14000));
        test = all.select(java.util.Arrays.copyOfRange(perm, 14000, 20000));
    }

    /** The fixture, loaded once per JVM. */
    public static synchronized HalfCheetahFixture get() {
        if (instance == null) {
            try {
                instance = new HalfCheetahFixture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private static Path unzip(String name, Path out) throws IOException {
        try (InputStream in = new GZIPInputStream(resource(name))) {
            Files.copy(in, out);
        }
        return out;
    }

    static InputStream resource(String name) {
        InputStream in = HalfCheetahFixture.class.getResourceAsStream("/fixtures/halfcheetah-random/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource fixtures/halfcheetah-random/" + name);
        }
        return in;
    }

    /** A gzipped JSON resource of the fixture. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> json(String name) {
        try (InputStream in = new GZIPInputStream(resource(name))) {
            return new ObjectMapper().readValue(new String(in.readAllBytes(), StandardCharsets.UTF_8), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Model-space data of a split: raw inputs obs ⊕ act, raw absolute next-observation targets. */
    public static ModelTrainer.Data data(GaussianMlp model, TransitionDataset d) {
        return new ModelTrainer.Data(model.inputs(d.columns("obs", "act"), d.size()), d.columns("next_obs"));
    }

    /** The reference model (23→64→64→17+17, ReLU) with the reference initial weights, float32. */
    public static GaussianMlp referenceModel() {
        GaussianMlp m = GaussianMlp.builder().setInputs(23).setOutputs(17).setSeed(0).build();
        m.loadTorchState(json("reference-init-seed0.json.gz"));
        return m;
    }
}
