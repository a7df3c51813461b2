package dev.supportagent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.supportagent.workflows.TaskQueues;
import dev.supportagent.workflows.ingest.IngestionProgress;
import dev.supportagent.workflows.ingest.IngestionRequest;
import dev.supportagent.workflows.ingest.KnowledgeIngestionWorkflow;
import dev.supportagent.workflows.ingest.Uploads;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Starts and follows knowledge-base ingestions (admin only): of a folder below the workers'
 * knowledge-base root (a JSON body), or of documents uploaded in a {@code multipart/form-data}
 * body (files in parts named {@code file}; each file name, which may hold a path such as {@code
 * billing/refunds.md}, becomes the document id). An upload adds to the current index, unless the
 * form field {@code fullRebuild} is {@code true}: then the uploaded documents alone make up a new
 * index that the alias moves to (how the answers suite swaps in a corpus from anywhere).
 */
public final class KnowledgeBaseController {

  private static final Pattern INGESTION_ID =
      Pattern.compile("kb-ingest-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._/-]{0,512}");
  private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9_-]{0,99}");

  record StartBody(String source, Boolean fullRebuild, String alias) {}

  /** Files in one upload at most. */
  static final int MAX_FILES = 1_000;
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._ -]+(/[A-Za-z0-9._ -]+)*");

  record Started(String ingestionId, String state) {}

  record Status(String ingestionId, String state, IngestionProgress progress) {}

  private final WorkflowClient temporal;
  private final ObjectMapper json;
  private final DocumentUploads uploads;

  public KnowledgeBaseController(WorkflowClient temporal, ObjectMapper json, DocumentUploads uploads) {
    this.temporal = temporal;
    this.json = json;
    this.uploads = uploads;
  }

  public void start(Context ctx) {
    if (ctx.isMultipartFormData()) {
      startUpload(ctx);
      return;
    }
    StartBody body = body(ctx);
    String source = body.source() == null ? "" : body.source();
    if (!SOURCE.matcher(source).matches() || source.contains("..")) {
      throw ApiException.badRequest("source must be a folder below the worker's knowledge-base root");
    }
    if (body.alias() != null && !ALIAS.matcher(body.alias()).matches()) {
      throw ApiException.badRequest("alias must be lower-case letters, digits, - or _");
    }
    startWorkflow(ctx, new IngestionRequest(source, body.alias(), Boolean.TRUE.equals(body.fullRebuild())));
  }

  private void startUpload(Context ctx) {
    String alias = ctx.formParam("alias");
    if (alias != null && !ALIAS.matcher(alias).matches()) {
      throw ApiException.badRequest("alias must be lower-case letters, digits, - or _");
    }
    List<UploadedFile> files = ctx.uploadedFiles("file");
    if (files.isEmpty()) {
      throw ApiException.badRequest("no files: send each document in a part named \"file\"");
    }
    if (files.size() > MAX_FILES) {
      throw ApiException.badRequest("at most " + MAX_FILES + " files per upload");
    }
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (UploadedFile file : files) {
      String name = file.filename() == null ? "" : file.filename().strip();
      if (!FILE_NAME.matcher(name).matches() || name.length() > 512 || List.of(name.split("/")).contains("..")) {
        throw ApiException.badRequest(
            "file name \"" + name + "\" must be a relative path of letters, digits, spaces, . _ - and /");
      }
      if (contents.containsKey(name)) {
        throw ApiException.badRequest("file \"" + name + "\" is sent twice");
      }
      contents.put(name, file.contentAndClose(in -> {
        try {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    String uploadId = UUID.randomUUID().toString();
    uploads.save(uploadId, contents);
    boolean fullRebuild = "true".equalsIgnoreCase(ctx.formParam("fullRebuild"));
    startWorkflow(ctx, new IngestionRequest(Uploads.SOURCE_PREFIX + uploadId, alias, fullRebuild));
  }

  private void startWorkflow(Context ctx, IngestionRequest request) {
    String id = "kb-ingest-" + UUID.randomUUID();
    KnowledgeIngestionWorkflow workflow =
        temporal.newWorkflowStub(
            KnowledgeIngestionWorkflow.class,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.INGEST).build());
    WorkflowClient.start(workflow::run, request);
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
