package org.mbrl4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mbrl4j.model.ModelTrainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Does a second thread halve ND4J's sgemm time on this machine? The model step's data-parallel shards assume so. Ten
 * 10000×64·64×64 products split over 1 or 2 Java threads (one ND4J/OpenBLAS thread each, disjoint arrays), and for
 * comparison a pure-Java floating-point loop of similar length; p10 / median / p90 of 150 rounds after 50 of warm-up.
 */
public final class GemmThreads {
    private GemmThreads() {
    }

    /** Args: none. Prints one line per (kind, threads). */
    public static void main(String[] args) throws Exception {
        ModelTrainer.setNd4jThreads(1);
        for (int threads : new int[] {1, 2, 1, 2}) {
            report("sgemm", threads, gemm(threads));
            report("java loop", threads, loop(threads));
        }
    }

    private static void report(String kind, int threads, double[] ms) {
        double[] s = Arrays.copyOfRange(ms, 50, ms.length);
        Arrays.sort(s);
        System.out.printf("| %s | %d | %.2f | %.2f | %.2f |%n", kind, threads, s[s.length / 10], s[s.length / 2],
                s[s.length * 9 / 10]);
    }

    private static double[] rounds(int threads, java.util.function.IntFunction<Runnable> work) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            Runnable[] tasks = new Runnable[threads];
            for (int k = 0; k < threads; k++) {
                tasks[k] = work.apply(k);
            }
            double[] t = new double[200];
            for (int r = 0; r < t.length; r++) {
                long t0 = System.nanoTime();
                List<Future<?>> fs = new ArrayList<>();
                for (Runnable task : tasks) {
                    fs.add(ex.submit(task));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                t[r] = (System.nanoTime() - t0) / 1e6;
            }
            return t;
        } finally {
            ex.shutdown();
        }
    }

    private static double[] gemm(int threads) throws Exception {
        int rows = 10_000 / threads;
        return rounds(threads, k -> {
            INDArray x = Nd4j.rand(DataType.FLOAT, rows, 64);
            INDArray w = Nd4j.rand(DataType.FLOAT, 64, 64);
            INDArray z = Nd4j.create(DataType.FLOAT, rows, 64);
            return () -> {
                for (int i = 0; i < 10; i++) {
                    Nd4j.gemm(x, w, z, false, false, 1.0, 0.0);
                }
            };
        });
    }

    private static double[] loop(int threads) throws Exception {
        double[] sink = new double[threads];
        return rounds(threads, k -> () -> {
            double s = 0;
            for (int i = 0; i < 8_000_000 / threads; i++) {
                s += Math.sqrt(i + s * 1e-9);
            }
            sink[k] = s;
        });
    }
}
