#ifndef VETRACK_TESTS_TRAINING_LEDGER_FAKE_SCHOOL_REPORTING_H_
#define VETRACK_TESTS_TRAINING_LEDGER_FAKE_SCHOOL_REPORTING_H_

#include <condition_variable>
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
  // An institution imported after the start.
  void AddInstitution(const std::string& code);
  // While down, ListInstitutions answers UNAVAILABLE.
  void SetDown(bool down);
  // While hung, ListInstitutions answers nothing until the caller's deadline.
  void SetHung(bool hung);
  // Listings begun (first pages asked for), and ListInstitutions calls still
  // under way.
  int list_calls();
  int lists_in_flight();
  // "role[:unit]" of every GetAcceptedFigures call, as its metadata said.
  std::vector<std::string> callers();
  // From now on each GetAcceptedFigures call waits (up to a second) until
  // `calls` are in flight together, so calls made one after another show as
  // at most one at a time in max_in_flight().
  void GatherCalls(int calls);
  int max_in_flight();

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  int gather_ = 0;
  int in_flight_ = 0;
  int max_in_flight_ = 0;
  std::map<std::pair<std::string, std::string>, int64_t> enrolled_;
  std::vector<std::string> added_;
  bool down_ = false;
  bool hung_ = false;
  int list_calls_ = 0;
  int lists_in_flight_ = 0;
  std::vector<std::string> callers_;
};

}  // namespace vetrack::ledger::testing

#endif  // VETRACK_TESTS_TRAINING_LEDGER_FAKE_SCHOOL_REPORTING_H_
