package org.mbrl4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mbrl4j} launcher's class-data archive: recorded by the first working run of a build, used by the next
 * ones, and harmless when damaged. It lives in this module because the reactor builds it after the runnable jar.
 */
class LauncherTest {
    @TempDir
    Path dir;

    record Result(int exit, String stderr) {
    }

    Result launch(String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("..", "mbrl4j").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(launcher.toString()), Stream.of(args)).toList());
        pb.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        pb.environment().remove("MBRL4J_SPARK");
        pb.environment().remove("MBRL4J_CDS");
        Path err = dir.resolve("stderr.txt");
        pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("launcher finished").isTrue();
        return new Result(p.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    Result rollout(String out) throws IOException, InterruptedException {
        return launch("rollout", "--env", "Pendulum-v1", "--policy", "random", "--steps", "40", "--out",
                dir.resolve(out).toString());
    }

    List<Path> archives() throws IOException {
        Path cds = dir.resolve("cache/mbrl4j/cds");
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cds)) {
            return s.toList();
        }
    }

    @Test
    void firstRunRecordsTheArchiveLaterRunsUseItAndADamagedOneIsIgnored() throws Exception {
        assertThat(launch("--version").exit()).isZero();
        assertThat(archives()).as("a command that loads nothing records nothing").isEmpty();

        Result first = rollout("a.csv");
        assertThat(first.exit()).as(first.stderr()).isZero();
        assertThat(first.stderr()).contains("saves a class-data archive");
        assertThat(archives()).singleElement().satisfies(a -> {
            assertThat(a.getFileName().toString()).startsWith("core-").endsWith(".jsa");
            assertThat(Files.size(a)).isGreaterThan(1 << 20);
        });

        Result second = rollout("b.csv");
        assertThat(second.exit()).as(second.stderr()).isZero();
        assertThat(second.stderr()).doesNotContain("class-data");
        assertThat(Files.readAllLines(dir.resolve("b.csv"))).hasSize(41)
                .containsExactlyElementsOf(Files.readAllLines(dir.resolve("a.csv")));

        Path archive = archives().get(0);
        archive.toFile().setWritable(true);
        Files.write(archive, new byte[4096]);
        Result damaged = rollout("c.csv");
        assertThat(damaged.exit()).as(damaged.stderr()).isZero();
        assertThat(damaged.stderr()).doesNotContain("cds", "shared archive");
        assertThat(Files.readAllLines(dir.resolve("c.csv"))).containsExactlyElementsOf(
                Files.readAllLines(dir.resolve("a.csv")));
    }
}
