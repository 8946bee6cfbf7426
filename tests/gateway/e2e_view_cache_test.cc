// End to end: the view cache with all five services. A caller in a hurry gets
// a partial view in its time without cutting short the assembly others wait
// for; a kept view is dropped by a change through the gateway, not by a read
// (an export).
#include <signal.h>

#include <chrono>
#include <future>
#include <thread>

#include "e2e_fixture.h"

namespace vetrack::gateway {
namespace {

using GatewayStub = gw::GatewayService::Stub;

// The view's own deadline is long here, so that only a caller's deadline can
// cut an assembly short.
class SharedAssemblyViewsTest : public GatewayE2ETest {
 protected:
  std::vector<std::string> GatewayFlags() const override { return {"--view-deadline-ms=8000"}; }
};

// Found in review: a request that joined an assembly under way got a view cut
// to the deadline of the request that started it (a poller's short one). And
// the poller itself used to get DEADLINE_EXCEEDED: it now gets what is at
// hand in its time, partial.
TEST_F(SharedAssemblyViewsTest, AShortDeadlineGetsAPartialViewAndDoesNotCutShortTheOthers) {
  Pause(Process::kSchools);
  gw::GetDistrictOverviewRequest request;
  request.set_period_id(kQuarter);
  request.set_year(2024);
  auto user = As("coordinator");  // starts the shared assembly
  gw::DistrictOverview polled, view;
  std::promise<grpc::Status> first, second;
  gateway_->async()->GetDistrictOverview(user.get(), &request, &view,
                                         [&second](grpc::Status s) { second.set_value(s); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto poller = As("coordinator");
  // Well under the view's 8 s, with time for a sanitizer build's backends.
  poller->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(2500));
  gateway_->async()->GetDistrictOverview(poller.get(), &request, &polled,
                                         [&first](grpc::Status s) { first.set_value(s); });
  grpc::Status polled_status = first.get_future().get();
  Resume(Process::kSchools);
  grpc::Status status = second.get_future().get();  // before any ASSERT leaves
  ASSERT_TRUE(polled_status.ok()) << polled_status.error_message();
  EXPECT_TRUE(polled.partial());
  EXPECT_TRUE(Missing(polled.missing_sections(), "institutions"));
  EXPECT_EQ(polled.tasks_size(), 33);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(view.partial()) << view.missing_sections_size() << " sections missing";
  EXPECT_EQ(view.institutions_size(), 9);
}

// The other order: the poller's assembly is its own, so one who asks after it
// still waits for the whole view.
TEST_F(SharedAssemblyViewsTest, AnAssemblyCutAtAPollersTimeIsNotSharedWithThoseWhoWaitLonger) {
  Pause(Process::kSchools);
  gw::GetDistrictOverviewRequest request;
  request.set_period_id(kQuarter);
  request.set_year(2024);
  auto poller = As("coordinator");
  // Well under the view's 8 s, with time for a sanitizer build's backends.
  poller->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(2500));
  gw::DistrictOverview polled, view;
  std::promise<grpc::Status> first, second;
  gateway_->async()->GetDistrictOverview(poller.get(), &request, &polled,
                                         [&first](grpc::Status s) { first.set_value(s); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto user = As("coordinator");
  gateway_->async()->GetDistrictOverview(user.get(), &request, &view,
                                         [&second](grpc::Status s) { second.set_value(s); });
  grpc::Status polled_status = first.get_future().get();
  Resume(Process::kSchools);
  grpc::Status status = second.get_future().get();  // before any ASSERT leaves
  ASSERT_TRUE(polled_status.ok()) << polled_status.error_message();
  EXPECT_TRUE(polled.partial());
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(view.partial()) << view.missing_sections_size() << " sections missing";
  EXPECT_EQ(view.institutions_size(), 9);
}

// Views kept for a minute: only a change through the gateway drops them.
class KeptViewsTest : public GatewayE2ETest {
 protected:
  // A long view deadline too: a partial view (a slow sanitizer build) is not
  // kept, and the next one would see the filing for the wrong reason.
  std::vector<std::string> GatewayFlags() const override {
    return {"--view-cache-ms=60000", "--view-deadline-ms=8000"};
  }
};

// Found in review: an export (a read, audited) dropped every kept view as a
// change does.
TEST_F(KeptViewsTest, AChangeDropsTheKeptViewsAndAnExportDoesNot) {
  ASSERT_NO_FATAL_FAILURE(FinalRound2024());
  gw::GetDepartmentWorkbenchRequest request;
  request.set_unit("units/hrss");
  request.set_period_id(kQuarter);
  request.set_year(2024);
  auto task6_filed = [&] {
    gw::DepartmentWorkbench view;
    grpc::Status status =
        Call("department", "hrss", *gateway_, &GatewayStub::GetDepartmentWorkbench, request, &view);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(view.partial()) << "a partial view is not kept";
    for (const auto& t : view.tasks()) {
      if (t.number() == 6) return t.progress_filed();
    }
    ADD_FAILURE() << "no task 6 on hrss's workbench";
    return false;
  };
  EXPECT_FALSE(task6_filed());  // and now kept

  // hrss files around the gateway: the kept view cannot know.
  auto direct = Direct("department", "hrss");
  tasks_v1::FileProgressRequest filing;
  filing.set_task(kTask6);
  filing.set_period_id(kQuarter);
  filing.set_status(tasks_v1::PROGRESS_STATUS_ON_TRACK);
  filing.set_narrative("绕过网关");
  filing.set_request_id("direct-1");
  tasks_v1::Progress filed;
  grpc::Status status = direct_tasks_->FileProgress(direct.get(), filing, &filed);
  ASSERT_TRUE(status.ok()) << status.error_message();

  evaluation_v1::ExportRoundRequest export_request;
  export_request.set_round("rounds/2024-annual");
  export_request.set_format(evaluation_v1::EXPORT_FORMAT_JSON);
  evaluation_v1::ExportRoundResponse exported;
  status = Call("coordinator", "", *evaluation_,
                &evaluation_v1::EvaluationService::Stub::ExportRound, export_request, &exported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(task6_filed()) << "the export dropped the kept view";

  FileTask6("edu", "through-the-gateway");
  EXPECT_TRUE(task6_filed()) << "a change through the gateway left the kept view";
}

}  // namespace
}  // namespace vetrack::gateway
