package dev.supportagent.activities.ingest;

/**
 * A piece of a document to embed and index.
 *
 * @param section the heading path inside the document ("Refunds > Annual plans"), or null
 */
public record Chunk(String documentId, String title, String section, int index, String text) {

  /** The text that is embedded and searched: title and section give a passage its context. */
  public String embeddingText() {
    return section == null ? title + "\n" + text : title + " > " + section + "\n" + text;
  }
}
