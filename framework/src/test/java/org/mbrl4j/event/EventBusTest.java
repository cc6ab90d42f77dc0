package org.mbrl4j.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mbrl4j.logging.JsonlLogger;

class EventBusTest {
    @TempDir
    Path dir;

    private static Event.Scalar scalar(String tag, long step) {
        return new Event.Scalar(tag, step, step);
    }

    @Test
    void manyPublishingThreadsLoseNothingAndKeepEachThreadsOrder() throws Exception {
        try (EventBus bus = EventBus.create()) {
            List<Event.Scalar> got = Collections.synchronizedList(new ArrayList<>());
            List<Event.Scalar> buffered = Collections.synchronizedList(new ArrayList<>());
            bus.subscribe(Event.Scalar.class, got::add);
            bus.subscribeBuffered(Event.Scalar.class, buffered::add, 16);
            int threads = 4;
            int per = 5000;
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String tag = "t" + t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < per; i++) {
                        bus.publish(scalar(tag, i));
                    }
                });
                th.start();
                ts.add(th);
            }
            start.countDown();
            for (Thread th : ts) {
                th.join();
            }
            bus.close();
            assertThat(got).hasSize(threads * per);
            assertThat(buffered).hasSize(threads * per);
            for (int t = 0; t < threads; t++) {
                String tag = "t" + t;
                long[] steps = got.stream().filter(e -> e.tag().equals(tag)).mapToLong(Event.Scalar::step).toArray();
                for (int i = 0; i < per; i++) {
                    assertThat(steps[i]).isEqualTo(i);
                }
            }
            assertThat(bus.published()).isEqualTo(threads * per);
        }
    }

    @Test
    void aFailingSubscriberHurtsNeitherThePublisherNorOthers() {
        EventBus bus = EventBus.synchronous();
        AtomicInteger ok = new AtomicInteger();
        bus.subscribe(Event.Scalar.class, e -> {
            throw new IllegalStateException("boom");
        });
        bus.subscribe(Event.Scalar.class, e -> ok.incrementAndGet());
        for (int i = 0; i < 100; i++) {
            bus.publish(scalar("x", i));
        }
        bus.close();
        assertThat(ok.get()).isEqualTo(100);
        assertThat(bus.subscriberErrors()).isEqualTo(100);
    }

    @Test
    void aSlowBufferedSubscriberMakesThePublisherWaitButLosesNothing() {
        EventBus bus = EventBus.create();
        List<Long> got = Collections.synchronizedList(new ArrayList<>());
        bus.subscribeBuffered(Event.Scalar.class, e -> {
            try {
                Thread.sleep(5);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            got.add(e.step());
        }, 4);
        long t0 = System.nanoTime();
        for (int i = 0; i < 60; i++) {
            bus.publish(scalar("slow", i));
        }
        double publishMs = (System.nanoTime() - t0) / 1e6;
        // with a queue of 4 the publisher had to wait for at least 55 of the 60 slow deliveries
        assertThat(publishMs).isGreaterThan(55 * 4.0);
        bus.close();
        assertThat(got).hasSize(60);
        assertThat(got.get(59)).isEqualTo(59);
    }

    @Test
    void latestOnlySubscribersMayDropButSeeTheLastEvent() throws Exception {
        EventBus bus = EventBus.create();
        List<Long> got = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch last = new CountDownLatch(1);
        bus.subscribeLatest(Event.Scalar.class, e -> {
            try {
                Thread.sleep(2);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            got.add(e.step());
            if (e.step() == 999) {
                last.countDown();
            }
        });
        for (int i = 0; i < 1000; i++) {
            bus.publish(scalar("fast", i));
        }
        assertThat(last.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        bus.close();
        assertThat(got.size()).isLessThan(1000);
        assertThat(got.get(got.size() - 1)).isEqualTo(999);
    }

    @Test
    void aFailingRecordStopsThePublisherOnceAfterEverySubscriberHadTheEvent() {
        EventBus bus = EventBus.synchronous();
        List<Long> record = new ArrayList<>();
        List<Long> others = new ArrayList<>();
        bus.subscribeRecord(Event.Scalar.class, e -> {
            if (e.step() == 3) {
                throw new java.io.UncheckedIOException("cannot write /run/events.jsonl: No space left on device",
                        new java.io.IOException("No space left on device"));
            }
            record.add(e.step());
        });
        bus.subscribe(Event.Scalar.class, e -> others.add(e.step()));
        for (long i = 0; i < 3; i++) {
            bus.publish(scalar("x", i));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.publish(scalar("x", 3)))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessage("cannot write /run/events.jsonl: No space left on device");
        // the failed record gets nothing more and does not fail later events again; the others miss nothing
        bus.publish(scalar("x", 4));
        bus.register(() -> {
            throw new java.io.IOException("cannot close /run/events.jsonl: No space left on device");
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(bus::close).hasMessage("cannot close /run/events.jsonl: No space left on device");
        assertThat(record).containsExactly(0L, 1L, 2L);
        assertThat(others).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(bus.subscriberErrors()).isEqualTo(1);
    }

    @Test
    void anEventFileOnAFullDiskFailsAtTheNextCheckpointNamingTheFile() {
        Path file = dir.resolve("events.jsonl");
        try {
            Files.createSymbolicLink(file, Path.of("/dev/full"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        EventBus bus = EventBus.synchronous();
        JsonlLogger jsonl = new JsonlLogger(file);
        bus.subscribeRecord(Event.class, jsonl);
        bus.register(jsonl);
        bus.publish(new Event.EpisodeEnd("train", 0, 200, -100, 200, 0.1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bus.publish(new Event.CheckpointWritten(dir, 200)))
                .hasMessage("cannot write " + file + ": No space left on device");
        bus.close();
    }

    @Test
    void closeFlushesRegisteredSinks() throws Exception {
        Path file = dir.resolve("events.jsonl");
        EventBus bus = EventBus.create();
        JsonlLogger jsonl = new JsonlLogger(file);
        bus.subscribe(Event.class, jsonl);
        bus.register(jsonl);
        bus.publish(new Event.RunStarted("r1", "test", dir, Map.of("lambda", 1.0), Provenance.capture(1, List.of(), Map.of())));
        for (int i = 0; i < 10; i++) {
            bus.publish(new Event.EpisodeEnd("train", i, 200L * (i + 1), -100 + i, 200, 0.1));
        }
        bus.publish(new Event.RunEnded("r1", true, Map.of("return", 1.0), "done"));
        bus.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(12);
        assertThat(lines.get(0)).contains("\"type\":\"RunStarted\"").contains("\"lambda\":1.0").contains("git_commit");
        assertThat(lines.get(5)).contains("\"type\":\"EpisodeEnd\"").contains("\"episodeReturn\":-96.0");
        bus.publish(scalar("after", 0));
        assertThat(Files.readAllLines(file)).hasSize(12);
    }

    @Test
    void perStepEventsAreWantedOnlyWhenSubscribed() {
        EventBus bus = EventBus.synchronous();
        assertThat(bus.wants(Event.EnvStep.class)).isFalse();
        bus.subscribe(Event.EpisodeEnd.class, e -> { });
        assertThat(bus.wants(Event.EnvStep.class)).isFalse();
        var d = bus.subscribe(Event.EnvStep.class, e -> { });
        assertThat(bus.wants(Event.EnvStep.class)).isTrue();
        d.dispose();
        assertThat(bus.wants(Event.EnvStep.class)).isFalse();
        bus.subscribe(Event.class, e -> { });
        assertThat(bus.wants(Event.EnvStep.class)).isTrue();
    }
}
