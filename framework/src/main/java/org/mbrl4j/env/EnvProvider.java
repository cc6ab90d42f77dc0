package org.mbrl4j.env;

import java.util.List;

/**
 * Service-provider interface through which jars contribute environments: implement it, list the class in
 * {@code META-INF/services/org.mbrl4j.env.EnvProvider}, and put the jar on the classpath.
 */
public interface EnvProvider {

    /** The environments this provider registers. */
    List<EnvSpec> specs();
}
