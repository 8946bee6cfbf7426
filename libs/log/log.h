#ifndef VETRACK_LIBS_LOG_LOG_H_
#define VETRACK_LIBS_LOG_LOG_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vetrack {

using LogFields = std::vector<std::pair<std::string, std::string>>;

// Writes one JSON line to stderr: {"ts":…,"level":…,"msg":…, fields…}.
void Log(std::string_view level, std::string_view message, const LogFields& fields = {});
inline void LogInfo(std::string_view m, const LogFields& f = {}) { Log("info", m, f); }
inline void LogWarn(std::string_view m, const LogFields& f = {}) { Log("warn", m, f); }
inline void LogError(std::string_view m, const LogFields& f = {}) { Log("error", m, f); }

// Escapes a string for a JSON string literal (without the quotes); bytes that
// are not well-formed UTF-8 become U+FFFD.
std::string JsonEscape(std::string_view s);

}  // namespace vetrack

#endif  // VETRACK_LIBS_LOG_LOG_H_
