#ifndef VETRACK_SERVICES_SCHOOL_REPORTING_EXCHANGE_ENTRY_H_
#define VETRACK_SERVICES_SCHOOL_REPORTING_EXCHANGE_ENTRY_H_

#include <string>

#include "absl/time/time.h"
#include "vetrack/schools/v1/schools.pb.h"

namespace vetrack::schools {

// The outbox list school reporting appends accepted reports to.
std::string SchoolReportingOutboxKey();

// The exchange entry (schema vetrack.exchange.v1, kind "data_report.accepted")
// for the accepted `revision` of `report`, filed by `institution`.
std::string AcceptedDataReportEntry(const v1::Institution& institution,
                                    const v1::DataReport& report, const v1::DataReport& revision,
                                    absl::Time accepted_time);

// The exchange entry (kind "quality_report.accepted") for the accepted
// `revision` of the quality report (质量年报) `report`.
std::string AcceptedQualityReportEntry(const v1::Institution& institution,
                                       const v1::QualityReport& report,
                                       const v1::QualityReport& revision, absl::Time accepted_time);

}  // namespace vetrack::schools

#endif  // VETRACK_SERVICES_SCHOOL_REPORTING_EXCHANGE_ENTRY_H_
