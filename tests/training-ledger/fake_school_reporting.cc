#include "fake_school_reporting.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/numbers.h"

namespace vetrack::ledger::testing {
namespace {

namespace schools = ::vetrack::schools::v1;

// The plan's nine institutions, and one that opens in 2099: it is in the
// directory but in no statement of a year the tests use (first_year).
const std::vector<std::string>& Codes() {
  static const auto* codes =
      new std::vector<std::string>{"cqcjjg", "cqdxzy", "cqepc",  "cqgsxx", "cqgyzy",
                                   "cqjnzx", "cqjtjg", "cqjtzy", "cqvie",  "cqxjxy"};
  return *codes;
}
constexpr char kOpensLater[] = "cqxjxy";

std::string Metadata(const grpc::ServerContext& ctx, const std::string& key) {
  auto it = ctx.client_metadata().find(key);
  if (it == ctx.client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

grpc::Status FakeSchoolReporting::ListInstitutions(grpc::ServerContext* ctx,
                                                   const schools::ListInstitutionsRequest* req,
                                                   schools::ListInstitutionsResponse* resp) {
  std::vector<std::string> codes = Codes();
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (req->page_token().empty()) ++list_calls_;
    if (hung_) {
      ++lists_in_flight_;
      while (hung_ && !ctx->IsCancelled()) arrived_.wait_for(lock, std::chrono::milliseconds(10));
      --lists_in_flight_;
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "school reporting hung");
    }
    if (down_) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "school reporting is down");
    codes.insert(codes.end(), added_.begin(), added_.end());
  }
  size_t offset = 0;
  if (!req->page_token().empty() && !absl::SimpleAtoi(req->page_token(), &offset)) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "bad page token");
  }
  const size_t page = 4;  // fewer than asked for
  for (size_t i = offset; i < codes.size() && i < offset + page; ++i) {
    auto* institution = resp->add_institutions();
    institution->set_code(codes[i]);
    institution->set_name("institutions/" + codes[i]);
    if (codes[i] == kOpensLater) institution->set_first_year(2099);
  }
  if (offset + page < codes.size()) resp->set_next_page_token(std::to_string(offset + page));
  return grpc::Status::OK;
}

void FakeSchoolReporting::AddInstitution(const std::string& code) {
  std::lock_guard<std::mutex> lock(mu_);
  added_.push_back(code);
}

void FakeSchoolReporting::SetHung(bool hung) {
  std::lock_guard<std::mutex> lock(mu_);
  hung_ = hung;
}

int FakeSchoolReporting::list_calls() {
  std::lock_guard<std::mutex> lock(mu_);
  return list_calls_;
}

int FakeSchoolReporting::lists_in_flight() {
  std::lock_guard<std::mutex> lock(mu_);
  return lists_in_flight_;
}

void FakeSchoolReporting::SetDown(bool down) {
  std::lock_guard<std::mutex> lock(mu_);
  down_ = down;
}

grpc::Status FakeSchoolReporting::GetAcceptedFigures(grpc::ServerContext* ctx,
                                                     const schools::GetAcceptedFiguresRequest* req,
                                                     schools::AcceptedFigures* resp) {
  std::unique_lock<std::mutex> lock(mu_);
  max_in_flight_ = std::max(max_in_flight_, ++in_flight_);
  arrived_.notify_all();
  arrived_.wait_for(lock, std::chrono::seconds(1), [&] { return in_flight_ >= gather_; });
  --in_flight_;
  const std::string unit = Metadata(*ctx, "x-vetrack-unit");
  callers_.push_back(Metadata(*ctx, "x-vetrack-role") + (unit.empty() ? "" : ":" + unit));
  resp->set_institution(req->institution());
  resp->set_period_id(req->period_id());
  auto it = enrolled_.find({req->institution(), req->period_id()});
  if (it == enrolled_.end()) return grpc::Status::OK;
  resp->set_accepted(true);
  resp->set_revision(3);
  (*resp->mutable_counts())["enrolled_students"] = it->second;
  return grpc::Status::OK;
}

void FakeSchoolReporting::Accept(const std::string& code, const std::string& period,
                                 int64_t students) {
  std::lock_guard<std::mutex> lock(mu_);
  enrolled_[{"institutions/" + code, period}] = students;
}

void FakeSchoolReporting::GatherCalls(int calls) {
  std::lock_guard<std::mutex> lock(mu_);
  gather_ = calls;
  max_in_flight_ = 0;
}

int FakeSchoolReporting::max_in_flight() {
  std::lock_guard<std::mutex> lock(mu_);
  return max_in_flight_;
}

std::vector<std::string> FakeSchoolReporting::callers() {
  std::lock_guard<std::mutex> lock(mu_);
  return callers_;
}

}  // namespace vetrack::ledger::testing
