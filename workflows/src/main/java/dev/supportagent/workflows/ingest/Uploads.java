package dev.supportagent.workflows.ingest;

import java.time.Duration;

/**
 * Where documents uploaded through {@code POST /v1/kb/ingest} wait for the worker: a Redis hash per
 * upload (file name → bytes), written by the API and read by the ingestion activities. An ingestion
 * of an upload names its source {@code upload:<id>}.
 */
public final class Uploads {

  public static final String SOURCE_PREFIX = "upload:";
  /** Long enough for an ingestion to wait out a worker outage; the upload is gone after. */
  public static final Duration TTL = Duration.ofHours(24);

  private Uploads() {}

  public static String redisKey(String uploadId) {
    return "support:kb:upload:" + uploadId;
  }

  public static boolean isUpload(String source) {
    return source != null && source.startsWith(SOURCE_PREFIX);
  }

  public static String uploadId(String source) {
    return source.substring(SOURCE_PREFIX.length());
  }
}
