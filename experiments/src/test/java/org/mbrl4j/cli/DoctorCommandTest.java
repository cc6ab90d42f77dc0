package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.mbrl4j.envs.gymnasium.GymnasiumEnvs;
import org.mbrl4j.python.PythonVenv;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code mbrl4j doctor} on this machine: every line present, the natives load, the venv's state and place told. */
class DoctorCommandTest {
    @Test
    void reportsThisMachineAndThatRunsCanStart() {
        StringWriter text = new StringWriter();
        CommandLine cl = new CommandLine(new DoctorCommand()).setOut(new PrintWriter(text, true));
        assertThat(cl.execute()).isZero();
        String out = text.toString();
        assertThat(out).contains("java         " + System.getProperty("java.version"))
                .contains("natives load (a 64×64 product: finite)")
                .contains(Runtime.getRuntime().availableProcessors() + " cores")
                .containsPattern("cpu          .*avx2")
                .contains("python       ")
                .contains(PythonVenv.location("gymnasium", GymnasiumEnvs.pythonRequirements()).toString())
                .containsPattern("bridge venv  (ready|not created yet|MBRL4J_PYTHON)")
                .containsPattern("tensorboard  (on PATH|not on PATH)")
                .contains("cache        ")
                .endsWith("ok: runs can start here" + System.lineSeparator())
                .doesNotContain("PROBLEM");
    }
}
