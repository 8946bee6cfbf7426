#ifndef VETRACK_LIBS_EXCHANGE_OUTBOX_H_
#define VETRACK_LIBS_EXCHANGE_OUTBOX_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/struct.pb.h"

// The outbox of accepted changes the exchange worker delivers to the
// municipal platforms (services/exchange/SCHEMA.md describes the payload).
//
// A service that accepts something the municipality needs appends one entry
// to its outbox list in the same atomic write that accepts it, so an accepted
// change can never be missed. The list lives in the service's own Redis; the
// exchange worker only reads it and keeps its checkpoint beside it.
namespace vetrack::exchange {

inline constexpr char kSchemaVersion[] = "vetrack.exchange.v1";
// 行政区划代码 of 江津区, Chongqing.
inline constexpr char kDistrictCode[] = "500116";

// The outbox list of `source` (a service name such as "task-registry").
std::string OutboxKey(absl::string_view source);

// One accepted change as the JSON text delivered in a batch. `change_id` is
// unique per acceptance (a resource name and its version), so a receiver can
// recognise the same change in two batches.
std::string OutboxEntry(absl::string_view source, absl::string_view kind,
                        absl::string_view change_id, absl::Time accepted_time,
                        const google::protobuf::Struct& data);

// Building an entry's data: a string, a number, and an enum's name as the
// schema writes it, without its type prefix ("RESULT_STATUS_MET" -> "MET").
google::protobuf::Value TextValue(absl::string_view text);
// A time as the schema writes every time: RFC 3339 in UTC, to the second.
std::string TimeText(absl::Time time);
google::protobuf::Value NumberValue(double number);
std::string EnumWord(absl::string_view enum_name, absl::string_view prefix);

// The fields that name an institution the way the municipality does, the same
// in every kind: institution_code (the district's code), institution_name,
// school_id_code (学校标识码) and credit_code (统一社会信用代码), the last two
// empty while not yet imported.
void SetInstitutionFields(absl::string_view code, absl::string_view name,
                          absl::string_view school_id_code, absl::string_view credit_code,
                          google::protobuf::Struct* data);

}  // namespace vetrack::exchange

#endif  // VETRACK_LIBS_EXCHANGE_OUTBOX_H_
