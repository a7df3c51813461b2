package dev.supportagent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.ingest.IngestionProgress;
import dev.supportagent.workflows.ingest.IngestionRequest;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflow;
import io.javalin.http.Context;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.util.UUID;
import java.util.regex.Pattern;

/** Starts and follows knowledge-base ingestions (admin only). */
public final class KnowledgeBaseController {

  private static final Pattern INGESTION_ID =
      Pattern.compile("kb-ingest-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._/-]{0,512}");
  private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");

  record StartBody(String source, Boolean fullRebuild, String alias) {}

  record Started(String ingestionId, String state) {}

  record Status(String ingestionId, String state, IngestionProgress progress) {}

  private final WorkflowClient temporal;
  private final ObjectMapper json;

  public KnowledgeBaseController(WorkflowClient temporal, ObjectMapper json) {
    this.temporal = temporal;
    this.json = json;
  }

  public void start(Context ctx) {
    StartBody body = body(ctx);
    String source = body.source() == null ? "" : body.source();
    if (!SOURCE.matcher(source).matches() || source.contains("..")) {
      throw ApiException.badRequest("source must be a folder below the worker's knowledge-base root");
    }
    if (body.alias() != null && !ALIAS.matcher(body.alias()).matches()) {
      throw ApiException.badRequest("alias must be lower-case letters, digits, - or _");
    }
    String id = "kb-ingest-" + UUID.randomUUID();
    KnowledgeIngestionWorkflow workflow =
        temporal.newWorkflowStub(
            KnowledgeIngestionWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.INGEST).build());
    WorkflowClient.start(
        workflow::run, new IngestionRequest(source, body.alias(), Boolean.TRUE.equals(body.fullRebuild())));
    ctx.status(202).json(new Started(id, "RUNNING"));
  }

  public void get(Context ctx) {
    String id = ctx.pathParam("id");
    if (!INGESTION_ID.matcher(id).matches()) {
      throw ApiException.notFound("no ingestion " + id);
    }
    try {
      WorkflowExecutionStatus status =
          temporal.newUntypedWorkflowStub(id).describe().getWorkflowExecutionInfo().getStatus();
      IngestionProgress progress = temporal.newWorkflowStub(KnowledgeIngestionWorkflow.class, id).getProgress();
      ctx.json(new Status(id, state(status), progress));
    } catch (WorkflowNotFoundException e) {
      throw ApiException.notFound("no ingestion " + id);
    }
  }

  private static String state(WorkflowExecutionStatus status) {
    return switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING -> "RUNNING";
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> "COMPLETED";
      default -> "FAILED";
    };
  }

  private StartBody body(Context ctx) {
    String raw = ctx.body();
    if (raw.isBlank()) {
      return new StartBody(null, null, null);
    }
    try {
      StartBody body = json.readValue(raw, StartBody.class);
      return body == null ? new StartBody(null, null, null) : body;
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON");
    }
  }
}
