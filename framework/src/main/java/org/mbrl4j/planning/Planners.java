package org.mbrl4j.planning;

import java.util.TreeMap;
import java.util.stream.Collectors;
import org.mbrl4j.env.Box;
import org.mbrl4j.env.Discrete;
import org.mbrl4j.env.Space;
import org.mbrl4j.plugin.Plugins;

/**
 * The registered trajectory optimisers ({@link PlannerProvider} services on the class path and the context class
 * loader), and the six built in: {@code cem}, {@code icem}, {@code mppi} and {@code random} (random shooting with
 * population × iterations samples) over bounded boxes, {@code cem-discrete} and {@code random-discrete} over discrete
 * actions.
 */
public final class Planners {
    private Planners() {
    }

    /** Every registered provider by id. */
    public static TreeMap<String, PlannerProvider> registered() {
        return Plugins.byId(PlannerProvider.class, PlannerProvider::id);
    }

    /**
     * The provider {@code id}, checked against the action space of {@code envName}; an unknown id or a space it does
     * not plan over fails naming what was asked and what is accepted.
     */
    public static PlannerProvider find(String id, Space actions, String envName) {
        TreeMap<String, PlannerProvider> all = registered();
        PlannerProvider p = all.get(id);
        if (p == null) {
            throw new IllegalArgumentException("planner '" + id + "' is unknown; registered: " + String.join(", ", all.keySet()));
        }
        if (actions != null && !p.accepts(actions)) {
            String fit = all.values().stream().filter(q -> q.accepts(actions)).map(PlannerProvider::id)
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(id + " plans over " + p.accepted() + "; " + envName + " has " + actions
                    + "; accepted: " + (fit.isEmpty() ? "none registered" : fit));
        }
        return p;
    }

    /** The planner used when none is named: {@code cem-discrete} for discrete actions, else {@code cem}. */
    public static String defaultFor(Space actions) {
        return actions instanceof Discrete ? "cem-discrete" : "cem";
    }

    /** Creates planner {@code id} for {@code settings} (see {@link #find}). */
    public static TrajectoryOptimizer create(String id, PlannerProvider.Settings settings, String envName) {
        return find(id, settings.actions(), envName).create(settings);
    }

    /** What the built-in providers share: an id, and the action spaces they plan over. */
    abstract static class BuiltIn implements PlannerProvider {
        private final String id;
        private final String accepted;
        private final java.util.function.Predicate<Space> accepts;

        BuiltIn(String id, String accepted, java.util.function.Predicate<Space> accepts) {
            this.id = id;
            this.accepted = accepted;
            this.accepts = accepts;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String accepted() {
            return accepted;
        }

        @Override
        public boolean accepts(Space actions) {
            return accepts.test(actions);
        }
    }

    /** The built-in planners over bounded boxes. */
    public static class BoxPlanners extends BuiltIn {
        BoxPlanners(String id) {
            super(id, "bounded Box actions", PlannerProvider::boundedBox);
        }

        @Override
        public TrajectoryOptimizer create(Settings s) {
            Box box = (Box) s.actions();
            return switch (id()) {
                case "cem" -> Cem.builder().setHorizon(s.horizon()).setActionBounds(box.low(), box.high())
                        .optPopulation(s.population()).optIterations(s.iterations()).optListener(s.listener()).build();
                case "icem" -> ICem.builder().setHorizon(s.horizon()).setActionBounds(box.low(), box.high())
                        .optPopulation(s.population()).optElites(Math.max(1, s.population() / 20))
                        .optIterations(s.iterations()).optListener(s.listener()).build();
                case "mppi" -> Mppi.builder().setHorizon(s.horizon()).setActionBounds(box.low(), box.high())
                        .optPopulation(s.population()).optIterations(s.iterations()).optListener(s.listener()).build();
                case "random" -> RandomShooting.builder().setHorizon(s.horizon()).setActionBounds(box.low(), box.high())
                        .optPopulation(s.population() * s.iterations()).optListener(s.listener()).build();
                default -> throw new IllegalStateException("no built-in planner " + id());
            };
        }

        /** {@code cem}: the cross-entropy method (PETS). */
        public static final class CemProvider extends BoxPlanners {
            /** Registered as a service. */
            public CemProvider() {
                super("cem");
            }
        }

        /** {@code icem}: improved CEM (coloured noise, elite keeping, shrinking population). */
        public static final class ICemProvider extends BoxPlanners {
            /** Registered as a service. */
            public ICemProvider() {
                super("icem");
            }
        }

        /** {@code mppi}: model-predictive path integral. */
        public static final class MppiProvider extends BoxPlanners {
            /** Registered as a service. */
            public MppiProvider() {
                super("mppi");
            }
        }

        /** {@code random}: random shooting with population × iterations samples. */
        public static final class RandomProvider extends BoxPlanners {
            /** Registered as a service. */
            public RandomProvider() {
                super("random");
            }
        }
    }

    /** The built-in planners over discrete actions: {@link CategoricalCem} and categorical random shooting. */
    public static class DiscretePlanners extends BuiltIn {
        DiscretePlanners(String id) {
            super(id, "Discrete actions", actions -> actions instanceof Discrete d && d.n() >= 2);
        }

        @Override
        public TrajectoryOptimizer create(Settings s) {
            CategoricalCem.Builder b = CategoricalCem.builder().setHorizon(s.horizon()).setActions((Discrete) s.actions())
                    .optListener(s.listener());
            return switch (id()) {
                case "cem-discrete" -> b.optPopulation(s.population()).optElites(Math.max(1, s.population() / 10))
                        .optIterations(s.iterations()).build();
                case "random-discrete" -> b.optPopulation(s.population() * s.iterations()).optElites(1).optIterations(1)
                        .build();
                case "mppi-discrete" -> b.optPopulation(s.population()).optIterations(s.iterations()).optGamma(10)
                        .build();
                default -> throw new IllegalStateException("no built-in planner " + id());
            };
        }

        /** {@code cem-discrete}: the cross-entropy method over per-step categorical distributions. */
        public static final class CemDiscreteProvider extends DiscretePlanners {
            /** Registered as a service. */
            public CemDiscreteProvider() {
                super("cem-discrete");
            }
        }

        /** {@code mppi-discrete}: MPPI's reward-weighted update (γ = 10, as {@code mppi}) over categorical steps. */
        public static final class MppiDiscreteProvider extends DiscretePlanners {
            /** Registered as a service. */
            public MppiDiscreteProvider() {
                super("mppi-discrete");
            }
        }

        /** {@code random-discrete}: random shooting over categorical sequences, population × iterations samples. */
        public static final class RandomDiscreteProvider extends DiscretePlanners {
            /** Registered as a service. */
            public RandomDiscreteProvider() {
                super("random-discrete");
            }
        }
    }
}
