package org.mbrl4j.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mbrl4j.data.AtomicFile;
import org.mbrl4j.event.Provenance;

/**
 * One JSON file holding one or more {@link GaussianMlp}s (an ensemble's members) with their architecture,
 * normalisers and weights (little-endian float64, base64), plus extra model settings and the provenance. Written to a
 * temporary file and moved into place, so a crash never leaves a half-written checkpoint.
 *
 * @param members    the models, in order
 * @param settings   extra settings of the model they form (e.g. ensemble elites, delta targets)
 * @param provenance where they came from
 */
public record Checkpoint(List<GaussianMlp> members, Map<String, Object> settings, Provenance provenance) {
    /** Format version written into every file. */
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Writes the checkpoint to {@code file} atomically. */
    public void save(Path file) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "mbrl4j-checkpoint");
        doc.put("version", FORMAT);
        doc.put("settings", settings);
        List<Map<String, Object>> ms = new ArrayList<>();
        for (GaussianMlp m : members) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("architecture", m.architecture());
            e.put("input_normalizer", normalizer(m.inputNormalizer()));
            e.put("target_normalizer", normalizer(m.targetNormalizer()));
            e.put("params", encode(m.getParams()));
            ms.add(e);
        }
        doc.put("members", ms);
        doc.put("provenance", provenance == null ? Map.of() : provenance.values());
        AtomicFile.write(file, out -> JSON.writeValue(out, doc));
    }

    /** Reads a checkpoint written by {@link #save}; fails with the file named when it is missing or malformed. */
    @SuppressWarnings("unchecked")
    public static Checkpoint load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("checkpoint " + file + " does not exist");
        }
        Map<String, Object> doc;
        try {
            doc = JSON.readValue(file.toFile(), Map.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!"mbrl4j-checkpoint".equals(doc.get("format"))) {
            throw new IllegalArgumentException(file + " is not an mbrl4j checkpoint (no \"format\": \"mbrl4j-checkpoint\")");
        }
        if (!(doc.get("version") instanceof Number v) || v.intValue() > FORMAT) {
            throw new IllegalArgumentException(file + " has checkpoint version " + doc.get("version") + "; this build reads up to "
                    + FORMAT);
        }
        List<GaussianMlp> members = new ArrayList<>();
        for (Object o : (List<Object>) doc.get("members")) {
            Map<String, Object> e = (Map<String, Object>) o;
            GaussianMlp m = GaussianMlp.fromArchitecture((Map<String, Object>) e.get("architecture"),
                    new java.util.SplittableRandom(0));
            double[] p = decode((String) e.get("params"));
            if (p.length != m.numParams()) {
                throw new IllegalArgumentException(file + ": a member has " + p.length + " parameters, its architecture "
                        + m.numParams());
            }
            m.setParams(p);
            m.setInputNormalizer(normalizer(e.get("input_normalizer")));
            m.setTargetNormalizer(normalizer(e.get("target_normalizer")));
            members.add(m);
        }
        Map<String, Object> settings = (Map<String, Object>) doc.getOrDefault("settings", Map.of());
        return new Checkpoint(members, settings, new Provenance((Map<String, Object>) doc.getOrDefault("provenance", Map.of())));
    }

    private static Object normalizer(Normalizer n) {
        if (n == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", encode(n.mean()));
        m.put("std", encode(n.std()));
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Normalizer normalizer(Object o) {
        if (o == null) {
            return null;
        }
        Map<String, Object> m = (Map<String, Object>) o;
        return new Normalizer(decode((String) m.get("mean")), decode((String) m.get("std")));
    }

    static String encode(double[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            b.putDouble(x);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    static double[] decode(String s) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s)).order(ByteOrder.LITTLE_ENDIAN);
        double[] v = new double[b.remaining() / 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getDouble();
        }
        return v;
    }
}
