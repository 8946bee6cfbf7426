// 督办 notices through the gateway: the coordinator issues one, the unit sees
// it on its workbench and answers it, the overview counts both, and the
// audit trail names the task. And who is chased for a quarter when a task's
// units are corrected after it.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "redis/redis_client.h"

namespace vetrack::gateway {
namespace {

using GatewayStub = gw::GatewayService::Stub;
using TasksStub = tasks_v1::TaskRegistryService::Stub;

class NoticesE2ETest : public GatewayE2ETest {
 protected:
  // The red escalations of the overview: how many, with a notice, unanswered.
  gw::EscalationLevelCount Red() {
    gw::GetDistrictOverviewRequest request;
    request.set_period_id(kQuarter);
    request.set_year(2024);
    gw::DistrictOverview view;
    grpc::Status status =
        Call("coordinator", "", *gateway_, &GatewayStub::GetDistrictOverview, request, &view);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& c : view.escalations_by_level()) {
      if (c.level() == tasks_v1::ESCALATION_LEVEL_RED) return c;
    }
    ADD_FAILURE() << "no red count";
    return {};
  }

  // edu's escalation for its filing on task 6 in kQuarter, as its workbench shows it.
  tasks_v1::Escalation EduOnTask6() {
    gw::GetDepartmentWorkbenchRequest request;
    request.set_unit("units/edu");
    request.set_period_id(kQuarter);
    request.set_year(2024);
    gw::DepartmentWorkbench view;
    grpc::Status status =
        Call("department", "edu", *gateway_, &GatewayStub::GetDepartmentWorkbench, request, &view);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& e : view.escalations()) {
      if (e.task() == kTask6 && e.period_id() == kQuarter && e.owed() == "PROGRESS") return e;
    }
    ADD_FAILURE() << "edu owes no filing on task 6";
    return {};
  }
};

TEST_F(NoticesE2ETest, AnIssuedNoticeShowsInTheViewsUntilItsUnitAnswersIt) {
  // The views list escalations since the district began tracking the plan
  // (TaskStore::TrackedSince); here it has since before kQuarter, as if the
  // catalog had been loaded then, so that kQuarter's are listed whatever the
  // date today.
  redis::Client redis(redis_.options());
  ASSERT_TRUE(redis.Command({"SADD", "vt:tr:tracked-quarters:jiangjin-vet-2021", "2025-Q1"}).ok());

  const gw::EscalationLevelCount before = Red();
  ASSERT_GT(before.escalations(), 0) << kQuarter << " is long overdue";
  EXPECT_EQ(before.with_notice(), 0);
  EXPECT_TRUE(EduOnTask6().notice().empty());

  tasks_v1::IssueNoticeRequest issue;
  issue.set_task(kTask6);
  issue.set_period_id(kQuarter);
  issue.set_unit("edu");
  issue.set_owed("PROGRESS");
  issue.set_message("请即报送二季度进展");
  issue.set_request_id("notice-edu-6");
  tasks_v1::Notice notice;
  grpc::Status refused =
      Call("department", "hrss", *tasks_, &TasksStub::IssueNotice, issue, &notice);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status issued = Call("coordinator", "", *tasks_, &TasksStub::IssueNotice, issue, &notice);
  ASSERT_TRUE(issued.ok()) << issued.error_message();
  EXPECT_EQ(notice.level(), tasks_v1::ESCALATION_LEVEL_RED);

  tasks_v1::Escalation shown = EduOnTask6();
  EXPECT_EQ(shown.notice(), notice.name());
  EXPECT_EQ(shown.notice_state(), tasks_v1::NOTICE_STATE_ISSUED);
  gw::EscalationLevelCount red = Red();
  EXPECT_EQ(red.escalations(), before.escalations());
  EXPECT_EQ(red.with_notice(), 1);
  EXPECT_EQ(red.notice_unanswered(), 1);

  tasks_v1::AcknowledgeNoticeRequest answer;
  answer.set_name(notice.name());
  answer.set_response("本周内报送");
  answer.set_request_id("answer-edu-6");
  tasks_v1::Notice answered;
  grpc::Status by_other =
      Call("department", "hrss", *tasks_, &TasksStub::AcknowledgeNotice, answer, &answered);
  EXPECT_EQ(by_other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status ok =
      Call("department", "edu", *tasks_, &TasksStub::AcknowledgeNotice, answer, &answered);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(answered.state(), tasks_v1::NOTICE_STATE_ACKNOWLEDGED);
  EXPECT_EQ(EduOnTask6().notice_state(), tasks_v1::NOTICE_STATE_ACKNOWLEDGED);
  red = Red();
  EXPECT_EQ(red.with_notice(), 1);
  EXPECT_EQ(red.notice_unanswered(), 0);

  bool issue_audited = false, answer_audited = false;
  for (const auto& entry : AuditTrail()) {
    if (absl::EndsWith(entry.method(), "/IssueNotice") && entry.resource() == kTask6) {
      issue_audited = true;
    }
    if (absl::EndsWith(entry.method(), "/AcknowledgeNotice") && entry.resource() == notice.name()) {
      answer_audited = true;
    }
  }
  EXPECT_TRUE(issue_audited);
  EXPECT_TRUE(answer_audited);
}

// A correction made today answers for today's quarter on: kQuarter's
// dossier and workbenches keep the units that answered for it.
TEST_F(NoticesE2ETest, ACorrectionLeavesEarlierQuartersWithTheUnitsThatAnsweredForThem) {
  tasks_v1::GetTaskRequest get;
  get.set_name(kTask6);
  tasks_v1::Task task;
  ASSERT_TRUE(Call("coordinator", "", *tasks_, &TasksStub::GetTask, get, &task).ok());
  tasks_v1::UpdateTaskRequest correct;
  correct.mutable_task()->set_name(kTask6);
  correct.mutable_task()->set_etag(task.etag());
  correct.mutable_task()->set_lead_unit("edu");
  correct.mutable_task()->add_co_units("hrss");
  correct.add_update_mask("lead_unit");
  correct.add_update_mask("co_units");
  correct.set_request_id("lead-to-edu");
  grpc::Status corrected = Call("coordinator", "", *tasks_, &TasksStub::UpdateTask, correct, &task);
  ASSERT_TRUE(corrected.ok()) << corrected.error_message();

  auto lead_in_dossier = [&](const std::string& period_id) {
    gw::GetTaskDossierRequest request;
    request.set_task(kTask6);
    request.set_period_id(period_id);
    request.set_year(2024);
    gw::TaskDossier view;
    grpc::Status status =
        Call("coordinator", "", *gateway_, &GatewayStub::GetTaskDossier, request, &view);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return view.task().lead_unit();
  };
  const absl::CivilSecond now = absl::ToCivilSecond(absl::Now(), absl::FixedTimeZone(8 * 3600));
  EXPECT_EQ(lead_in_dossier(kQuarter), "hrss");
  EXPECT_EQ(lead_in_dossier(absl::StrCat(now.year(), "-Q", (now.month() - 1) / 3 + 1)), "edu");

  auto role_on_task6 = [&](const std::string& unit) {
    gw::GetDepartmentWorkbenchRequest request;
    request.set_unit("units/" + unit);
    request.set_period_id(kQuarter);
    request.set_year(2024);
    gw::DepartmentWorkbench view;
    grpc::Status status =
        Call("department", unit, *gateway_, &GatewayStub::GetDepartmentWorkbench, request, &view);
    EXPECT_TRUE(status.ok()) << status.error_message();
    for (const auto& t : view.tasks()) {
      if (t.number() == 6) return t.role();
    }
    return tasks_v1::RESPONSIBILITY_ROLE_UNSPECIFIED;
  };
  EXPECT_EQ(role_on_task6("hrss"), tasks_v1::RESPONSIBILITY_ROLE_LEAD);
  EXPECT_EQ(role_on_task6("edu"), tasks_v1::RESPONSIBILITY_ROLE_CO);
}

}  // namespace
}  // namespace vetrack::gateway
