#include "display_width.h"

#include <iterator>

namespace vetrack::vetctl {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr char kEllipsis[] = "…";
constexpr int kEllipsisWidth = 1;

struct Range {
  char32_t first;
  char32_t last;
};

// East Asian wide: Hangul Jamo, CJK (radicals to Yi), Hangul syllables, CJK
// compatibility ideographs, CJK compatibility forms, fullwidth forms.
constexpr Range kWideRanges[] = {
    {0x1100, 0x115F}, {0x2E80, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
};

// Drawn on top of the previous character or not drawn at all.
constexpr Range kZeroWidthRanges[] = {
    {0x0300, 0x036F},  // combining diacritical marks
    {0x200B, 0x200F},  // zero-width space, joiners, direction marks
    {0xFE00, 0xFE0F},  // variation selectors
};

bool InRanges(char32_t c, const Range* begin, const Range* end) {
  for (const Range* r = begin; r != end; ++r) {
    if (c >= r->first && c <= r->last) return true;
  }
  return false;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c < 0xA0); }

bool IsContinuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace

char32_t NextCodePoint(const std::string& text, size_t* pos) {
  const auto lead = static_cast<unsigned char>(text[*pos]);
  int length = 0;
  char32_t code_point = 0;
  char32_t smallest = 0;  // below this the sequence is an overlong encoding
  if (lead < 0x80) {
    ++*pos;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, smallest = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, smallest = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, smallest = 0x10000;
  } else {
    ++*pos;
    return kReplacement;
  }
  if (*pos + length > text.size()) {
    ++*pos;
    return kReplacement;
  }
  for (int i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[*pos + i]);
    if (!IsContinuation(byte)) {
      ++*pos;
      return kReplacement;
    }
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  if (code_point < smallest || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    ++*pos;
    return kReplacement;
  }
  *pos += length;
  return code_point;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

int CodePointWidth(char32_t c) {
  if (IsControl(c)) return 0;
  if (InRanges(c, std::begin(kZeroWidthRanges), std::end(kZeroWidthRanges))) return 0;
  if (InRanges(c, std::begin(kWideRanges), std::end(kWideRanges))) return 2;
  return 1;
}

int DisplayWidth(const std::string& text) {
  int width = 0;
  for (size_t pos = 0; pos < text.size();) width += CodePointWidth(NextCodePoint(text, &pos));
  return width;
}

std::string SingleLine(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char32_t c = NextCodePoint(text, &pos);
    AppendUtf8(IsControl(c) ? U' ' : c, &out);
  }
  return out;
}

std::string TruncateToWidth(const std::string& text, int max_width) {
  if (DisplayWidth(text) <= max_width) return text;
  std::string out;
  int width = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    int w = CodePointWidth(NextCodePoint(text, &pos));
    if (width + w > max_width - kEllipsisWidth) break;
    out.append(text, start, pos - start);
    width += w;
  }
  return out + kEllipsis;
}

}  // namespace vetrack::vetctl
