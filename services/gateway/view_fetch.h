#ifndef VETRACK_SERVICES_GATEWAY_VIEW_FETCH_H_
#define VETRACK_SERVICES_GATEWAY_VIEW_FETCH_H_

#include <functional>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "auth/principal.h"
#include "backends.h"
#include "clock/clock.h"
#include "views.h"

namespace vetrack::gateway {

// Gathers what each view needs from the services, all calls at once and as
// the caller (so each service applies its own rules), and assembles the view
// (views.h) once the last call has answered or reached `deadline`. Requests
// come with every default filled in.
class ViewFetcher {
 public:
  // Lists are read page by page, `page_size` items a page, to their end.
  // `clock` and `grace_after_quarter` tell the quarter under way (the views'
  // default) from an earlier one the caller named.
  ViewFetcher(Backends& backends, const Clock& clock, absl::Duration grace_after_quarter,
              int page_size = 500)
      : backends_(backends), clock_(clock), grace_(grace_after_quarter), page_size_(page_size) {}

  template <typename View>
  using Done = std::function<void(absl::StatusOr<View> view)>;

  void Overview(const Principal& caller, const v1::GetDistrictOverviewRequest& req,
                absl::Time deadline, Done<v1::DistrictOverview> done);
  void Workbench(const Principal& caller, const v1::GetDepartmentWorkbenchRequest& req,
                 absl::Time deadline, Done<v1::DepartmentWorkbench> done);
  void Dossier(const Principal& caller, const v1::GetTaskDossierRequest& req, absl::Time deadline,
               Done<v1::TaskDossier> done);
  void Profile(const Principal& caller, const v1::GetInstitutionProfileRequest& req,
               absl::Time deadline, Done<v1::InstitutionProfile> done);

 private:
  // The escalations a view of `period_id` shows: for the quarter under way,
  // every one still open (ListEscalations' default, earlier quarters' too);
  // for an earlier quarter, that quarter's (found in use: the 2026-Q3
  // overview counted 2026-Q4's red and none of Q3's 176).
  tasks_v1::ListEscalationsRequest EscalationsOf(const std::string& plan, const std::string& unit,
                                                 const std::string& period_id) const;

  Backends& backends_;
  const Clock& clock_;
  const absl::Duration grace_;
  const int page_size_;
};

}  // namespace vetrack::gateway

#endif  // VETRACK_SERVICES_GATEWAY_VIEW_FETCH_H_
