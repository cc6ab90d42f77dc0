package org.mbrl4j.bilevel;

import java.util.List;
import org.mbrl4j.model.GaussianMlp;
import org.mbrl4j.model.ModelTrainer;
import org.mbrl4j.objective.MahalanobisReward;

/**
 * The outer level of arXiv 2510.07624: chooses the reward matrix U that a model trained by the PG objective should
 * optimise so that the result explains the data (maximum likelihood), and returns U with the model trained with it.
 * Progress is published as {@link org.mbrl4j.event.Event.RewardStep} events.
 */
public interface RewardLearner {

    /**
     * Learns U on {@code train} (and monitors {@code val} when not null).
     *
     * @param model a model of the wanted architecture, with its normalisers; learners train copies or fresh
     *              initialisations of it and never modify it
     * @param train training data in model space
     * @param val   validation data in model space, or null
     */
    Result learn(GaussianMlp model, ModelTrainer.Data train, ModelTrainer.Data val);

    /**
     * What a learner found.
     *
     * @param reward     the learned U
     * @param model      the model trained with it
     * @param trajectory the outer steps (empty for closed forms)
     */
    record Result(MahalanobisReward reward, GaussianMlp model, List<Step> trajectory) {
    }

    /**
     * One outer step.
     *
     * @param step          0-based outer step
     * @param u             U's scale when isotropic, else NaN
     * @param uNorm         ‖U‖_F
     * @param outerLoss     training NLL at the inner solution
     * @param hypergradNorm ‖dL_out/dφ‖
     * @param valNll        validation NLL at the inner solution (NaN without validation data)
     */
    record Step(int step, double u, double uNorm, double outerLoss, double hypergradNorm, double valNll) {
    }
}
