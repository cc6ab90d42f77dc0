package org.mbrl4j.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fuzz harness itself: it reports unhandled exceptions, message-less errors and hangs with the seed. */
class FuzzTest {

    @Test
    void mutationsAreReproducibleFromTheSeedAndVaried() {
        String valid = "a: 1\nb: [2, 3]\n";
        assertThat(Fuzz.mutate(valid, new SplittableRandom(7))).isEqualTo(Fuzz.mutate(valid, new SplittableRandom(7)));
        long distinct = java.util.stream.LongStream.range(0, 200).mapToObj(s -> Fuzz.mutate(valid, new SplittableRandom(s)))
                .distinct().count();
        assertThat(distinct).isGreaterThan(150);
    }

    @Test
    void anUnacceptedExceptionOrAHangFailsNamingTheSeed() {
        assertThatThrownBy(() -> Fuzz.check("int", 0, 200, Duration.ofSeconds(1), List.of("12"), Integer::parseInt,
                IllegalStateException.class)).hasMessageContaining("int fuzz:").hasMessageContaining("seed ")
                .hasMessageContaining("unhandled java.lang.NumberFormatException");
        int[] r = Fuzz.check("int", 0, 200, Duration.ofSeconds(1), List.of("12"), Integer::parseInt,
                IllegalArgumentException.class);
        assertThat(r[0] + r[1]).isEqualTo(200);
        assertThat(r[1]).isPositive();
        assertThatThrownBy(() -> Fuzz.check("hang", 0, 50, Duration.ofMillis(200), List.of("12"), s -> {
            if (s.length() > 2) {
                Thread.sleep(5_000);
            }
        }, IllegalArgumentException.class)).hasMessageContaining("hang: no result within 200 ms");
        assertThatThrownBy(() -> Fuzz.check("blank", 0, 5, Duration.ofSeconds(1), List.of("x"), s -> {
            throw new IllegalArgumentException(" ");
        }, IllegalArgumentException.class)).hasMessageContaining("the valid input failed: an error without a message");
    }
}
