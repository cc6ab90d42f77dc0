package org.mbrl4j.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Seeded, generator-driven fuzzing in plain JUnit: random mutations of valid inputs (deleted, duplicated and swapped
 * characters, truncation, a token replaced by a value of another type, huge numbers, empty input, binary junk) fed to
 * a parser, each case under a time limit. A case passes when the parser returns or throws one of the accepted
 * exception types with a message; anything else (another exception, an empty message, a hang) fails naming the case's
 * seed and input, so {@link #mutate} with that seed reproduces it.
 */
public final class Fuzz {
    private static final String[] TOKENS = {"", "abc", "-1", "0", "1e308", "1e999", "-1e999", "NaN", "Infinity", "null",
        "true", "[1, 2]", "{a: 1}", "\"", "'", ":", ",", "- ", "\t", "\n", "\u0000", "9999999999999999999999", "0x10",
        "1.5", "=", "==", "#", "&a", "*a", "!!binary", "~", "%", "é", "\uFFFD"};

    private Fuzz() {
    }

    /** A parser under test. */
    @FunctionalInterface
    public interface Parser {
        /** Parses {@code input}; returns normally or throws. */
        void parse(String input) throws Exception;
    }

    /** One mutation of {@code valid}, determined by {@code rng}. */
    public static String mutate(String valid, SplittableRandom rng) {
        StringBuilder s = new StringBuilder(valid);
        int edits = 1 + rng.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = s.length() == 0 ? 0 : rng.nextInt(s.length());
            switch (rng.nextInt(10)) {
                case 0 -> { // delete a run of characters
                    if (s.length() > 0) {
                        s.delete(at, Math.min(s.length(), at + 1 + rng.nextInt(8)));
                    }
                }
                case 1 -> { // duplicate a run
                    int end = Math.min(s.length(), at + 1 + rng.nextInt(16));
                    s.insert(at, s.substring(at, end));
                }
                case 2 -> { // swap two characters
                    if (s.length() > 1) {
                        int b = rng.nextInt(s.length());
                        char c = s.charAt(at);
                        s.setCharAt(at, s.charAt(b));
                        s.setCharAt(b, c);
                    }
                }
                case 3 -> s.setLength(at); // truncate
                case 4, 5 -> { // replace a token (the characters up to the next separator) by a value of another type
                    int end = at;
                    while (end < s.length() && ",:\n =[]{}".indexOf(s.charAt(end)) < 0) {
                        end++;
                    }
                    s.replace(at, end, TOKENS[rng.nextInt(TOKENS.length)]);
                }
                case 6 -> s.insert(at, TOKENS[rng.nextInt(TOKENS.length)]);
                case 7 -> { // a huge or tiny number where a digit was
                    int d = indexOfDigit(s, at);
                    if (d >= 0) {
                        s.insert(d, rng.nextBoolean() ? "99999999999999" : "0.0000000000000001e-");
                    }
                }
                case 8 -> { // binary junk
                    char[] junk = new char[1 + rng.nextInt(12)];
                    for (int i = 0; i < junk.length; i++) {
                        junk[i] = (char) rng.nextInt(0, 256);
                    }
                    s.insert(at, junk);
                }
                default -> { // a line dropped or repeated
                    int start = s.lastIndexOf("\n", at) + 1;
                    int end = s.indexOf("\n", at);
                    end = end < 0 ? s.length() : end + 1;
                    if (rng.nextBoolean()) {
                        s.delete(start, end);
                    } else {
                        s.insert(start, s.substring(start, end));
                    }
                }
            }
        }
        return rng.nextInt(50) == 0 ? "" : s.toString();
    }

    private static int indexOfDigit(CharSequence s, int from) {
        for (int i = 0; i < s.length(); i++) {
            int j = (from + i) % s.length();
            if (Character.isDigit(s.charAt(j))) {
                return j;
            }
        }
        return -1;
    }

    /**
     * Feeds {@code cases} mutations of the valid inputs to {@code parser} (the valid inputs themselves first, which must
     * parse), case k using seed {@code seed + k}; fails listing the seed and input of every failing case.
     *
     * @param limit    time limit of each case
     * @param accepted the exception types that count as a clear error (their message must not be blank)
     * @return how many cases the parser accepted and how many it rejected with a clear error, for reports
     */
    @SafeVarargs
    public static int[] check(String name, long seed, int cases, Duration limit, List<String> valid, Parser parser,
            Class<? extends Throwable>... accepted) {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            return t;
        });
        List<String> failures = new ArrayList<>();
        int ok = 0;
        int rejected = 0;
        try {
            for (String v : valid) {
                String outcome = run(pool, parser, v, limit, accepted);
                if (outcome != null) {
                    failures.add("the valid input failed: " + outcome + "\n" + v);
                }
            }
            for (int k = 0; k < cases && failures.size() < 5; k++) {
                SplittableRandom rng = new SplittableRandom(seed + k);
                String input = mutate(valid.get(rng.nextInt(valid.size())), rng);
                String outcome = run(pool, parser, input, limit, accepted);
                if (outcome == null) {
                    ok++;
                } else if (outcome.startsWith("rejected:")) {
                    rejected++;
                } else {
                    failures.add("seed " + (seed + k) + ": " + outcome + "\ninput: " + printable(input));
                    if (outcome.startsWith("hang")) {
                        pool.shutdownNow();
                        pool = Executors.newSingleThreadExecutor();
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(name + " fuzz: " + failures.size() + " failing case(s) (reproduce with Fuzz.mutate and "
                    + "the seed):\n" + String.join("\n\n", failures));
        }
        return new int[] {ok, rejected};
    }

    /** Null when parsed, "rejected: message" for an accepted error, else what went wrong. */
    private static String run(ExecutorService pool, Parser parser, String input, Duration limit,
            Class<? extends Throwable>[] accepted) {
        Future<?> f = pool.submit(() -> {
            parser.parse(input);
            return null;
        });
        try {
            f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            return "hang: no result within " + limit.toMillis() + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            for (Class<? extends Throwable> a : accepted) {
                if (a.isInstance(t)) {
                    return t.getMessage() == null || t.getMessage().isBlank() ? "an error without a message: " + t
                            : "rejected: " + t.getMessage();
                }
            }
            java.io.StringWriter w = new java.io.StringWriter();
            t.printStackTrace(new java.io.PrintWriter(w));
            return "unhandled " + w.toString().lines().limit(8).reduce((a, b) -> a + "\n" + b).orElse("");
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 32 && c != '\n' || c == 127 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.length() > 600 ? b.substring(0, 600) + "…" : b.toString();
    }

    /** The UTF-8 bytes of {@code s} (binary junk above 127 becomes multi-byte sequences, as an editor would write). */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
