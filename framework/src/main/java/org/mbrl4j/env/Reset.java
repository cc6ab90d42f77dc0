package org.mbrl4j.env;

import java.util.Map;

/**
 * The result of {@link Env#reset}: the first observation of an episode and an info map.
 *
 * @param observation the initial observation
 * @param info        auxiliary diagnostics; never null
 */
public record Reset(double[] observation, Map<String, Object> info) {

    /** Normalises a null info to an empty map. */
    public Reset {
        info = info == null ? Map.of() : info;
    }
}
