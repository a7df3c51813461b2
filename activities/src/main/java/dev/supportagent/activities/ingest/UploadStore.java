package dev.supportagent.activities.ingest;

import dev.supportagent.workflows.ingest.Uploads;
import java.util.List;
import java.util.Map;
import org.redisson.api.RMap;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/** Reads documents uploaded through the API from Redis ({@link Uploads}). */
public interface UploadStore {

  /** The upload's file names in order; empty when the upload does not exist or has expired. */
  List<String> names(String uploadId);

  /** One file's bytes, or null when it is gone. */
  byte[] read(String uploadId, String name);

  /** The store the API writes to. */
  static UploadStore redis(RedissonClient redis) {
    CompositeCodec codec = new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE);
    return new UploadStore() {
      private RMap<String, byte[]> map(String uploadId) {
        return redis.getMap(Uploads.redisKey(uploadId), codec);
      }

      @Override
      public List<String> names(String uploadId) {
        return map(uploadId).readAllKeySet().stream().sorted().toList();
      }

      @Override
      public byte[] read(String uploadId, String name) {
        return map(uploadId).get(name);
      }
    };
  }

  /** Files held in memory, for tests and the command line. */
  static UploadStore of(Map<String, Map<String, byte[]>> uploads) {
    return new UploadStore() {
      @Override
      public List<String> names(String uploadId) {
        return uploads.getOrDefault(uploadId, Map.of()).keySet().stream().sorted().toList();
      }

      @Override
      public byte[] read(String uploadId, String name) {
        return uploads.getOrDefault(uploadId, Map.of()).get(name);
      }
    };
  }
}
