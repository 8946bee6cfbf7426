#include "grpc_sources.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <chrono>

#include "auth/principal.h"
#include "rpc/accepted_figures.h"
#include "rpc/district_units.h"
#include "rpc/service_channel.h"
#include "status/grpc_status.h"

namespace vetrack::evaluation {
namespace {

namespace schools = ::vetrack::schools::v1;
namespace ledger = ::vetrack::ledger::v1;
namespace tasks = ::vetrack::tasks::v1;

v1::InstitutionType TypeOf(schools::InstitutionType type) {
  switch (type) {
    case schools::INSTITUTION_TYPE_HIGHER_VOCATIONAL:
      return v1::INSTITUTION_TYPE_HIGHER_VOCATIONAL;
    case schools::INSTITUTION_TYPE_SECONDARY_VOCATIONAL:
      return v1::INSTITUTION_TYPE_SECONDARY_VOCATIONAL;
    case schools::INSTITUTION_TYPE_TECHNICAL:
      return v1::INSTITUTION_TYPE_TECHNICAL;
    default:
      return v1::INSTITUTION_TYPE_UNSPECIFIED;
  }
}

}  // namespace

GrpcEvaluationSources::GrpcEvaluationSources(const std::string& schools_address,
                                             const std::string& ledger_address,
                                             const std::string& tasks_address,
                                             const std::string& plan_id, absl::Duration timeout)
    : schools_(schools::SchoolReportingService::NewStub(ServiceChannel(schools_address))),
      ledger_(ledger::TrainingLedgerService::NewStub(ServiceChannel(ledger_address))),
      tasks_(tasks::TaskRegistryService::NewStub(ServiceChannel(tasks_address))),
      plan_("plans/" + plan_id),
      timeout_(timeout) {}

void GrpcEvaluationSources::Prepare(grpc::ClientContext* context, absl::Duration timeout,
                                    absl::Time answer_by) const {
  context->AddMetadata(kRoleMetadataKey, RoleName(Role::kEvaluator));
  context->set_deadline(absl::ToChronoTime(std::min(absl::Now() + timeout, answer_by)));
}

std::unique_ptr<grpc::ClientContext> GrpcEvaluationSources::Context(absl::Time answer_by) const {
  auto context = std::make_unique<grpc::ClientContext>();
  Prepare(context.get(), timeout_, answer_by);
  return context;
}

absl::StatusOr<std::vector<Institution>> GrpcEvaluationSources::Institutions(absl::Time answer_by) {
  auto listed = ListAllInstitutions(*schools_, [this, answer_by](grpc::ClientContext* context) {
    Prepare(context, timeout_, answer_by);
  });
  if (!listed.ok()) return listed.status();
  std::vector<Institution> out;
  for (const auto& i : *listed) {
    out.push_back({i.code(), TypeOf(i.type()), i.display_name(), i.school_id_code(),
                   i.credit_code(), i.first_year()});
  }
  return out;
}

absl::StatusOr<SchoolYear> GrpcEvaluationSources::DataReports(
    const std::vector<Institution>& institutions, const std::string& period_id,
    absl::Time answer_by) {
  // One batch for the year (GetAcceptedFiguresOf), not a call per
  // institution: those cost school reporting most of an overview's work.
  std::vector<std::string> codes;
  for (const Institution& institution : institutions) codes.push_back(institution.code);
  auto answers = GetAcceptedFiguresOf(
      *schools_, codes, period_id,
      [this, answer_by](grpc::ClientContext* context) { Prepare(context, timeout_, answer_by); });
  SchoolYear out;
  for (size_t i = 0; i < answers.size(); ++i) {
    if (!answers[i].ok()) return answers[i].status();
    const schools::AcceptedFigures& figures = *answers[i];
    const v1::InstitutionType type = TypeOf(figures.institution_type());
    if (!figures.accepted()) {
      if (type != v1::INSTITUTION_TYPE_UNSPECIFIED) out.pending_types[institutions[i].code] = type;
      continue;
    }
    AcceptedReport report{period_id, figures.revision(), {}, type};
    for (const auto& [item, value] : figures.counts()) report.counts[item] = value;
    out.accepted.emplace(institutions[i].code, std::move(report));
  }
  return out;
}

absl::StatusOr<LedgerYear> GrpcEvaluationSources::Ledger(int year, absl::Time answer_by) {
  ledger::GetDistrictTrainingStatementRequest request;
  request.set_year(year);
  // With the enrolment each institution's rule is judged on: the training
  // ratio divides by the same figure.
  request.set_view(ledger::STATEMENT_VIEW_FULL);
  ledger::DistrictTrainingStatement statement;
  grpc::ClientContext context;
  // The ledger asks school reporting for the year's enrolment and, where it
  // is not accepted, the year before's (up to 3 s each): its own answer that
  // school reporting is down must come before this call gives up on it.
  Prepare(&context, timeout_ + absl::Seconds(6), answer_by);
  grpc::Status status = ledger_->GetDistrictTrainingStatement(&context, request, &statement);
  if (!status.ok()) return FromGrpcStatus(status);
  LedgerYear out;
  // What the 2 × enrolment rule counts (not 职业体验活动), as the ledger judges it.
  for (const auto& s : statement.institutions()) {
    if (!s.has_counted_person_times()) {
      // A ledger deployed before the rule's count: taking its 0 would freeze
      // zeros into rounds. Its figures are unavailable until it is updated.
      return absl::UnavailableError(
          "training-ledger does not count person-times by the 2 × enrolment rule yet: update it");
    }
    const std::string& code = s.institution_code();
    out.person_times[code] = s.counted_person_times();
    // The ledger's note on the enrolment comes first (its other notes are
    // about the money).
    const std::string note = s.notes().empty() ? "" : s.notes(0);
    switch (s.enrolment_status()) {
      case ledger::ENROLMENT_STATUS_REPORTED:
        out.enrolment[code] = {s.enrolled_students(), s.enrolment_period_id(),
                               s.enrolment_revision()};
        break;
      case ledger::ENROLMENT_STATUS_UNAVAILABLE:
        // School reporting did not answer the ledger: a source down, not a
        // figure missing (a round must not freeze it).
        if (out.enrolment_unavailable.empty()) {
          out.enrolment_unavailable = note.empty() ? "school reporting did not answer" : note;
        }
        break;
      default:
        out.no_enrolment[code] = note.empty() ? "the ledger has no enrolment for it" : note;
    }
  }
  return out;
}

absl::StatusOr<std::map<std::string, std::string>> GrpcEvaluationSources::DistrictUnits(
    absl::Time answer_by) {
  auto context = Context(answer_by);
  return ListDistrictDepartments(*tasks_, context.get());
}

absl::StatusOr<std::set<int>> GrpcEvaluationSources::TaskNumbers(absl::Time answer_by) {
  std::set<int> numbers;
  tasks::ListTasksRequest request;
  request.set_parent(plan_);
  request.set_page_size(100);
  do {
    tasks::ListTasksResponse response;
    auto context = Context(answer_by);
    grpc::Status status = tasks_->ListTasks(context.get(), request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    for (const auto& task : response.tasks()) numbers.insert(task.number());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return numbers;
}

absl::StatusOr<std::set<std::string>> GrpcEvaluationSources::CountItems(absl::Time answer_by) {
  schools::ListItemsRequest request;  // of every institution type
  schools::ListItemsResponse response;
  auto context = Context(answer_by);
  grpc::Status status = schools_->ListItems(context.get(), request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  std::set<std::string> ids;
  for (const auto& item : response.items()) {
    if (item.type() == schools::ITEM_TYPE_COUNT) ids.insert(item.id());
  }
  return ids;
}

}  // namespace vetrack::evaluation
