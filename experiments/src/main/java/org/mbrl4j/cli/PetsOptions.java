package org.mbrl4j.cli;

import java.util.List;
import org.mbrl4j.agents.Pets;
import picocli.CommandLine.Option;

/**
 * The sizes of a PETS run shared by {@code run pets} and {@code compare-objectives}: a named preset, {@code --quick},
 * then any size given explicitly (each overrides what the preset or {@code --quick} set).
 */
final class PetsOptions {
    @Option(names = "--preset", converter = PresetConverter.class,
            description = "Named sizes: default, mbrl-lib-halfcheetah, cpu-mujoco (default: default).")
    Pets.Preset preset;

    /** Presets by their lower-case names. */
    static final class PresetConverter implements picocli.CommandLine.ITypeConverter<Pets.Preset> {
        @Override
        public Pets.Preset convert(String value) {
            try {
                return Pets.Preset.of(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Option(names = "--quick", description = "A short run for tests and demos: 3 planning episodes, smaller planner and model.")
    boolean quick;

    @Option(names = "--ensemble", description = "Ensemble members (default 5).")
    Integer ensemble;

    @Option(names = "--hidden", split = ",", description = "Hidden layer sizes of each member (default 64,64,64).")
    List<Integer> hidden;

    @Option(names = "--particles", description = "Particles per candidate sequence (default 10).")
    Integer particles;

    @Option(names = "--horizon", description = "Planning horizon (default 15).")
    Integer horizon;

    @Option(names = "--population", description = "Planner population (default 200).")
    Integer population;

    @Option(names = "--iterations", description = "Planner iterations per plan (default 5).")
    Integer iterations;

    @Option(names = "--replan-every", description = "Environment steps between plans (default 1).")
    Integer replanEvery;

    @Option(names = "--model-epochs", description = "Model training epochs per episode (default 50).")
    Integer modelEpochs;

    @Option(names = "--random-episodes", description = "Random-policy episodes before planning (default 1).")
    Integer randomEpisodes;

    @Option(names = "--train-every", description = "Train the model every N collected steps, mid-episode too (default: before every planning episode).")
    Integer trainEvery;

    @Option(names = "--reward-head", description = "Plan with rewards from the world model's reward head instead of the task reward.")
    boolean rewardHead;

    @Option(names = "--learned-reward", hidden = true, description = "Renamed: --reward-head.")
    boolean learnedReward;

    @Option(names = "--checkpoint-every", description = "Checkpoint every N collected environment steps, besides every episode end (default 1000; 0: episode ends only).")
    Integer checkpointEvery;

    @Option(names = "--state-cost", split = ",", paramLabel = "TERM=WEIGHT",
            description = "Planning-only costs subtracted from the planning reward: INDEX=W weighs the square of an "
                    + "imagined observation dimension (e.g. 0=0.5 for the cart position of InvertedPendulum-v5), NAME=W "
                    + "one of the env's named costs (Acrobot-v1: tip-depth, MountainCar-v0: energy-gap) "
                    + "(default none; returns stay the env's).")
    List<String> stateCost;

    /** Planning episodes: {@code explicit} when given, else 3 with {@code --quick}, else 10. */
    int episodes(Integer explicit) {
        return explicit != null ? explicit : quick ? 3 : 10;
    }

    /** Parses {@code TERM=WEIGHT} pairs (which terms an environment accepts is checked when the run starts). */
    static java.util.Map<String, Double> stateCost(List<String> pairs) {
        java.util.Map<String, Double> m = new java.util.TreeMap<>();
        for (String p : pairs) {
            String[] kv = p.split("=", -1);
            try {
                String term = kv.length == 2 ? kv[0].trim() : "";
                if (!term.matches("\\d{1,9}|[a-z][a-z0-9-]*") || m.put(term, Double.parseDouble(kv[1].trim())) != null) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--state-cost '" + p + "' is not accepted; give TERM=WEIGHT pairs with "
                        + "distinct terms, each an observation index or a named cost of the env, e.g. 0=0.5,2=0.1 or "
                        + "tip-depth=1");
            }
        }
        return m;
    }

    /** Applies the preset, {@code --quick} and the explicit sizes, in that order. */
    Pets.Builder apply(Pets.Builder b) {
        if (preset != null) {
            b.optPreset(preset);
        }
        if (quick) {
            b.optPopulation(100).optParticles(5).optEnsembleSize(3).optModelEpochs(30);
        }
        if (ensemble != null) {
            b.optEnsembleSize(ensemble);
        }
        if (hidden != null) {
            b.optHidden(hidden.stream().mapToInt(Integer::intValue).toArray());
        }
        if (particles != null) {
            b.optParticles(particles);
        }
        if (horizon != null) {
            b.optHorizon(horizon);
        }
        if (population != null) {
            b.optPopulation(population);
        }
        if (iterations != null) {
            b.optCemIterations(iterations);
        }
        if (replanEvery != null) {
            b.optReplanEvery(replanEvery);
        }
        if (modelEpochs != null) {
            b.optModelEpochs(modelEpochs);
        }
        if (randomEpisodes != null) {
            b.optRandomEpisodes(randomEpisodes);
        }
        if (trainEvery != null) {
            b.optTrainEvery(trainEvery);
        }
        if (learnedReward) {
            throw new IllegalArgumentException("--learned-reward is now --reward-head (the model's reward head; --reward "
                    + "stays PG's Mahalanobis reward U)");
        }
        if (rewardHead) {
            b.optRewardHead(true);
        }
        if (checkpointEvery != null) {
            b.optCheckpointEvery(checkpointEvery);
        }
        if (stateCost != null) {
            b.optStateCost(stateCost(stateCost));
        }
        return b;
    }
}
