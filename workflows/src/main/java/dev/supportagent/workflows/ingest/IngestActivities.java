package dev.supportagent.workflows.ingest;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The steps of an ingestion, run on the {@code support-ingest} queue. Ingestions page through the
 * source ({@link #chooseIndex}, {@link #planPage}, {@link #indexDocument}, {@link #deleteMissing},
 * {@link #publish}); {@link #listSource}, {@link #prepareIndex} and {@link #deleteDocuments} serve
 * ingestions started before paging, whose histories still call them.
 */
@ActivityInterface
public interface IngestActivities {

  /**
   * The alias's current index, or for a full rebuild (or when there is none yet) a new index named
   * after {@code runToken}, created with the mapping if missing. Idempotent: a retry finds the index
   * it created.
   */
  @ActivityMethod
  String chooseIndex(String alias, boolean fullRebuild, String runToken);

  /**
   * Up to {@code limit} documents of the source after document id {@code after} (null: from the
   * start), with the ones the index already holds unchanged counted as skipped. Reads only the
   * page's contents. Raises {@code INVALID_SOURCE} (non-retryable) when the source is missing,
   * outside the knowledge-base root, expired (an upload) or empty.
   */
  @ActivityMethod
  SourcePage planPage(String source, String index, String after, int limit);

  /**
   * Removes the chunks of every document the index holds and the source does not. Idempotent.
   * Returns how many documents were removed.
   */
  @ActivityMethod
  int deleteMissing(String source, String index);

  /**
   * Lists the source's files with their content hashes. Read-only. Raises {@code INVALID_SOURCE}
   * (non-retryable) when the folder is missing, outside the knowledge-base root or empty.
   */
  @ActivityMethod
  SourceListing listSource(String source);

  /**
   * Chooses the index to write: the alias's current index, or for a full rebuild (or when there is
   * none yet) a new index named after {@code runToken}, created with the mapping if missing.
   * Idempotent: a retry finds the index it created.
   */
  @ActivityMethod
  IndexPlan prepareIndex(String alias, boolean fullRebuild, String runToken);

  /**
   * Parses, chunks, embeds and writes one document, replacing its earlier chunks. A document that
   * cannot be parsed is returned with a failure reason, not raised. Idempotent: chunk ids are
   * {@code documentId#n}.
   */
  @ActivityMethod
  DocumentResult indexDocument(String source, String index, SourceDocument document);

  /** Removes every chunk of these documents. Idempotent. Returns how many documents had chunks. */
  @ActivityMethod
  int deleteDocuments(String index, List<String> documentIds);

  /** Makes the index searchable and points the alias at it, atomically; drops older indexes. */
  @ActivityMethod
  void publish(String alias, String index);
}
