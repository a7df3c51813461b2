package dev.supportagent.evaluation.canary;

/**
 * What the turn log says of one arm of an A/B split (a prompt version or a model) over the canary's
 * window.
 *
 * @param turns turns answered by this arm
 * @param rated turns the customer rated
 * @param negative ratings that were "down"
 * @param escalated turns that handed the conversation to a person
 * @param guardTrips turns where an input or output scanner did anything but allow
 * @param costMean mean cost of a turn, USD
 * @param costSd standard deviation of a turn's cost
 * @param grounded turns with a grounding score
 * @param groundingMean their mean score (0 to 1)
 * @param groundingSd its standard deviation
 */
public record ArmStats(
    String arm,
    long turns,
    long rated,
    long negative,
    long escalated,
    long guardTrips,
    double costMean,
    double costSd,
    long grounded,
    double groundingMean,
    double groundingSd) {}
