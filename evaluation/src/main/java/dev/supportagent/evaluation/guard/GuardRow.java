package dev.supportagent.evaluation.guard;

/** One row of a guard dataset: {@code attack} must be blocked, {@code benign} must not. */
public record GuardRow(int line, String id, String text, boolean attack, String source) {}
