#ifndef VETRACK_SERVICES_GATEWAY_UNIT_DIRECTORY_H_
#define VETRACK_SERVICES_GATEWAY_UNIT_DIRECTORY_H_

#include <mutex>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/principal.h"
#include "backends.h"
#include "clock/clock.h"

namespace vetrack::gateway {

// The units a department's or a school's token may name.
struct KnownUnits {
  std::set<std::string> departments;
  std::set<std::string> schools;
};

class UnitSource {
 public:
  virtual ~UnitSource() = default;
  virtual absl::StatusOr<KnownUnits> Read() = 0;
};

// Departments as the task registry lists its units; schools as school
// reporting lists its institutions, and the registry its school units (an
// institution added after the plan was loaded is a school too).
class BackendUnitSource : public UnitSource {
 public:
  explicit BackendUnitSource(Backends& backends, absl::Duration timeout = absl::Seconds(2))
      : backends_(backends), timeout_(timeout) {}
  absl::StatusOr<KnownUnits> Read() override;

 private:
  Backends& backends_;
  const absl::Duration timeout_;
};

// Whether a token's principal names a unit of its role's kind. A token is
// signed, so this guards against issuing mistakes, not forgeries: a token
// for "department:cqvie" would read every school's reports with a
// department's rights, and one for "school:hrss" would file 区人力社保局's
// progress. Units change only when the plan or the institutions are loaded
// again, so the copy held is read again only when a principal names a unit
// it lacks, at most once per `reread_after`. The caller that finds it due
// reads it (a gRPC callback thread, for at most the source's timeout, once
// per `reread_after` in all); callers meanwhile never wait for that read:
// they are judged on the copy held. Until a copy holds the plan's
// departments (never read, or read before the plan was loaded), a failed or
// empty read is retried after a second, not `reread_after`, and Prime reads
// ahead of the first caller.
class UnitDirectory {
 public:
  UnitDirectory(UnitSource& source, const Clock& clock,
                absl::Duration reread_after = absl::Seconds(10))
      : source_(source), clock_(clock), reread_after_(reread_after) {}

  // OK for the roles that name no unit. UNAUTHENTICATED when a department
  // or a school names a unit the units list as the other kind, or as
  // neither. UNAVAILABLE for a department or a school while the units have
  // never been read (the task registry or school reporting away since
  // start-up): its token cannot be checked, and passing it unchecked would
  // let the mistakes through that this guards against.
  absl::Status Check(const Principal& principal) const;
  // Reads the units while no copy holds the departments, at most once a
  // second: called on the probe thread (ServerOptions::on_probe), so that
  // after start or an outage the first department's or school's call finds
  // them read instead of being refused (found in use: 4 of 8 calls at once
  // just after start were UNAVAILABLE, and after school reporting came
  // back every call was refused for 10 s).
  void Prime() const;

 private:
  enum class Verdict { kKnown, kOtherKind, kUnknown, kUnread };
  Verdict Look(const Principal& principal) const;
  // Reads the units unless another caller is reading, or did less than
  // `reread_after` ago (a second while the copy holds no departments).
  void Reread() const;

  UnitSource& source_;
  const Clock& clock_;
  const absl::Duration reread_after_;
  mutable std::mutex read_mu_;  // one read at a time; others do not wait
  mutable std::mutex mu_;       // the copy
  mutable KnownUnits known_;
  mutable bool read_ = false;
  mutable absl::Time tried_at_ = absl::InfinitePast();
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_UNIT_DIRECTORY_H_
