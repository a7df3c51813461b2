package dev.supportagent.evaluation.bench;

import dev.supportagent.activities.ingest.KnowledgeBaseIndexer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * A corpus grown to a chunk count by copying a source corpus: copy {@code n} of a document is
 * {@code copy-NNNNN/<its id>}, with its content changed slightly (the Markdown title, or an added
 * line) so that every copy has a content hash of its own and its chunks embed to distinct vectors.
 */
final class CorpusReplica {

  /** A document of the source corpus: its id (path relative to the corpus) and its bytes. */
  record Source(String documentId, byte[] content) {}

  /** A copy of a source document and how many chunks the pipeline makes of it. */
  record Copy(String documentId, byte[] content, int chunks) {

    String contentHash() {
      return KnowledgeBaseIndexer.contentHash(content);
    }
  }

  private CorpusReplica() {}

  /**
   * Copies of the sources, in order (every source of copy 0, then of copy 1, ...), until their
   * chunks, as {@code chunks} counts them, reach {@code target}; the last copy may go past it.
   * Throws {@link IllegalArgumentException} when the sources make no chunks at all.
   */
  static List<Copy> replicate(List<Source> sources, long target, ToIntFunction<Copy> chunks) {
    List<Copy> copies = new ArrayList<>();
    long total = 0;
    for (int n = 0; total < target; n++) {
      long before = total;
      for (Source source : sources) {
        Copy copy = copy(source, n);
        copy = new Copy(copy.documentId(), copy.content(), chunks.applyAsInt(copy));
        copies.add(copy);
        total += copy.chunks();
        if (total >= target) {
          break;
        }
      }
      if (total == before) {
        throw new IllegalArgumentException("the source corpus makes no chunks");
      }
    }
    return copies;
  }

  /** How many leading copies fit in {@code chunks} chunks: the largest such prefix. */
  static int prefix(List<Copy> copies, long chunks) {
    long total = 0;
    for (int i = 0; i < copies.size(); i++) {
      total += copies.get(i).chunks();
      if (total > chunks) {
        return i;
      }
    }
    return copies.size();
  }

  static long chunks(List<Copy> copies) {
    return copies.stream().mapToLong(Copy::chunks).sum();
  }

  /** Copy {@code n} of {@code source}, its chunks not counted yet. */
  static Copy copy(Source source, int n) {
    String mark = String.format(Locale.ROOT, "%05d", n);
    return new Copy("copy-" + mark + "/" + source.documentId(), vary(source, mark), 0);
  }

  /**
   * Markdown gets the mark in its first title, so every chunk (embedded with its title) changes;
   * HTML and text get a closing line, PDF a trailing comment (its text stays as it was).
   */
  private static byte[] vary(Source source, String mark) {
    String id = source.documentId().toLowerCase(Locale.ROOT);
    if (id.endsWith(".pdf")) {
      return concat(source.content(), ("\n%revision " + mark + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    String text = new String(source.content(), StandardCharsets.UTF_8);
    if (id.endsWith(".md") || id.endsWith(".markdown")) {
      int title = text.startsWith("# ") ? 0 : text.indexOf("\n# ");
      if (title >= 0) {
        int end = text.indexOf('\n', title == 0 ? 0 : title + 1);
        end = end < 0 ? text.length() : end;
        return (text.substring(0, end).stripTrailing() + " (revision " + mark + ")" + text.substring(end))
            .getBytes(StandardCharsets.UTF_8);
      }
    }
    if (id.endsWith(".html") || id.endsWith(".htm")) {
      return (text + "\n<p>Revision " + mark + ".</p>\n").getBytes(StandardCharsets.UTF_8);
    }
    return (text + "\n\nRevision " + mark + ".\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
