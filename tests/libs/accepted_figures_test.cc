// GetAcceptedFiguresOf against a school reporting served in-process: batches
// of at most a hundred, each entry answering its institution, a failed batch
// failing its own entries only, and one call per institution for a school
// reporting that has no batch method yet.
#include "rpc/accepted_figures.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace vetrack {
namespace {

namespace v1 = schools::v1;

class FakeSchoolReporting : public v1::SchoolReportingService::Service {
 public:
  // Batch calls from this one on (counted from 1) answer UNIMPLEMENTED, as a
  // school reporting from before BatchGetAcceptedFigures does; 0: never.
  int unimplemented_from = 0;
  int failing_batch = 0;       // this batch answers UNAVAILABLE
  int short_batch = 0;         // this batch leaves its last figures out
  std::string unknown;         // an institution school reporting does not know
  int too_large_batch = 0;     // this batch's answer would not fit one message
  bool endless_pages = false;  // ListInstitutions always hands out a next page

  // Institutions s0…s4, two per page.
  grpc::Status ListInstitutions(grpc::ServerContext*, const v1::ListInstitutionsRequest* req,
                                v1::ListInstitutionsResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++list_pages_;
    int first = req->page_token().empty() ? 0 : std::stoi(req->page_token());
    for (int i = first; i < first + 2 && i < 5; ++i) {
      resp->add_institutions()->set_code(absl::StrCat("s", i));
    }
    if (endless_pages || first + 2 < 5) resp->set_next_page_token(std::to_string(first + 2));
    return grpc::Status::OK;
  }

  grpc::Status GetAcceptedFigures(grpc::ServerContext*, const v1::GetAcceptedFiguresRequest* req,
                                  v1::AcceptedFigures* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++singles_;
    if (req->institution() == unknown) return grpc::Status(grpc::StatusCode::NOT_FOUND, unknown);
    *resp = FiguresOf(req->institution(), req->period_id());
    return grpc::Status::OK;
  }

  grpc::Status BatchGetAcceptedFigures(grpc::ServerContext*,
                                       const v1::BatchGetAcceptedFiguresRequest* req,
                                       v1::BatchGetAcceptedFiguresResponse* resp) override {
    std::lock_guard<std::mutex> lock(mu_);
    const int call = static_cast<int>(batch_sizes_.size()) + 1;
    batch_sizes_.push_back(req->institutions_size());
    if (unimplemented_from != 0 && call >= unimplemented_from) {
      return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "no such method");
    }
    if (call == failing_batch) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "Redis is down");
    if (call == too_large_batch) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "message larger than max");
    }
    for (const auto& institution : req->institutions()) {
      if (institution == unknown) return grpc::Status(grpc::StatusCode::NOT_FOUND, unknown);
    }
    int answered = req->institutions_size() - (call == short_batch ? 1 : 0);
    for (int i = 0; i < answered; ++i) {
      *resp->add_figures() = FiguresOf(req->institutions(i), req->period_id());
    }
    return grpc::Status::OK;
  }

  // Institution "institutions/s{n}" has n enrolled students.
  static v1::AcceptedFigures FiguresOf(const std::string& institution,
                                       const std::string& period_id) {
    v1::AcceptedFigures figures;
    figures.set_institution(institution);
    figures.set_period_id(period_id);
    figures.set_accepted(true);
    (*figures.mutable_counts())["enrolled_students"] =
        std::stoll(institution.substr(std::string("institutions/s").size()));
    return figures;
  }

  int list_pages() {
    std::lock_guard<std::mutex> lock(mu_);
    return list_pages_;
  }
  int singles() {
    std::lock_guard<std::mutex> lock(mu_);
    return singles_;
  }
  std::vector<int> batch_sizes() {
    std::lock_guard<std::mutex> lock(mu_);
    return batch_sizes_;
  }

 private:
  std::mutex mu_;
  int singles_ = 0;
  int list_pages_ = 0;
  std::vector<int> batch_sizes_;
};

class AcceptedFiguresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&fake_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::SchoolReportingService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  std::vector<absl::StatusOr<v1::AcceptedFigures>> Get(int institutions) {
    std::vector<std::string> codes;
    for (int i = 0; i < institutions; ++i) codes.push_back(absl::StrCat("s", i));
    return GetAcceptedFiguresOf(*stub_, codes, "ay2025", [](grpc::ClientContext* context) {
      context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    });
  }

  // Entry i is the figures of s{i}.
  static void ExpectAnswered(const std::vector<absl::StatusOr<v1::AcceptedFigures>>& got, int from,
                             int to) {
    for (int i = from; i < to; ++i) {
      ASSERT_TRUE(got[i].ok()) << i << ": " << got[i].status();
      EXPECT_EQ(got[i]->institution(), absl::StrCat("institutions/s", i));
      EXPECT_EQ(got[i]->period_id(), "ay2025");
      EXPECT_EQ(got[i]->counts().at("enrolled_students"), i);
    }
  }

  FakeSchoolReporting fake_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::SchoolReportingService::Stub> stub_;
};

TEST_F(AcceptedFiguresTest, AHundredAtMostPerBatchEachEntryAnsweringItsInstitution) {
  auto got = Get(250);
  ASSERT_EQ(got.size(), 250u);
  ExpectAnswered(got, 0, 250);
  EXPECT_EQ(fake_.batch_sizes(), (std::vector<int>{100, 100, 50}));
  EXPECT_EQ(fake_.singles(), 0);

  EXPECT_TRUE(Get(0).empty());
  EXPECT_EQ(fake_.batch_sizes().size(), 3u);  // nothing asked, no call
  ASSERT_EQ(Get(100).size(), 100u);
  EXPECT_EQ(fake_.batch_sizes().back(), 100);
}

TEST_F(AcceptedFiguresTest, AFailedBatchFailsItsOwnEntriesOnly) {
  fake_.failing_batch = 2;
  fake_.short_batch = 3;
  auto got = Get(250);
  ASSERT_EQ(got.size(), 250u);
  ExpectAnswered(got, 0, 100);
  for (int i = 100; i < 200; ++i) {
    EXPECT_EQ(got[i].status().code(), absl::StatusCode::kUnavailable) << i;
  }
  // An answer without a figure for every institution asked is no answer.
  for (int i = 200; i < 250; ++i) {
    EXPECT_EQ(got[i].status().code(), absl::StatusCode::kInternal) << i;
  }
}

// One institution school reporting does not know fails its own entry, not
// the hundred asked with it: that batch is asked again one by one.
TEST_F(AcceptedFiguresTest, AnUnknownInstitutionFailsItsOwnEntryOnly) {
  fake_.unknown = "institutions/s120";
  auto got = Get(250);
  ASSERT_EQ(got.size(), 250u);
  ExpectAnswered(got, 0, 120);
  EXPECT_EQ(got[120].status().code(), absl::StatusCode::kNotFound);
  ExpectAnswered(got, 121, 250);
  EXPECT_EQ(fake_.singles(), 100);  // the second batch's, one by one
  EXPECT_EQ(fake_.batch_sizes(), (std::vector<int>{100, 100, 50}));
}

// A batch whose answer would not fit one gRPC message is asked one
// institution at a time; the batches after it are not.
TEST_F(AcceptedFiguresTest, AnAnswerTooLargeForOneMessageIsAskedOneByOne) {
  fake_.too_large_batch = 1;
  auto got = Get(150);
  ASSERT_EQ(got.size(), 150u);
  ExpectAnswered(got, 0, 150);
  EXPECT_EQ(fake_.singles(), 100);
  EXPECT_EQ(fake_.batch_sizes(), (std::vector<int>{100, 50}));
}

TEST_F(AcceptedFiguresTest, ASchoolReportingWithoutBatchesIsAskedOneInstitutionAtATime) {
  fake_.unimplemented_from = 1;
  auto got = Get(7);
  ASSERT_EQ(got.size(), 7u);
  ExpectAnswered(got, 0, 7);
  EXPECT_EQ(fake_.singles(), 7);
  EXPECT_EQ(fake_.batch_sizes().size(), 1u);
}

// Rolled back between two batches: every institution is asked again, so
// none is left unanswered.
TEST_F(AcceptedFiguresTest, ABatchMethodGoneMidwayFallsBackForEveryInstitution) {
  fake_.unimplemented_from = 2;
  auto got = Get(150);
  ASSERT_EQ(got.size(), 150u);
  ExpectAnswered(got, 0, 150);
  EXPECT_EQ(fake_.singles(), 150);
}

TEST_F(AcceptedFiguresTest, TheInstitutionListIsFollowedToItsEndButNotWithoutEnd) {
  auto prepare = [](grpc::ClientContext* context) {
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  };
  auto listed = ListAllInstitutions(*stub_, prepare);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 5u);
  EXPECT_EQ((*listed)[4].code(), "s4");
  EXPECT_EQ(fake_.list_pages(), 3);

  // Found in review: the evaluation followed a broken school reporting's
  // tokens for as long as it handed them out.
  fake_.endless_pages = true;
  listed = ListAllInstitutions(*stub_, prepare);
  EXPECT_EQ(listed.status().code(), absl::StatusCode::kInternal) << listed.status();
  EXPECT_EQ(fake_.list_pages(), 3 + kMaxInstitutionPages);
}

}  // namespace
}  // namespace vetrack
