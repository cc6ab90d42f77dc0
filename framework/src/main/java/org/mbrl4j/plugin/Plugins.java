package org.mbrl4j.plugin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The one way mbrl4j finds its extensions (environments, objectives, planners, agents, sweep engines): the
 * {@code META-INF/services} entries visible to the service's own class loader, then those only the thread's context
 * class loader sees (a plugin jar loaded at run time, as the launcher's {@code plugins/} directory and the tests do).
 */
public final class Plugins {
    private Plugins() {
    }

    /** Every provider of {@code service}, each implementation class once, the class path's first. */
    public static <P> List<P> load(Class<P> service) {
        List<P> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ClassLoader ctx = Thread.currentThread().getContextClassLoader();
        for (ClassLoader cl : ctx == null || ctx == service.getClassLoader() ? List.of(service.getClassLoader())
                : List.of(service.getClassLoader(), ctx)) {
            for (P p : ServiceLoader.load(service, cl)) {
                if (seen.add(p.getClass().getName())) {
                    all.add(p);
                }
            }
        }
        return all;
    }

    /** Every provider of {@code service} by its id; of two with one id, the class path's wins. */
    public static <P> TreeMap<String, P> byId(Class<P> service, Function<P, String> id) {
        TreeMap<String, P> byId = new TreeMap<>();
        for (P p : load(service)) {
            byId.putIfAbsent(id.apply(p), p);
        }
        return byId;
    }
}
