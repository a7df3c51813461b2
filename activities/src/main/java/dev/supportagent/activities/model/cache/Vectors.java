package dev.supportagent.activities.model.cache;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Unit vectors and their compact form: float32, little-endian, 4 bytes a dimension. */
public final class Vectors {

  private Vectors() {}

  /** {@code v} scaled to length 1 (a copy); the zero vector stays zero. */
  public static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    double scale = 1 / Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] * scale);
    }
    return out;
  }

  /** The cosine similarity of two unit vectors of the same length: their dot product. */
  public static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  public static byte[] toBytes(float[] v) {
    ByteBuffer buffer = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(v);
    return buffer.array();
  }

  /** The vector of {@link #toBytes}; throws {@link IllegalArgumentException} on a length that is not a multiple of 4. */
  public static float[] fromBytes(byte[] bytes) {
    if (bytes.length % Float.BYTES != 0) {
      throw new IllegalArgumentException("not float32 data: " + bytes.length + " bytes");
    }
    float[] v = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    return v;
  }
}
