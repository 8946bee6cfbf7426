#ifndef VETRACK_SERVICES_VETCTL_DISPLAY_WIDTH_H_
#define VETRACK_SERVICES_VETCTL_DISPLAY_WIDTH_H_

#include <cstddef>
#include <string>

// Terminal columns of UTF-8 text. Plan texts are mostly Chinese, and a CJK
// character takes two columns, so byte or code-point counts misalign tables.
namespace vetrack::vetctl {

// The code point starting at `*pos`, advancing `*pos` past it. A malformed or
// truncated sequence yields U+FFFD and consumes one byte, so decoding always
// makes progress.
char32_t NextCodePoint(const std::string& text, size_t* pos);

void AppendUtf8(char32_t code_point, std::string* out);

// 2 for East Asian wide characters, 0 for combining marks and zero-width
// characters, 1 otherwise.
int CodePointWidth(char32_t code_point);

int DisplayWidth(const std::string& text);

// Makes text safe for one table cell: control characters (tabs, newlines,
// terminal escapes) become spaces and malformed UTF-8 becomes U+FFFD.
std::string SingleLine(const std::string& text);

// At most `max_width` columns; shortened text ends with "…".
std::string TruncateToWidth(const std::string& text, int max_width);

}  // namespace vetrack::vetctl

#endif  // VETRACK_SERVICES_VETCTL_DISPLAY_WIDTH_H_
