package org.mbrl4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransitionDatasetTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackExactly() {
        Path p = dir.resolve("d.csv");
        try (TransitionDataset.Writer w = TransitionDataset.writer(p, 2, 1)) {
            w.add(new double[] {0.1f, Math.PI}, new double[] {-1e-12}, new double[] {1.0 / 3, -0.0}, -5.804678600191913,
                    false, true, 0);
            w.add(new double[] {1, 2}, new double[] {3}, new double[] {4, 5}, 6, true, false, 1);
            w.commit();
        }
        TransitionDataset d = TransitionDataset.read(p);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.obs(0)).containsExactly(0.1f, Math.PI);
        assertThat(d.action(0)).containsExactly(-1e-12);
        assertThat(d.nextObs(0)[0]).isEqualTo(1.0 / 3);
        assertThat(d.reward(0)).isEqualTo(-5.804678600191913);
        assertThat(d.truncated(0)).isTrue();
        assertThat(d.terminated(1)).isTrue();
        assertThat(d.episode(1)).isEqualTo(1);
        assertThat(d.columns("obs", "act")).containsExactly(0.1f, Math.PI, -1e-12, 1, 2, 3);
        assertThat(d.select(new int[] {1}).obs(0)).containsExactly(1, 2);
    }

    @Test
    void malformedFilesNameFileLineAndColumn() throws Exception {
        Path p = dir.resolve("bad.csv");
        String head = TransitionDataset.header(1, 1) + "\n";
        Files.writeString(p, head + "1,2,3,4,0,0,0\n1,2,x,4,0,0,0\n");
        assertThatThrownBy(() -> TransitionDataset.read(p)).hasMessageContaining("bad.csv:3: column next_obs_0 is not a number: 'x'");
        Files.writeString(p, head + "1,2,3,4,0,0\n");
        assertThatThrownBy(() -> TransitionDataset.read(p)).hasMessageContaining("bad.csv:2: 6 fields, header has 7");
        Files.writeString(p, "obs_0,act_0,next_obs_0,reward,truncated,episode\n");
        assertThatThrownBy(() -> TransitionDataset.read(p)).hasMessageContaining("missing column 'terminated'");
        Files.writeString(p, head + "1,2,3,4,2,0,0\n");
        assertThatThrownBy(() -> TransitionDataset.read(p)).hasMessageContaining("terminated must be 0 or 1");
        assertThatThrownBy(() -> TransitionDataset.read(dir.resolve("none.csv"))).hasMessageContaining("does not exist");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ';', value = {
        "1,2,NaN,4,0,0,0; column next_obs_0 is NaN (accepted: finite decimal numbers)",
        "1,-Infinity,3,4,0,0,0; column act_0 is -Infinity",
        "1,2,3,inf,0,0,0; column reward is inf",
        "1e999,2,3,4,0,0,0; column obs_0 is 1e999, beyond the range of a double",
        "0x1p3,2,3,4,0,0,0; column obs_0 is not a number: '0x1p3'",
        "1d,2,3,4,0,0,0; column obs_0 is not a number: '1d'",
        "1,2,3,4,0,0,-1; column episode must be an integer ≥ 0, got -1",
        "1,2,3,4,0,0,1.5; column episode must be an integer ≥ 0, got 1.5",
        "1,2,3,4,0,0.5,0; column truncated must be 0 or 1, got 0.5",
        "1,2,3,,0,0,0; column reward is not a number: ''"})
    void aCellThatIsNotAFiniteNumberOrABadFlagIsRejectedNamingLineAndColumn(String row, String message) throws Exception {
        Path p = dir.resolve("bad.csv");
        Files.writeString(p, TransitionDataset.header(1, 1) + "\n1,2,3,4,0,0,0\n" + row + "\n");
        assertThatThrownBy(() -> TransitionDataset.read(p)).hasMessageContaining("bad.csv:3: " + message);
        TransitionDataset.Loaded kept = TransitionDataset.read(p, true);
        assertThat(kept.data().size()).isEqualTo(1);
        assertThat(kept.dropped()).singleElement().asString().contains("bad.csv:3: " + message);
    }

    @Test
    void droppingInvalidRowsKeepsTheValidOnesInOrderAndAFileOfOnlyBadRowsFails() throws Exception {
        Path p = dir.resolve("mixed.csv");
        String head = TransitionDataset.header(1, 1) + "\n";
        Files.writeString(p, head + "1,2,3,4,0,0,0\nNaN,2,3,4,0,0,0\n\n5,6,7,8,1,0,0\n1,2\n9,9,9,9,0,0,2\n");
        TransitionDataset.Loaded l = TransitionDataset.read(p, true);
        assertThat(l.data().size()).isEqualTo(3);
        assertThat(l.data().obs(1)).containsExactly(5);
        assertThat(l.data().episode(2)).isEqualTo(2);
        assertThat(l.dropped()).hasSize(2);
        assertThat(l.dropped().get(0)).contains("mixed.csv:3:");
        assertThat(l.dropped().get(1)).contains("mixed.csv:6: 2 fields, header has 7");
        Files.writeString(p, head + "NaN,2,3,4,0,0,0\n");
        assertThatThrownBy(() -> TransitionDataset.read(p, true)).hasMessageContaining("every one of its 1 rows is invalid");
        Files.writeString(p, "obs_0,act_0,obs_0\n");
        assertThatThrownBy(() -> TransitionDataset.read(p, true)).hasMessageContaining("mixed.csv:1: header column 3 is 'obs_0' a second time");
        Files.write(p, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertThatThrownBy(() -> TransitionDataset.read(p)).hasMessageContaining("not UTF-8 text");
    }

    @Test
    void anUncommittedWriterLeavesEverythingInThePartialFile() throws Exception {
        Path p = dir.resolve("run.csv");
        try (TransitionDataset.Writer w = TransitionDataset.writer(p, 1, 1)) {
            w.add(new double[] {1}, new double[] {2}, new double[] {3}, 4, false, false, 0);
            w.flush();
            assertThatThrownBy(() -> w.add(new double[] {1, 2}, new double[] {2}, new double[] {3}, 4, false, false, 0))
                    .hasMessageContaining("obs must have 1 values");
        }
        assertThat(Files.exists(p)).isFalse();
        assertThat(Files.readAllLines(dir.resolve("run.csv.partial"))).hasSize(2);
    }
}
