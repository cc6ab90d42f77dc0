package org.mbrl4j.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mbrl4j.event.Event;

class ConsoleProgressTest {

    private static String run(boolean terminal) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ConsoleProgress p = new ConsoleProgress(new PrintStream(buf, true), terminal);
        for (int e = 0; e < 4; e++) {
            p.accept(new Event.ModelEpoch("dynamics", e, 4, Map.of("loss", 1.0 / (e + 1)), Map.of("nll", 2.0), 1e-3, 1, 5));
        }
        p.accept(new Event.ModelTrained("dynamics", 4, Map.of("loss", 0.25), Map.of(), Map.of("nll", 1.5), "completed 4 epochs"));
        p.accept(new Event.EpisodeEnd("train", 0, 200, -123.4, 200, 1.5));
        return buf.toString();
    }

    @Test
    void aTerminalGetsAnOverwritingBarOthersOnlySummaries() {
        String tty = run(true);
        assertThat(tty).contains("\r").contains("4/4 epochs").contains("[########################]")
                .contains("val_nll 2.0000").contains("dynamics trained: completed 4 epochs; train loss 0.2500; test nll 1.500\n")
                .contains("train episode 0: return -123.40, 200 steps");
        String log = run(false);
        assertThat(log).doesNotContain("epochs  ").doesNotContain("\r").contains("dynamics trained")
                .contains("train episode 0: return -123.40");
    }
}
