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
        List<?> list = field(doc, "members", List.class, file, "");
        for (int k = 0; k < list.size(); k++) {
            String where = "members[" + k + "].";
            if (!(list.get(k) instanceof Map<?, ?> e)) {
                throw new IllegalArgumentException(file + ": field 'members[" + k + "]' must be an object, got " + list.get(k));
            }
            GaussianMlp m;
            try {
                m = GaussianMlp.fromArchitecture(field(e, "architecture", Map.class, file, where),
                        new java.util.SplittableRandom(0));
            } catch (ClassCastException | NullPointerException bad) {
                throw new IllegalArgumentException(file + ": field '" + where + "architecture' is malformed (" + bad.getMessage()
                        + ")", bad);
            }
            double[] p = decode(field(e, "params", String.class, file, where), file, where + "params");
            if (p.length != m.numParams()) {
                throw new IllegalArgumentException(file + ": a member has " + p.length + " parameters, its architecture "
                        + m.numParams());
            }
            m.setParams(p);
            m.setInputNormalizer(normalizer(e.get("input_normalizer"), file, where + "input_normalizer"));
            m.setTargetNormalizer(normalizer(e.get("target_normalizer"), file, where + "target_normalizer"));
            members.add(m);
        }
        Map<String, Object> settings = doc.get("settings") == null ? Map.of() : field(doc, "settings", Map.class, file, "");
        Map<String, Object> provenance = doc.get("provenance") == null ? Map.of()
                : field(doc, "provenance", Map.class, file, "");
        return new Checkpoint(members, settings, new Provenance(provenance));
    }

    /** Field {@code key} of {@code m} as a {@code type}; missing or mistyped fails naming the file and the field. */
    @SuppressWarnings("unchecked")
    static <T> T field(Map<?, ?> m, String key, Class<? super T> type, Path file, String where) {
        Object v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException(file + ": field '" + where + key + "' is missing");
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException(file + ": field '" + where + key + "' must be a "
                    + type.getSimpleName().toLowerCase(java.util.Locale.ROOT) + ", got " + v);
        }
        return (T) v;
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

    private static Normalizer normalizer(Object o, Path file, String where) {
        if (o == null) {
            return null;
        }
        if (!(o instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException(file + ": field '" + where + "' must be an object, got " + o);
        }
        return new Normalizer(decode(field(m, "mean", String.class, file, where + "."), file, where + ".mean"),
                decode(field(m, "std", String.class, file, where + "."), file, where + ".std"));
    }

    private static double[] decode(String s, Path file, String field) {
        try {
            return decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": field '" + field + "' is not base64 little-endian doubles: "
                    + e.getMessage(), e);
        }
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
