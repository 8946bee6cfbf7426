#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_VALIDATION_CHECKS_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_VALIDATION_CHECKS_H_

#include <string>

#include "names.h"
#include "status/errors.h"
#include "vetrack/schools/v1/schools.pb.h"

// The field checks the request validators share (validation.cc for the
// reference data and data reports, validation_quality.cc for quality
// reports and spot checks). Each adds what is wrong to `v`, naming `field`.
namespace vetrack::schools {

void CheckRequestId(Violations& v, const std::string& request_id);
void CheckPageSize(Violations& v, int page_size);
void CheckType(Violations& v, const std::string& field, int type);
void CheckState(Violations& v, int state);
void CheckReport(Violations& v, const std::string& field, const std::string& name, ReportKind kind);
void CheckPeriodOfKind(Violations& v, const std::string& field, const std::string& period_id,
                       v1::PeriodKind kind);
// A decision of ACCEPT (nothing returned) or RETURN (at least one item, each
// with a reason).
void CheckReview(Violations& v, v1::ReviewDecision decision,
                 const google::protobuf::RepeatedPtrField<v1::ItemReturn>& returns);
// [a-z0-9_], 1–64 characters.
bool IsKey(const std::string& key);
bool IsSha256Hex(const std::string& text);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_VALIDATION_CHECKS_H_
