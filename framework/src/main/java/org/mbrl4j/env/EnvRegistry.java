package org.mbrl4j.env;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mbrl4j.plugin.Plugins;

/**
 * The registered environments, found through {@link EnvProvider} services, and {@link #make} which builds one the
 * way {@code gymnasium.make} does: the bare environment, then the spec's time limit, then order enforcing.
 */
public final class EnvRegistry {

    /** Option key of {@link #make} that overrides the spec's time limit (0 or negative: no limit). */
    public static final String MAX_EPISODE_STEPS = "max_episode_steps";

    private final Map<String, EnvSpec> specs;
    private final List<EnvProvider> providers;

    private EnvRegistry(Map<String, EnvSpec> specs, List<EnvProvider> providers) {
        this.specs = specs;
        this.providers = providers;
    }

    /** A registry of every environment contributed by providers visible to the context class loader. */
    public static EnvRegistry load() {
        List<EnvSpec> all = new ArrayList<>();
        List<EnvProvider> providers = new ArrayList<>();
        for (EnvProvider p : Plugins.load(EnvProvider.class)) {
            all.addAll(p.specs());
            providers.add(p);
        }
        EnvRegistry r = of(all);
        return new EnvRegistry(r.specs, providers);
    }

    /** A registry of exactly {@code specs}; duplicate ids are an error. */
    public static EnvRegistry of(Collection<EnvSpec> specs) {
        Map<String, EnvSpec> m = new TreeMap<>();
        for (EnvSpec s : specs) {
            EnvSpec old = m.put(s.id(), s);
            if (old != null) {
                throw new IllegalStateException("environment id " + s.id() + " is registered twice: by "
                        + old.entryPoint() + " and by " + s.entryPoint());
            }
        }
        return new EnvRegistry(m, List.of());
    }

    /** All specs, sorted by id. */
    public List<EnvSpec> specs() {
        return List.copyOf(specs.values());
    }

    /** Whether {@code id} is registered (or found by a provider on demand). */
    public boolean contains(String id) {
        return find(id) != null;
    }

    private EnvSpec find(String id) {
        EnvSpec s = specs.get(id);
        for (int i = 0; s == null && i < providers.size(); i++) {
            s = providers.get(i).find(id);
        }
        return s;
    }

    /** The spec of {@code id}, or an exception listing the registered ids closest to it. */
    public EnvSpec spec(String id) {
        EnvSpec s = find(id);
        if (s == null) {
            throw new IllegalArgumentException("unknown environment '" + id + "'; closest registered: "
                    + closest(id, 5) + " (" + specs.size() + " registered; `mbrl4j envs` lists them)");
        }
        return s;
    }

    /** {@link #make(String, Map)} without options. */
    public Env make(String id) {
        return make(id, Map.of());
    }

    /**
     * Makes {@code id}: the bare environment from {@code options} (minus {@value #MAX_EPISODE_STEPS}), wrapped in
     * {@link TimeLimit} when the spec or the option sets one, and in {@link OrderEnforcing}.
     */
    public Env make(String id, Map<String, Object> options) {
        EnvSpec spec = spec(id);
        Map<String, Object> kwargs = new LinkedHashMap<>(options);
        Integer limit = spec.maxEpisodeSteps();
        Object o = kwargs.remove(MAX_EPISODE_STEPS);
        if (o != null) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException(MAX_EPISODE_STEPS + " must be an integer, got " + o);
            }
            limit = n.intValue() > 0 ? n.intValue() : null;
        }
        if (spec.ownTimeLimit()) {
            if (o != null) {
                kwargs.put(MAX_EPISODE_STEPS, o);
            }
            return new OrderEnforcing(spec.factory().apply(kwargs));
        }
        Env env = spec.factory().apply(kwargs);
        if (limit != null) {
            env = new TimeLimit(env, limit);
        }
        return new OrderEnforcing(env);
    }

    /** Up to {@code k} registered ids ordered by edit distance to {@code id} (case-insensitive). */
    public List<String> closest(String id, int k) {
        Map<String, Integer> d = new HashMap<>();
        for (String s : specs.keySet()) {
            d.put(s, editDistance(id.toLowerCase(), s.toLowerCase()));
        }
        return specs.keySet().stream().sorted(Comparator.comparing((String s) -> d.get(s)).thenComparing(Comparator.naturalOrder())).limit(k).toList();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
