#include "task_correction.h"

#include <algorithm>
#include <vector>

namespace vetrack::vetctl {

namespace v1 = ::vetrack::tasks::v1;

absl::StatusOr<v1::UpdateTaskRequest> TaskCorrection(const CommandLine& line,
                                                     const std::string& task_name,
                                                     const std::string& request_id) {
  v1::UpdateTaskRequest request;
  v1::Task* task = request.mutable_task();
  task->set_name(task_name);
  absl::StatusOr<std::string> etag = RequiredOption(line, "etag");
  if (!etag.ok()) return etag.status();
  task->set_etag(*etag);
  if (std::string lead = OptionValue(line, "lead"); !lead.empty()) {
    task->set_lead_unit(lead);
    request.add_update_mask("lead_unit");
  }
  if (std::vector<std::string> co = OptionValues(line, "co"); !co.empty()) {
    // --co "" alone leaves the lead on its own.
    if (co.size() > 1 && std::find(co.begin(), co.end(), "") != co.end()) {
      return UsageError("--co \"\" (no co-units) goes alone");
    }
    for (const std::string& unit : co) {
      if (!unit.empty()) task->add_co_units(unit);
    }
    request.add_update_mask("co_units");
  }
  if (std::string text = OptionValue(line, "text"); !text.empty()) {
    task->set_text(text);
    request.add_update_mask("text");
  }
  if (std::string section = OptionValue(line, "section"); !section.empty()) {
    task->set_section_code(section);
    request.add_update_mask("section_code");
  }
  if (line.options.count("completed") > 0) {
    // --completed "" reopens the task.
    task->set_completed_period_id(OptionValue(line, "completed"));
    request.add_update_mask("completed_period_id");
  }
  if (request.update_mask().empty()) {
    return UsageError("say what to correct: --lead, --co, --text, --section or --completed");
  }
  request.set_request_id(request_id);
  return request;
}

}  // namespace vetrack::vetctl
