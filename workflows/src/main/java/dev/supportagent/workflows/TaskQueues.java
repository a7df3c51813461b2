package dev.supportagent.workflows;

/** Task-queue names shared by the worker, the API and the tests. */
public final class TaskQueues {

  /** Conversation and escalation workflows, and their fast activities. */
  public static final String CONVERSATIONS = "support-conversations";

  /** Model calls only, so slow providers never starve the conversation queue. */
  public static final String LLM = "support-llm";

  /** Parsing, chunking and embedding: CPU-bound. */
  public static final String INGEST = "support-ingest";

  private TaskQueues() {}
}
