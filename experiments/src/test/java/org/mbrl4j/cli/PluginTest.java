package org.mbrl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A planner in a plugin jar (services file + class) is found by id and used by {@code run pets}. */
class PluginTest {
    @TempDir
    Path dir;

    @Test
    void aPlannerFromAPluginJarPlansForRunPets() throws Exception {
        Path jar = dir.resolve("zero-planner.jar");
        String cls = ZeroPlannerProvider.class.getName().replace('.', '/');
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/services/org.mbrl4j.planning.PlannerProvider"));
            out.write((ZeroPlannerProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (String name : List.of(cls + ".class", cls + "$1.class")) {
                out.putNextEntry(new JarEntry(name));
                try (InputStream in = PluginTest.class.getResourceAsStream("/" + name)) {
                    in.transferTo(out);
                }
            }
        }
        StringBuilder err = new StringBuilder();
        List<String> args = List.of("run", "pets", "--env", TestEnvs.FORTY, "--planner", "test-zero", "--ensemble", "1",
                "--hidden", "8", "--model-epochs", "1", "--episodes", "1", "--out", dir.resolve("run").toString());
        assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString()).contains("planner 'test-zero' is unknown; registered: cem, cem-discrete, icem, mppi, mppi-discrete, random, random-discrete");

        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        int created = ZeroPlannerProvider.CREATED.get();
        try (URLClassLoader plugins = new URLClassLoader(new URL[] {jar.toUri().toURL()}, old)) {
            t.setContextClassLoader(plugins);
            err.setLength(0);
            assertThat(RolloutCommandTest.run(err, args.toArray(String[]::new))).as(err.toString()).isZero();
        } finally {
            t.setContextClassLoader(old);
        }
        assertThat(ZeroPlannerProvider.CREATED.get()).isEqualTo(created + 1);
        List<String> rows = Files.readAllLines(dir.resolve("run/checkpoint/buffer.csv"));
        int act = List.of(rows.get(0).split(",")).indexOf("act_0");
        assertThat(rows.subList(41, 81)).as("the planning episode's actions are the plugin's zeros")
                .allSatisfy(r -> assertThat(Double.parseDouble(r.split(",")[act])).isZero());
        assertThat(rows.subList(1, 41).stream().filter(r -> Double.parseDouble(r.split(",")[act]) != 0))
                .as("the random episode's are not").isNotEmpty();
    }
}
