package org.mbrl4j.envs.planning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mbrl4j.env.Env;
import org.mbrl4j.env.EnvRegistry;
import org.mbrl4j.env.StatefulEnv;
import org.mbrl4j.env.Step;
import org.mbrl4j.planning.Cem;
import org.mbrl4j.planning.TrueDynamics;

/** CEM planning on a copy of the real environment swings Pendulum-v1 up from hanging and keeps it upright. */
class TrueDynamicsPlanningTest {

    @Test
    void cemWithTrueDynamicsBalancesPendulum() {
        EnvRegistry registry = EnvRegistry.load();
        try (Env env = registry.make("Pendulum-v1"); Env copy = registry.make("Pendulum-v1")) {
            env.reset(0);
            double[] obs = StatefulEnv.of(env).setState(new double[] {Math.PI, 0});
            int horizon = 15;
            Cem cem = Cem.builder().setHorizon(horizon).setActionBounds(new double[] {-2}, new double[] {2})
                    .optPopulation(200).optIterations(5).build();
            TrueDynamics truth = new TrueDynamics(copy);
            SplittableRandom rng = new SplittableRandom(7);
            double[] plan = new double[horizon];
            double ret = 0;
            double[] cos = new double[200];
            for (int t = 0; t < 200; t++) {
                plan = cem.optimize(truth.objective(StatefulEnv.of(env).getState()), plan, rng);
                Step s = env.step(new double[] {plan[0]});
                ret += s.reward();
                cos[t] = s.observation()[0];
                // warm start: shift the plan by one step
                System.arraycopy(plan, 1, plan, 0, horizon - 1);
                plan[horizon - 1] = 0;
                if (s.done()) {
                    assertThat(t).isEqualTo(199);
                }
            }
            for (int t = 150; t < 200; t++) {
                assertThat(cos[t]).as("cos θ at step %d (1 = upright)", t).isGreaterThan(0.98);
            }
            // a swing-up from hanging at rest costs about −300 to −400 even when done well; the balance above is the check
            assertThat(ret).as("episode return from hanging").isGreaterThan(-500);
            System.out.printf("CEM (true dynamics) Pendulum return from hanging: %.1f%n", ret);
        }
    }
}
