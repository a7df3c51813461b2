package dev.supportagent.activities.model.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The question embeddings of one knowledge base version and prompt version, searched by a full
 * scan: at the cache's size bound a scan of contiguous float arrays takes about a millisecond
 * (measured by {@code deploy/local/eval cache}), which needs no vector search module. Thread-safe:
 * scans run in parallel, changes one at a time.
 *
 * <p>Vectors must be unit length ({@link Vectors#unit}) and all of one dimension.
 */
public final class VectorIndex {

  /** A stored question and its cosine similarity to the query. */
  public record Match(String id, double similarity, long storedAt) {}

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Integer> slots = new HashMap<>();
  private int dimensions = -1;
  private float[] data = new float[0];
  private String[] ids = new String[0];
  private long[] storedAt = new long[0];
  private long[] sequence = new long[0];
  private long nextSequence;
  private int size;

  /**
   * Adds or replaces {@code id}'s vector.
   *
   * @param storedAt when it was stored, in the unit the caller uses for expiry; the oldest is
   *     evicted first, ties in the order of insertion
   */
  public void put(String id, long storedAt, float[] unitVector) {
    lock.writeLock().lock();
    try {
      if (dimensions < 0) {
        dimensions = unitVector.length;
      } else if (unitVector.length != dimensions) {
        throw new IllegalArgumentException("expected " + dimensions + " dimensions, got " + unitVector.length);
      }
      Integer slot = slots.get(id);
      if (slot == null) {
        slot = size++;
        grow(size);
        slots.put(id, slot);
        ids[slot] = id;
      }
      System.arraycopy(unitVector, 0, data, slot * dimensions, dimensions);
      this.storedAt[slot] = storedAt;
      sequence[slot] = nextSequence++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public boolean remove(String id) {
    lock.writeLock().lock();
    try {
      Integer slot = slots.remove(id);
      if (slot == null) {
        return false;
      }
      int last = --size;
      if (slot != last) {
        System.arraycopy(data, last * dimensions, data, slot * dimensions, dimensions);
        ids[slot] = ids[last];
        storedAt[slot] = storedAt[last];
        sequence[slot] = sequence[last];
        slots.put(ids[slot], slot);
      }
      ids[last] = null;
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes every vector stored before {@code cutoff}; returns their ids. */
  public List<String> removeStoredBefore(long cutoff) {
    lock.writeLock().lock();
    try {
      List<String> old = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        if (storedAt[i] < cutoff) {
          old.add(ids[i]);
        }
      }
      old.forEach(this::remove);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Evicts the oldest vectors until at most {@code keep} remain; returns their ids. */
  public List<String> evictOldest(int keep) {
    lock.writeLock().lock();
    try {
      if (size <= keep) {
        return List.of();
      }
      Integer[] order = new Integer[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      Arrays.sort(order, Comparator.<Integer>comparingLong(i -> storedAt[i]).thenComparingLong(i -> sequence[i]));
      List<String> evicted = new ArrayList<>();
      for (int i = 0; i < size - keep; i++) {
        evicted.add(ids[order[i]]);
      }
      evicted.forEach(this::remove);
      return evicted;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * The at most {@code limit} vectors most similar to {@code query} with a similarity of at least
   * {@code minSimilarity}, most similar first.
   */
  public List<Match> nearest(float[] query, double minSimilarity, int limit) {
    lock.readLock().lock();
    try {
      if (size == 0 || limit < 1) {
        return List.of();
      }
      if (query.length != dimensions) {
        throw new IllegalArgumentException("expected " + dimensions + " dimensions, got " + query.length);
      }
      PriorityQueue<Match> best = new PriorityQueue<>(Comparator.comparingDouble(Match::similarity));
      int d = dimensions;
      for (int i = 0; i < size; i++) {
        double sum = dot(data, i * d, query);
        if (sum >= minSimilarity && (best.size() < limit || sum > best.peek().similarity())) {
          best.add(new Match(ids[i], sum, storedAt[i]));
          if (best.size() > limit) {
            best.poll();
          }
        }
      }
      List<Match> out = new ArrayList<>(best);
      out.sort(Comparator.comparingDouble(Match::similarity).reversed());
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The dot product of {@code query} with the vector at {@code offset}: four independent partial
   * sums, so the processor overlaps the multiplications (a single running sum makes each wait for
   * the last); float precision is ample for cosines compared to two decimals.
   */
  private static double dot(float[] data, int offset, float[] query) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int n = query.length;
    int k = 0;
    for (; k + 3 < n; k += 4) {
      s0 += data[offset + k] * query[k];
      s1 += data[offset + k + 1] * query[k + 1];
      s2 += data[offset + k + 2] * query[k + 2];
      s3 += data[offset + k + 3] * query[k + 3];
    }
    for (; k < n; k++) {
      s0 += data[offset + k] * query[k];
    }
    return (double) s0 + s1 + s2 + s3;
  }

  public boolean contains(String id) {
    lock.readLock().lock();
    try {
      return slots.containsKey(id);
    } finally {
      lock.readLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  private void grow(int needed) {
    if (needed <= ids.length) {
      return;
    }
    int capacity = Math.max(16, Math.max(needed, ids.length * 2));
    data = Arrays.copyOf(data, capacity * dimensions);
    ids = Arrays.copyOf(ids, capacity);
    storedAt = Arrays.copyOf(storedAt, capacity);
    sequence = Arrays.copyOf(sequence, capacity);
  }
}
