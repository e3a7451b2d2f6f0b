package io.berth.worker.coordination;

import java.util.Map;
import java.util.Optional;

/**
 * The little a durable store must do for Berth's intents: versioned reads and compare-and-set writes, so hosts (or
 * threads) that record the same intent at once merge instead of overwriting each other.
 */
interface DurableMap {
  /** A value and the version it was read at; version 0 means absent. */
  record Versioned(String value, long version) {}

  Optional<Versioned> get(String key);

  /** Writes {@code value} if the key is still at {@code expectedVersion} (0: absent); false when it moved on. */
  boolean putIfVersion(String key, long expectedVersion, String value);

  void delete(String key);

  /** Deletes the key only if it still holds exactly {@code expectedValue}: a clean-up that cannot undo a newer write. */
  boolean deleteIfValue(String key, String expectedValue);

  /** Every key (without the prefix stripped) and value under a prefix. */
  Map<String, String> list(String prefix);
}
