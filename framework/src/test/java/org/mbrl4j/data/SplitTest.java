package org.mbrl4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Splits partition the rows; permutation files are checked index by index and may order a longer dataset. */
class SplitTest {
    @TempDir
    Path dir;

    /** Row i has observation i, so a part's rows can be read back from its observations. */
    private static TransitionDataset rows(int n) {
        double[] obs = IntStream.range(0, n).asDoubleStream().toArray();
        return TransitionDataset.of(1, 1, obs, new double[n], obs.clone(), new double[n], new boolean[n], new boolean[n],
                new int[n]);
    }

    private static int[] sourceRows(TransitionDataset d) {
        return IntStream.range(0, d.size()).map(i -> (int) d.obs(i)[0]).toArray();
    }

    private Path file(int... order) throws Exception {
        Path f = dir.resolve("perm" + Arrays.hashCode(order) + ".txt");
        Files.writeString(f, Arrays.stream(order).mapToObj(Integer::toString).collect(Collectors.joining("\n")) + "\n");
        return f;
    }

    @Test
    void fractionsPartitionEveryRowOnceAndRecordTheOrder() {
        Split s = Split.byFractions(rows(10), new double[] {0.5, 0.2, 0.3}, 3);
        assertThat(s.train().size()).isEqualTo(5);
        assertThat(s.validation().size()).isEqualTo(2);
        assertThat(s.test().size()).isEqualTo(3);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(sourceRows(s.train())),
                Arrays.stream(sourceRows(s.validation()))), Arrays.stream(sourceRows(s.test()))).toArray();
        assertThat(all).isEqualTo(s.order());
        assertThat(all.clone()).isNotEqualTo(IntStream.range(0, 10).toArray());
        assertThat(Arrays.stream(all).sorted().toArray()).isEqualTo(IntStream.range(0, 10).toArray());
        assertThat(s.testRows()).isEqualTo(sourceRows(s.test()));
        assertThat(Split.byFractions(rows(10), new double[] {0.5, 0.2, 0.3}, 3).order()).isEqualTo(s.order());
    }

    @Test
    void aPermutationOfALongerDatasetOrdersItsFirstRowsInTheFilesOrder() throws Exception {
        Path f = file(7, 2, 9, 0, 5, 1, 8, 3, 6, 4);
        Split whole = Split.byPermutation(rows(10), f, new double[] {0.6, 0.2, 0.2});
        assertThat(whole.order()).containsExactly(7, 2, 9, 0, 5, 1, 8, 3, 6, 4);
        Split cut = Split.byPermutation(rows(5), f, 10, new double[] {0.6, 0.2, 0.2});
        assertThat(cut.order()).containsExactly(2, 0, 1, 3, 4);
        assertThat(sourceRows(cut.train())).containsExactly(2, 0, 1);
        assertThat(cut.testRows()).containsExactly(4);
    }

    @Test
    void badPermutationsNameTheLineAndWhatIsAccepted() throws Exception {
        double[] f = {0.6, 0.2, 0.2};
        assertThatThrownBy(() -> Split.byPermutation(rows(4), file(0, 1, 2), f))
                .hasMessageEndingWith("has 3 indices but the data has 4 rows");
        assertThatThrownBy(() -> Split.byPermutation(rows(4), file(0, 1, 1, 3), f))
                .hasMessageEndingWith(":3 holds 1, not a new row index in 0..3");
        assertThatThrownBy(() -> Split.byPermutation(rows(4), file(0, 1, 2, 4), f))
                .hasMessageEndingWith(":4 holds 4, not a new row index in 0..3");
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "0\n1\nx\n3\n");
        assertThatThrownBy(() -> Split.byPermutation(rows(4), text, f)).hasMessageEndingWith(":3 is not a row index: 'x'");
        assertThatThrownBy(() -> Split.byPermutation(rows(5), file(0, 1, 2, 3), 4, f))
                .hasMessage("a permutation of 4 rows cannot order 5 rows");
        assertThatThrownBy(() -> Split.byFractions(rows(4), new double[] {0.5, 0.6, -0.1}, 0))
                .hasMessageContaining("three non-negative numbers summing to 1");
    }
}
