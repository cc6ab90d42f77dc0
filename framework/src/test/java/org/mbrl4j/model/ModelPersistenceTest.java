package org.mbrl4j.model;

import org.mbrl4j.objective.GaussianOutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.data.TransitionDataset;
import org.mbrl4j.event.Provenance;
import org.mbrl4j.model.DynamicsModel.Propagation;
import org.mbrl4j.objective.Nll;

class ModelPersistenceTest {
    @TempDir
    Path dir;

    @Test
    void anArchitectureBeyondTheParameterLimitIsRejectedBeforeAllocating() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GaussianMlp.builder().setInputs(23).setOutputs(17)
                .optHidden(200, 200200).setSeed(0).build())
                .hasMessageContaining("GaussianMlp 23 → [200, 200200] → 17 would have 47051834 parameters; at most 16777216");
        GaussianMlp ok = GaussianMlp.builder().setInputs(23).setOutputs(17).optHidden(2000, 2000).setSeed(0).build();
        assertThat(ok.hidden()).containsExactly(2000, 2000);
        ok.close();
    }

    @Test
    void normalizerSurvivesConstantColumns() {
        double[] rows = {1, 5, 2, 5, 3, 5};
        Normalizer n = Normalizer.fit(rows, 3, 2);
        assertThat(n.std()[1]).isEqualTo(1.0);
        assertThat(n.mean()[1]).isEqualTo(5.0);
        double[] x = rows.clone();
        n.apply(x);
        for (double v : x) {
            assertThat(Double.isFinite(v)).isTrue();
        }
        assertThat(x[1]).isZero();
        n.invert(x);
        assertThat(x).containsExactly(rows, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void parametersAndGradientsTravelThroughTheNativeBuffersExactly() {
        for (org.nd4j.linalg.api.buffer.DataType type : new org.nd4j.linalg.api.buffer.DataType[] {
                org.nd4j.linalg.api.buffer.DataType.FLOAT, org.nd4j.linalg.api.buffer.DataType.DOUBLE}) {
            GaussianMlp m = GaussianMlp.builder().setInputs(3).setOutputs(2).optHidden(5).optFixedLogStd(true)
                    .optSoftLogStdBounds(true).optDataType(type).setSeed(4).build();
            double[] p = m.params().toDoubleVector();
            double[] read = new double[p.length];
            m.readParams(read);
            assertThat(read).as("%s", type).containsExactly(p);
            double[] q = new double[p.length];
            for (int i = 0; i < q.length; i++) {
                q[i] = 0.25 * i - 3;   // exact in float32
            }
            m.setParams(q);
            assertThat(m.params().toDoubleVector()).containsExactly(q);
            assertThat(m.getParams()).containsExactly(q);
            assertThatThrownBy(() -> m.setParams(new double[3])).hasMessageContaining("expected " + p.length + " parameters");

            GaussianMlp.Pass pass = m.newPass(4);
            GaussianOutput out = m.forward(m.inputs(new double[] {1, 2, 3, -1, 0, 1, 2, 2, 2, 0.5, -0.5, 0}, 4), pass);
            double[] dm = new double[8];
            double[] dl = new double[8];
            for (int i = 0; i < 8; i++) {
                dm[i] = out.mean()[i] - 0.1 * i;
                dl[i] = 1 - out.logStd()[i];
            }
            m.backward(pass, dm, dl);
            double[] g = pass.gradient().toDoubleVector();
            double[] into = new double[g.length];
            pass.readGradient(into);
            assertThat(into).containsExactly(g);
            double[] acc = new double[g.length];
            java.util.Arrays.fill(acc, 1.0);
            pass.addGradientTo(acc, 0.5);
            for (int i = 0; i < g.length; i++) {
                assertThat(acc[i]).isEqualTo(1.0 + 0.5 * g[i]);
            }
        }
    }

    @Test
    void checkpointRoundTripsWeightsNormalizersAndProvenance() {
        Ensemble e = Ensemble.builder().setObsDim(3).setActDim(1).optSize(2).optHidden(8).optDeltaTargets(true, 0)
                .optNormalizeInputs(true).optNormalizeTargets(true).setRandom(new SplittableRandom(1)).build();
        TransitionDataset d = dataset(300, 2);
        e.train(d, dataset(100, 3), t -> new Nll(),
                ModelTrainer.builder().setSeed(0).optEpochs(3).build(), 9);
        Path f = dir.resolve("sub/model.json");
        e.save(f, Provenance.capture(9, List.of("test"), Map.of("objective", "nll")));
        Ensemble back = Ensemble.load(f);
        double[] obs = d.columns("obs");
        double[] act = d.columns("act");
        var p1 = e.predict(obs, act, d.size(), Propagation.EXPECTATION, null, null);
        var p2 = back.predict(obs, act, d.size(), Propagation.EXPECTATION, null, null);
        assertThat(p2.mean()).isEqualTo(p1.mean());
        assertThat(p2.std()).isEqualTo(p1.std());
        assertThat(back.isDelta(0)).isFalse();
        assertThat(back.isDelta(1)).isTrue();
        assertThat(back.elites()).isEqualTo(e.elites());
        Checkpoint c = Checkpoint.load(f);
        assertThat(c.provenance().values()).containsKeys("mbrl4j_version", "git_commit", "java_version", "seed", "config");
        assertThat(c.provenance().values().get("nd4j_version")).isEqualTo("1.0.0-M2.1");
        assertThat(dir.resolve("sub").toFile().list()).containsExactly("model.json");
    }

    @Test
    void malformedCheckpointsAreRejectedWithTheFileNamed() throws Exception {
        Path f = dir.resolve("bad.json");
        assertThatThrownBy(() -> Checkpoint.load(f)).hasMessageContaining("does not exist");
        Files.writeString(f, "{\"format\": \"something\"}");
        assertThatThrownBy(() -> Checkpoint.load(f)).hasMessageContaining("is not an mbrl4j checkpoint");
        Files.writeString(f, "{not json");
        assertThatThrownBy(() -> Checkpoint.load(f)).hasMessageContaining("not valid JSON");
        String head = "{\"format\": \"mbrl4j-checkpoint\", \"version\": 1, ";
        Files.writeString(f, head + "\"members\": 3}");
        assertThatThrownBy(() -> Checkpoint.load(f)).hasMessageContaining(f + ": field 'members' must be a list, got 3");
        Files.writeString(f, head + "\"members\": [7]}");
        assertThatThrownBy(() -> Checkpoint.load(f)).hasMessageContaining("field 'members[0]' must be an object");
        Files.writeString(f, head + "\"members\": [{}]}");
        assertThatThrownBy(() -> Checkpoint.load(f)).hasMessageContaining("field 'members[0].architecture' is missing");
        // a real checkpoint with one damaged field
        Path good = dir.resolve("good.json");
        Ensemble.builder().setObsDim(3).setActDim(1).optSize(1).optHidden(4).setRandom(new SplittableRandom(1)).build()
                .save(good, Provenance.capture(1, List.of(), Map.of()));
        Files.writeString(f, Files.readString(good).replaceFirst("\"params\"\\s*:\\s*\"", "\"params\":\"@@@"));
        assertThatThrownBy(() -> Checkpoint.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field 'members[0].params' is not base64");
    }

    /** Transitions of a linear system s' = 0.9 s + 0.1 a with noise. */
    static TransitionDataset dataset(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Path p;
        try {
            p = Files.createTempFile("lin", ".csv");
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        try (TransitionDataset.Writer w = TransitionDataset.writer(p, 3, 1)) {
            for (int i = 0; i < n; i++) {
                double[] s = {r.nextDouble(), r.nextDouble() * 2, 5 + r.nextDouble()};
                double[] a = {r.nextDouble() * 2 - 1};
                double[] s2 = {0.9 * s[0] + 0.1 * a[0], 0.9 * s[1] - 0.2 * a[0] + 0.01 * r.nextGaussian(), s[2] + 0.05 * a[0]};
                w.add(s, a, s2, 0, false, false, 0);
            }
            w.commit();
        }
        return TransitionDataset.read(p);
    }
}
