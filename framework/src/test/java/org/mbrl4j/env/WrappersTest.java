package org.mbrl4j.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WrappersTest {

    @Test
    void clipActionClipsAndExposesAnUnboundedSpace() {
        Env env = new ClipAction(new CountingEnv(10));
        env.reset(0);
        assertThat(env.step(new double[] {5}).reward()).isEqualTo(1.0);
        assertThat(env.step(new double[] {-7}).reward()).isEqualTo(-1.0);
        assertThat(((Box) env.actionSpace()).isBounded()).isFalse();
        assertThatThrownBy(() -> env.step(new double[] {1, 2})).hasMessageContaining("1 components");
    }

    @Test
    void rescaleActionMapsTheIntervalAffinely() {
        Env env = new RescaleAction(new CountingEnv(10), 0, 4);
        env.reset(0);
        assertThat(env.step(new double[] {0}).reward()).isEqualTo(-1.0);
        assertThat(env.step(new double[] {2}).reward()).isEqualTo(0.0);
        assertThat(env.step(new double[] {4}).reward()).isEqualTo(1.0);
        assertThatThrownBy(() -> env.step(new double[] {5})).hasMessageContaining("not in Box");
    }

    @Test
    void recordEpisodeStatisticsReportsReturnAndLength() {
        Env env = new RecordEpisodeStatistics(new CountingEnv(3));
        env.reset(0);
        env.step(new double[] {0.5});
        assertThat(env.step(new double[] {0.25}).info()).doesNotContainKey("episode");
        Step last = env.step(new double[] {0.25});
        @SuppressWarnings("unchecked")
        Map<String, Object> ep = (Map<String, Object>) last.info().get("episode");
        assertThat(ep.get("r")).isEqualTo(1.0);
        assertThat(ep.get("l")).isEqualTo(3);
    }

    @Test
    void normalizeObservationTracksRunningMoments() {
        NormalizeObservation env = new NormalizeObservation(new CountingEnv(1000));
        env.reset(0);
        double sum = 0;
        double sq = 0;
        int n = 1;
        for (int i = 1; i <= 500; i++) {
            env.step(new double[] {0});
            sum += i;
            sq += (double) i * i;
            n++;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertThat(env.mean()[0]).isCloseTo(mean, within(1e-3));
        assertThat(env.variance()[0]).isCloseTo(var, within(var * 1e-3));
        env.setUpdating(false);
        double[] obs = env.step(new double[] {0}).observation();
        assertThat(obs[0]).isCloseTo((501 - env.mean()[0]) / Math.sqrt(env.variance()[0] + 1e-8), within(1e-9));
    }

    @Test
    void wrappersReachTheUnwrappedStatefulEnv() {
        CountingEnv base = new CountingEnv(10);
        Env env = new OrderEnforcing(new TimeLimit(new ClipAction(base), 5));
        assertThat(env.unwrapped()).isSameAs(base);
        env.reset(0);
        StatefulEnv.of(env).setState(new double[] {7});
        assertThat(env.step(new double[] {0}).observation()).containsExactly(8.0);
        env.close();
        assertThat(base.closed).isTrue();
    }
}
