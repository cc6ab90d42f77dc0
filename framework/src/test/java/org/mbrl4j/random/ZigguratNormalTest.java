package org.mbrl4j.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZigguratNormalTest {

    private static double phi(double x) {
        // Abramowitz–Stegun 7.1.26 erf approximation (|error| < 1.5e-7), enough for a KS test at n = 1e6
        double t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.sqrt(2));
        double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-x * x / 2);
        return 0.5 * (1 + Math.signum(x) * y);
    }

    @Test
    void samplesAreStandardNormal() {
        int n = 1_000_000;
        double[] x = new double[n];
        new ZigguratNormal(new SplittableRandom(42)).fill(x);
        double mean = Arrays.stream(x).average().orElseThrow();
        double var = Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / n;
        double kurt = Arrays.stream(x).map(v -> Math.pow(v - mean, 4)).sum() / n / (var * var);
        assertThat(mean).isCloseTo(0, within(5e-3));
        assertThat(var).isCloseTo(1, within(5e-3));
        assertThat(kurt).isCloseTo(3, within(0.03));
        Arrays.sort(x);
        double d = 0;
        for (int i = 0; i < n; i++) {
            double f = phi(x[i]);
            d = Math.max(d, Math.max(Math.abs(f - (double) i / n), Math.abs(f - (double) (i + 1) / n)));
        }
        // Kolmogorov–Smirnov critical value at α = 0.001 is 1.95/√n
        assertThat(d).isLessThan(1.95 / Math.sqrt(n));
        long tail = Arrays.stream(x).filter(v -> Math.abs(v) > 3.442619855899).count();
        assertThat((double) tail / n).isCloseTo(5.76e-4, within(1.5e-4));
    }

    @Test
    void sameSeedSameStream() {
        double[] a = new double[1000];
        double[] b = new double[1000];
        new ZigguratNormal(new SplittableRandom(1)).fill(a);
        new ZigguratNormal(new SplittableRandom(1)).fill(b);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void seededIsTheSplittableRandomStream() {
        // a million draws reach the slow paths (tail and wedges) many times, where more bits are drawn
        for (long seed : new long[] {0, 7, -3_141_592_653L}) {
            double[] a = new double[1_000_000];
            double[] b = new double[1_000_000];
            new ZigguratNormal(new SplittableRandom(seed)).fill(a);
            ZigguratNormal.seeded(seed).fill(b);
            assertThat(b).isEqualTo(a);
        }
    }
}
