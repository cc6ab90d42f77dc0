package org.mbrl4j.planning;

import org.mbrl4j.env.Env;
import org.mbrl4j.env.RewardFn;
import org.mbrl4j.env.StatefulEnv;
import org.mbrl4j.env.Step;

/**
 * Planning with the true dynamics: every candidate sequence is played on a copy of the real environment restored to
 * the current simulator state (through {@link StatefulEnv}), to test planners apart from models. A sequence's value is
 * its return until the copy terminates: of the environment's reward, or of a planning reward (the task reward with a
 * state cost, as PETS plans with) computed on the true transitions.
 */
public final class TrueDynamics {
    private final Env copy;
    private final StatefulEnv state;
    private final RewardFn planningReward;

    /** Plans on {@code copy}, which must be a {@link StatefulEnv} (possibly wrapped) and is reset once here. */
    public TrueDynamics(Env copy) {
        this(copy, null);
    }

    /** As {@link #TrueDynamics(Env)}, valuing sequences by {@code planningReward} (null: the environment's reward). */
    public TrueDynamics(Env copy, RewardFn planningReward) {
        this.copy = copy;
        this.state = StatefulEnv.of(copy);
        this.planningReward = planningReward;
        copy.reset(0);
    }

    /** A {@link SequenceObjective} of sequences played from the simulator state {@code simState}. */
    public SequenceObjective objective(double[] simState) {
        int m = copy.actionSpace().flatDim();
        return (n, sequences, values) -> {
            int len = sequences.length / n;
            double[] a = new double[m];
            double[] r = new double[1];
            for (int i = 0; i < n; i++) {
                double[] obs = state.setState(simState);
                double ret = 0;
                for (int t = 0; t < len / m; t++) {
                    System.arraycopy(sequences, i * len + t * m, a, 0, m);
                    Step s = state.step(a);
                    if (planningReward != null) {
                        planningReward.compute(1, obs, a, s.observation(), r);
                        ret += r[0];
                        obs = s.observation();
                    } else {
                        ret += s.reward();
                    }
                    if (s.terminated()) {
                        break;
                    }
                }
                values[i] = ret;
            }
        };
    }
}
