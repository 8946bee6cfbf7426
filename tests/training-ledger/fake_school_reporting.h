#ifndef VETRACK_TESTS_TRAINING_LEDGER_FAKE_SCHOOL_REPORTING_H_
#define VETRACK_TESTS_TRAINING_LEDGER_FAKE_SCHOOL_REPORTING_H_

#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "vetrack/schools/v1/schools.grpc.pb.h"

namespace vetrack::ledger::testing {

// School reporting as far as the ledger uses it, served by the test itself:
// the nine institutions, a few per page (the ledger must follow page
// tokens), and accepted enrolment per (institution, academic year).
class FakeSchoolReporting final : public ::vetrack::schools::v1::SchoolReportingService::Service {
 public:
  grpc::Status ListInstitutions(grpc::ServerContext* ctx,
                                const ::vetrack::schools::v1::ListInstitutionsRequest* req,
                                ::vetrack::schools::v1::ListInstitutionsResponse* resp) override;
  grpc::Status GetAcceptedFigures(grpc::ServerContext* ctx,
                                  const ::vetrack::schools::v1::GetAcceptedFiguresRequest* req,
                                  ::vetrack::schools::v1::AcceptedFigures* resp) override;

  void Accept(const std::string& code, const std::string& period, int64_t students);
  // "role[:unit]" of every GetAcceptedFigures call, as its metadata said.
  std::vector<std::string> callers();

 private:
  std::mutex mu_;
  std::map<std::pair<std::string, std::string>, int64_t> enrolled_;
  std::vector<std::string> callers_;
};

}  // namespace vetrack::ledger::testing

#endif  // VETRACK_TESTS_TRAINING_LEDGER_FAKE_SCHOOL_REPORTING_H_
