package org.mbrl4j.event;

import io.reactivex.rxjava3.core.Flowable;
import io.reactivex.rxjava3.disposables.Disposable;
import io.reactivex.rxjava3.plugins.RxJavaPlugins;
import io.reactivex.rxjava3.processors.PublishProcessor;
import io.reactivex.rxjava3.schedulers.Schedulers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's event stream, an RxJava 3 {@link PublishProcessor}. Publishing is serialized by a lock (many threads may
 * publish; nothing is queued without bound). Subscribers choose their delivery:
 * <ul>
 *   <li>{@link #subscribe} — lossless, on the publishing thread, in order (JSONL, TensorBoard);</li>
 *   <li>{@link #subscribeBuffered} — lossless, on its own thread behind a bounded queue whose publisher waits when
 *   it is full (slow lossless sinks);</li>
 *   <li>{@link #subscribeLatest} — lossy, only the latest event while the subscriber is busy (dashboards);</li>
 *   <li>{@link #subscribeRecord} — lossless, on the publishing thread, for the run's own record (its event files):
 *   the run cannot go on without it, so its first failure is thrown to the publisher.</li>
 * </ul>
 * Any other subscriber's exception is counted, logged and reported to RxJava's error handler; it never reaches the
 * publisher or other subscribers. {@link #close} completes the stream, drains buffered subscribers and closes every
 * registered sink (flushing files), and throws the first sink that could not be closed; {@link #closeOnShutdown} does
 * so on JVM shutdown too (logging instead of throwing). In
 * {@linkplain #synchronous() synchronous mode} every subscriber runs on the publishing thread, for deterministic tests.
 */
public final class EventBus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);
    private static final Object POISON = new Object();

    static {
        if (RxJavaPlugins.getErrorHandler() == null) {
            RxJavaPlugins.setErrorHandler(e -> LOG.warn("event subscriber failed: {}", e.toString()));
        }
    }

    private final PublishProcessor<Event> processor = PublishProcessor.create();
    private final Object lock = new Object();
    private final boolean synchronous;
    private final Map<Class<?>, AtomicInteger> interest = new ConcurrentHashMap<>();
    private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();
    private final List<Thread> drainers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> sinks = new CopyOnWriteArrayList<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong subscriberErrors = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicReference<RuntimeException> recordFailure =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile boolean closed;
    private Thread hook;

    private EventBus(boolean synchronous) {
        this.synchronous = synchronous;
    }

    /** A bus whose buffered and latest-only subscribers run on their own threads. */
    public static EventBus create() {
        return new EventBus(false);
    }

    /** A bus whose subscribers all run on the publishing thread (deterministic; for tests). */
    public static EventBus synchronous() {
        return new EventBus(true);
    }

    /**
     * Publishes {@code event} to every subscriber of its type; ignored (and logged) after {@link #close}. Throws the
     * exception of a {@linkplain #subscribeRecord record} subscriber that failed on it (every subscriber has had the
     * event by then); that subscriber gets nothing more.
     */
    public void publish(Event event) {
        if (closed) {
            LOG.debug("event after close dropped: {}", event);
            return;
        }
        RuntimeException failure;
        synchronized (lock) {
            processor.onNext(event);
            failure = recordFailure.getAndSet(null);
        }
        published.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Whether any subscriber asked for {@code type} (or a supertype): publishers of per-step events check this so
     * that they cost nothing unless someone listens.
     */
    public boolean wants(Class<? extends Event> type) {
        for (Map.Entry<Class<?>, AtomicInteger> e : interest.entrySet()) {
            if (e.getValue().get() > 0 && e.getKey().isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }

    /** Lossless delivery of events of {@code type} on the publishing thread. */
    public <T extends Event> Disposable subscribe(Class<T> type, Consumer<? super T> sink) {
        Disposable d = processor.ofType(type).subscribe(guard(sink)::accept);
        return track(type, d);
    }

    /**
     * Lossless delivery on the publishing thread to a sink the run cannot go without (its event files): the first
     * exception of {@code sink} is thrown from the {@link #publish} that caused it and the sink is then dropped, so
     * a run whose record cannot be written stops instead of going on unrecorded.
     */
    public <T extends Event> Disposable subscribeRecord(Class<T> type, Consumer<? super T> sink) {
        boolean[] failed = {false};
        Disposable d = processor.ofType(type).subscribe(e -> {
            if (failed[0]) {
                return;
            }
            try {
                sink.accept(e);
            } catch (RuntimeException t) {
                failed[0] = true;
                subscriberErrors.incrementAndGet();
                recordFailure.compareAndSet(null, t);
            }
        });
        return track(type, d);
    }

    /**
     * Lossless delivery on a dedicated thread through a queue of {@code capacity} events; a publisher waits while the
     * queue is full. In synchronous mode this is {@link #subscribe}.
     */
    public <T extends Event> Disposable subscribeBuffered(Class<T> type, Consumer<? super T> sink, int capacity) {
        if (synchronous) {
            return subscribe(type, sink);
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be ≥ 1, got " + capacity);
        }
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
        Consumer<? super T> safe = guard(sink);
        Thread drainer = new Thread(() -> {
            while (true) {
                Object o;
                try {
                    o = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (o == POISON) {
                    return;
                }
                safe.accept(type.cast(o));
            }
        }, "mbrl4j-events-" + type.getSimpleName());
        drainer.setDaemon(true);
        drainer.start();
        drainers.add(drainer);
        Disposable d = processor.ofType(type).subscribe(e -> {
            try {
                queue.put(e);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }, err -> { }, () -> {
            try {
                queue.put(POISON);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        return track(type, d);
    }

    /**
     * Lossy delivery for dashboards: while the subscriber is busy, only the latest event is kept. In synchronous mode
     * this is {@link #subscribe}.
     */
    public <T extends Event> Disposable subscribeLatest(Class<T> type, Consumer<? super T> sink) {
        if (synchronous) {
            return subscribe(type, sink);
        }
        Disposable d = processor.ofType(type).onBackpressureLatest().observeOn(Schedulers.single(), false, 1)
                .subscribe(guard(sink)::accept);
        return track(type, d);
    }

    /** The raw stream (hot; events published before subscribing are not replayed). */
    public Flowable<Event> events() {
        return processor.hide();
    }

    /** Closes {@code sink} (e.g. flushes a file) when the bus closes. */
    public void register(AutoCloseable sink) {
        sinks.add(sink);
    }

    /** Closes the bus, flushing every sink, when the JVM shuts down (e.g. on Ctrl-C). */
    public synchronized void closeOnShutdown() {
        if (hook == null) {
            hook = new Thread(this::close, "mbrl4j-events-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /** Events published so far. */
    public long published() {
        return published.get();
    }

    /** Exceptions thrown by subscribers so far (each was logged and isolated). */
    public long subscriberErrors() {
        return subscriberErrors.get();
    }

    private <T> Consumer<T> guard(Consumer<T> sink) {
        return e -> {
            try {
                sink.accept(e);
            } catch (Throwable t) {
                long n = subscriberErrors.incrementAndGet();
                // a subscriber failing on every event must not flood the log: the first few, then every 1000th
                if (n <= 5 || n % 1000 == 0) {
                    RxJavaPlugins.onError(new IllegalStateException("subscriber " + sink + " failed on " + e + " (failure "
                            + n + "): " + t, t));
                }
            }
        };
    }

    private Disposable track(Class<?> type, Disposable d) {
        AtomicInteger count = interest.computeIfAbsent(type, k -> new AtomicInteger());
        count.incrementAndGet();
        Disposable wrapped = new Disposable() {
            private volatile boolean done;

            @Override
            public void dispose() {
                if (!done) {
                    done = true;
                    count.decrementAndGet();
                    d.dispose();
                }
            }

            @Override
            public boolean isDisposed() {
                return done || d.isDisposed();
            }
        };
        subscriptions.add(wrapped);
        return wrapped;
    }

    /**
     * Completes the stream, waits (up to 30 s) for buffered subscribers to drain, then closes the registered sinks.
     * Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        synchronized (lock) {
            processor.onComplete();
        }
        for (Thread t : drainers) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        RuntimeException first = null;
        for (AutoCloseable s : sinks) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing event sink {} failed: {}", s, e.toString());
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
                }
            }
        }
        boolean inHook = Thread.currentThread() == hook;
        if (hook != null && !inHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
        if (first != null && !inHook) {
            throw first;
        }
    }
}
