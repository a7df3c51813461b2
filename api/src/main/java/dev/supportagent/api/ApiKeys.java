package dev.supportagent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * API keys, held only as SHA-256 hashes. Configured as {@code name:role:sha256hex} entries
 * separated by commas; the raw keys never reach the API's environment.
 */
public final class ApiKeys {

  /** Who is calling: the key's name and role. */
  public record Principal(String keyName, Role role) {}

  private final Map<String, Principal> byHash;

  private ApiKeys(Map<String, Principal> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  public static ApiKeys of(Map<String, Principal> byHash) {
    return new ApiKeys(byHash);
  }

  public static ApiKeys parse(String spec) {
    Map<String, Principal> byHash = new HashMap<>();
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.strip().split(":");
      if (parts.length != 3) {
        throw new IllegalArgumentException("entry '" + parts[0] + ":...' is not name:role:sha256hex");
      }
      String hash = parts[2].toLowerCase(Locale.ROOT);
      if (!hash.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("the hash of key '" + parts[0] + "' is not 64 hex digits");
      }
      byHash.put(hash, new Principal(parts[0], Role.parse(parts[1])));
    }
    if (byHash.isEmpty()) {
      throw new IllegalArgumentException("no keys configured");
    }
    return new ApiKeys(byHash);
  }

  /** The principal of a presented raw key, if it is one of ours. */
  public Optional<Principal> authenticate(String rawKey) {
    if (rawKey == null || rawKey.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byHash.get(sha256(rawKey.strip())));
  }

  public static String sha256(String s) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
