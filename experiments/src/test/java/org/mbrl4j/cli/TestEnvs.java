package org.mbrl4j.cli;

import java.util.List;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvCrashedException;
import org.mbrl4j.env.EnvProvider;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.EnvSpec;
import org.mbrl4j.env.Step;
import org.mbrl4j.env.Wrapper;

/**
 * Test environments: {@code test/CrashingPendulum-v1}, Pendulum-v1 whose every instance crashes (as a dead Python
 * process would) on its 300th step, and {@code test/ShortPendulum-v1}, whose episodes end after 3 steps (as
 * InvertedPendulum's random ones do), and {@code test/Pendulum40-v1}, whose episodes end after 40 steps (the recorded
 * PETS runs of {@link PetsGoldenTest}).
 */
public final class TestEnvs implements EnvProvider {
    static final String ID = "test/CrashingPendulum-v1";
    static final String SHORT = "test/ShortPendulum-v1";
    static final String FORTY = "test/Pendulum40-v1";

    @Override
    public List<EnvSpec> specs() {
        return List.of();
    }

    @Override
    public EnvSpec find(String id) {
        if (!id.equals(ID) && !id.equals(SHORT) && !id.equals(FORTY)) {
            return null;
        }
        EnvSpec pendulum = EnvRegistry.load().spec("Pendulum-v1");
        if (!id.equals(ID)) {
            return EnvSpec.builder().setId(id).setFactory(o -> EnvRegistry.load().make("Pendulum-v1"))
                    .optRewardFn(pendulum.rewardFn()).optTerminationFn(pendulum.terminationFn())
                    .optMaxEpisodeSteps(id.equals(SHORT) ? 3 : 40).build();
        }
        return EnvSpec.builder().setId(ID).setFactory(o -> new Crashing(EnvRegistry.load().make("Pendulum-v1")))
                .optRewardFn(pendulum.rewardFn()).optTerminationFn(pendulum.terminationFn()).optOwnTimeLimit(true).build();
    }

    private static final class Crashing extends Wrapper {
        private int steps;

        Crashing(Env env) {
            super(env);
        }

        @Override
        public Step step(double[] action) {
            if (++steps == 300) {
                throw new EnvCrashedException(ID, "the process died (exit code 137)", null);
            }
            return env.step(action);
        }
    }
}
