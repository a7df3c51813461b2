package dev.supportagent.api;

import dev.supportagent.workflows.ingest.Uploads;
import java.util.Map;
import org.redisson.api.RBatch;
import org.redisson.api.RMapAsync;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.ByteArrayCodec;
import org.redisson.client.codec.StringCodec;
import org.redisson.codec.CompositeCodec;

/** Keeps uploaded documents where the ingestion workers read them ({@link Uploads}). */
public interface DocumentUploads {

  /** Stores the files (name → bytes) under {@code uploadId}, for {@link Uploads#TTL}. */
  void save(String uploadId, Map<String, byte[]> files);

  /** Redis: one hash per upload, written with its expiry in one batch. */
  static DocumentUploads redis(RedissonClient redis) {
    CompositeCodec codec = new CompositeCodec(StringCodec.INSTANCE, ByteArrayCodec.INSTANCE);
    return (uploadId, files) -> {
      RBatch batch = redis.createBatch();
      RMapAsync<String, byte[]> map = batch.getMap(Uploads.redisKey(uploadId), codec);
      map.putAllAsync(files);
      map.expireAsync(Uploads.TTL);
      batch.execute();
    };
  }
}
