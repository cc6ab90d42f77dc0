package org.mbrl4j.env;

import java.util.List;

/**
 * Service-provider interface through which jars contribute environments: implement it, list the class in
 * {@code META-INF/services/org.mbrl4j.env.EnvProvider}, and put the jar on the classpath.
 */
public interface EnvProvider {

    /** The environments this provider registers (listed by {@code mbrl4j envs}). */
    List<EnvSpec> specs();

    /**
     * A spec for an id this provider can make on demand although it is not listed (e.g. any Gymnasium id under a
     * prefix), or null.
     */
    default EnvSpec find(String id) {
        return null;
    }
}
