#ifndef VETRACK_LIBS_REDIS_STORED_ENTITY_H_
#define VETRACK_LIBS_REDIS_STORED_ENTITY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "redis/atomic_write.h"

// Proto entities kept as versioned hashes (atomic_write.h), with the version
// as the entity's etag: a store reads them with DecodeStored and writes them
// with EncodeWithoutEtag, so the etag never goes stale inside the bytes.
// T is a generated message with a string `etag` field.
namespace vetrack::redis {

// An entity as stored, with its version (the etag's source).
template <typename T>
struct Stored {
  T value;
  int64_t version = 0;
};

// The entity of a read that may have found none, without its version.
template <typename T>
std::optional<T> ValueOf(const std::optional<Stored<T>>& stored) {
  if (!stored.has_value()) return std::nullopt;
  return stored->value;
}

// An entity to write, guarded: the write fails with ABORTED unless the stored
// version is still `expected_version` (0: must not exist yet). The store
// writes it as version expected_version + 1.
template <typename T>
struct GuardedPut {
  T value;
  int64_t expected_version = 0;
};

template <typename T>
absl::StatusOr<T> DecodeMessage(const std::string& bytes) {
  T message;
  if (!message.ParseFromString(bytes)) return absl::DataLossError("stored entity does not parse");
  return message;
}

// Decodes a stored entity and sets its etag from the version.
template <typename T>
absl::StatusOr<Stored<T>> DecodeStored(const Versioned& stored) {
  absl::StatusOr<T> message = DecodeMessage<T>(stored.data);
  if (!message.ok()) return message.status();
  message->set_etag(std::to_string(stored.version));
  return Stored<T>{*std::move(message), stored.version};
}

template <typename T>
absl::StatusOr<std::optional<Stored<T>>> DecodeStoredOptional(
    const std::optional<Versioned>& stored) {
  if (!stored.has_value()) return std::optional<Stored<T>>();
  absl::StatusOr<Stored<T>> decoded = DecodeStored<T>(*stored);
  if (!decoded.ok()) return decoded.status();
  return std::optional<Stored<T>>(*std::move(decoded));
}

// Serializes with the etag cleared: the version, not the bytes, carries it.
template <typename T>
std::string EncodeWithoutEtag(T message) {
  message.clear_etag();
  return message.SerializeAsString();
}

}  // namespace vetrack::redis

#endif  // VETRACK_LIBS_REDIS_STORED_ENTITY_H_
