package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.logging.TensorBoardReadBack;
import org.mbrl4j.model.HalfCheetahFixture;

/**
 * Every experiment runs end to end in {@code --quick} mode and writes results.csv, results.md, plot.png and a
 * TensorBoard event file, with results that carry the experiment's finding; bad options exit with 2 naming them.
 */
class ExperimentsTest {
    @TempDir
    Path dir;

    private Path run(String... args) {
        Path out = dir.resolve(args[1]);
        String[] all = Stream.concat(Stream.of(args), Stream.of("--quick", "--out", out.toString())).toArray(String[]::new);
        StringBuilder err = new StringBuilder();
        int code = RolloutCommandTest.run(err, all);
        assertThat(code).as(err.toString()).isZero();
        for (String f : List.of("results.csv", "results.md", "plot.png", "config.yaml", "provenance.json")) {
            assertThat(out.resolve(f)).as(f).isRegularFile();
        }
        try {
            byte[] png = Files.readAllBytes(out.resolve("plot.png"));
            assertThat(Arrays.copyOf(png, 4)).as("PNG signature").containsExactly(0x89, 'P', 'N', 'G');
            assertThat(png.length).isGreaterThan(10_000);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static List<String[]> csv(Path file) throws Exception {
        // commas inside double quotes belong to the cell
        return Files.readAllLines(file).stream().map(l -> Arrays.stream(l.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                .map(c -> c.replace("\"", "")).toArray(String[]::new)).toList();
    }

    private static int col(List<String[]> rows, String name) {
        return Arrays.asList(rows.get(0)).indexOf(name);
    }

    @Test
    void gaussianTheoryFindsTheClosedForms() throws Exception {
        Path out = run("experiment", "gaussian-theory");
        List<String[]> grid = csv(out.resolve("results.csv"));
        int rel = col(grid, "rel_error");
        for (String[] r : grid.subList(1, grid.size())) {
            assertThat(Math.abs(Double.parseDouble(r[rel]))).as("σ relative error %s", String.join(",", r)).isLessThan(0.25);
        }
        List<String[]> land = csv(out.resolve("landscape.csv"));
        int u = col(land, "u");
        int v = col(land, "val_nll");
        String[] best = land.subList(1, land.size()).stream()
                .min((a, b) -> Double.compare(Double.parseDouble(a[v]), Double.parseDouble(b[v]))).orElseThrow();
        double spacing = Double.parseDouble(land.get(2)[u]) - Double.parseDouble(land.get(1)[u]);
        assertThat(Double.parseDouble(best[u])).as("landscape minimum").isCloseTo(0.32,
                org.assertj.core.api.Assertions.within(spacing));
    }

    @Test
    void syntheticShowsPgWithTheOptimalRewardBeatingTheIdentity() throws Exception {
        Path out = run("experiment", "synthetic");
        List<String[]> rows = csv(out.resolve("results.csv"));
        int m = col(rows, "method");
        int nll = col(rows, "val_nll");
        double star = rows.stream().filter(r -> r[m].equals("PG(U*)")).mapToDouble(r -> Double.parseDouble(r[nll]))
                .average().orElseThrow();
        double identity = rows.stream().filter(r -> r[m].equals("PG(U=I)")).mapToDouble(r -> Double.parseDouble(r[nll]))
                .average().orElseThrow();
        assertThat(star).isLessThan(identity);
        assertThat(csv(out.resolve("curves.csv"))).hasSize(1 + 2 * 4 * 40);
        Path events;
        try (Stream<Path> s = Files.list(out)) {
            events = s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents")).findFirst().orElseThrow();
        }
        JsonNode tb = TensorBoardReadBack.read(events);
        assertThat(tb.at("/scalars/PG(U*) λ=0.95~1val_nll")).as(tb.at("/scalars").toString()).hasSize(40);
    }

    @Test
    void implicitDiffMovesUTowardTheOptimum() throws Exception {
        Path out = run("experiment", "implicit-diff");
        List<String[]> rows = csv(out.resolve("results.csv"));
        int f = col(rows, "final_u");
        assertThat(rows).hasSize(3);
        for (String[] r : rows.subList(1, 3)) {
            assertThat(Math.abs(Double.parseDouble(r[f]) - 0.32)).as("|final u − u*| from u0 = 1").isLessThan(0.15);
        }
        assertThat(csv(out.resolve("trajectory.csv"))).hasSize(1 + 2 * 40);
        assertThat(Files.readString(out.resolve("results.md"))).contains("Median final u from u0 = 1.0");
    }

    @Test
    void classificationReportsAccuracyPerDatasetMethodAndSeed() throws Exception {
        Path out = run("experiment", "classification");
        List<String[]> rows = csv(out.resolve("results.csv"));
        assertThat(rows).hasSize(1 + 4 * 3 * 3);
        int acc = col(rows, "test_accuracy");
        for (String[] r : rows.subList(1, rows.size())) {
            assertThat(Double.parseDouble(r[acc])).as(String.join(",", r)).isGreaterThan(0.5);
        }
        assertThat(Files.readString(out.resolve("results.md"))).contains("| iris |", "| digits |", "0.793");
    }

    @Test
    void dynamicsTrainsEveryMethodAndReportsKStepErrorsAndCalibration() throws Exception {
        HalfCheetahFixture fx = HalfCheetahFixture.get();
        Path out = run("experiment", "dynamics", "--data", fx.csv.toString());
        List<String[]> rows = csv(out.resolve("results.csv"));
        assertThat(rows).hasSize(1 + 7);
        int m = col(rows, "method");
        assertThat(rows.subList(1, 8).stream().map(r -> r[m])).containsExactlyInAnyOrderElementsOf(DynamicsExperiment.METHODS);
        for (String c : List.of("test_rmse", "test_nll", "rmse_k1", "rmse_k25", "cover_1sigma", "cover_2sigma")) {
            int i = col(rows, c);
            assertThat(i).as(c).isNotNegative();
            for (String[] r : rows.subList(1, 8)) {
                assertThat(Double.parseDouble(r[i])).as(c + " of " + r[m]).isFinite();
            }
        }
        int c1 = col(rows, "cover_1sigma");
        int c2 = col(rows, "cover_2sigma");
        for (String[] r : rows.subList(1, 8)) {
            assertThat(Double.parseDouble(r[c2])).isGreaterThanOrEqualTo(Double.parseDouble(r[c1]));
        }
        // the model's k = 1 open-loop error is its one-step error on the same kind of rows
        int k1 = col(rows, "rmse_k1");
        int t = col(rows, "test_rmse");
        for (String[] r : rows.subList(1, 8)) {
            assertThat(Double.parseDouble(r[k1])).isCloseTo(Double.parseDouble(r[t]),
                    org.assertj.core.api.Assertions.within(0.1 * Double.parseDouble(r[t])));
        }
    }

    @Test
    void badOptionsExitWithTwoNamingThem() {
        String[][] cases = {
            {"experiment", "dynamics", "--quick"},
            {"experiment", "dynamics", "--data", "/nonexistent.csv", "--quick"},
            {"experiment", "dynamics", "--data", "x", "--methods", "pg:fancy"},
            {"experiment", "classification", "--datasets", "mnist"},
            {"experiment", "implicit-diff", "--method", "newton"},
            {"experiment", "synthetic", "--lambdas", "-1"},
            {"experiment", "nonsense"},
        };
        String[] expect = {"--data", "--data: file /nonexistent.csv does not exist", "--data", "unknown dataset 'mnist'",
            "--method must be implicit or unrolled", "--lambdas must be > 0", "nonsense"};
        for (int i = 0; i < cases.length; i++) {
            StringBuilder err = new StringBuilder();
            String[] args = Stream.concat(Stream.of(cases[i]), Stream.of("--out", dir.resolve("bad" + i).toString()))
                    .toArray(String[]::new);
            assertThat(RolloutCommandTest.run(err, args)).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(err.toString()).as(String.join(" ", cases[i])).contains(expect[i]);
        }
    }
}
