#include "ledger_scripts.h"

namespace vetrack::ledger {

// Sums are Lua doubles: exact because record limits (records.h) keep a
// batch's sums far below 2^53. string.format('%d') writes them as integers
// (tostring would switch to exponent notation above 10^14). BITFIELD
// counters are i64; the same limits keep them from wrapping.
const redis::Script& AppendRecordsScript() {
  static const auto* script = new redis::Script(R"lua(
local n, G = tonumber(ARGV[1]), tonumber(ARGV[2])
local at = 3
local groups = {}
for g = 1, G do
  local count = tonumber(ARGV[at + 5])
  groups[g] = {ids = tonumber(ARGV[at]), agg = tonumber(ARGV[at + 1]),
               first = tonumber(ARGV[at + 2]), last = tonumber(ARGV[at + 3]),
               id_at = tonumber(ARGV[at + 4]) + 1, sums_at = at + 6, count = count}
  at = at + 6 + 4 * count
end
local records_at = at - 2
local out = {}
for g = 1, G do
  local group = groups[g]
  local ids, fix = {}, nil
  for i = group.first, group.last do
    local value = ARGV[records_at + 2 * i]
    local prior = redis.call('SET', KEYS[i], value, 'NX', 'GET')
    if prior then
      out[i] = (string.sub(prior, 1, 16) == string.sub(value, 1, 16)) and 'u' or 'c'
      fix = fix or {}
      local base, t, h, inc, c = string.match(ARGV[records_at + 2 * i + 1],
                                              '^(%d+) (%d+) (%d+) (%d+) (%d+)$')
      local amounts = {1, tonumber(t), tonumber(h), tonumber(inc), tonumber(c)}
      for m = 1, 5 do
        local counter = '#' .. (tonumber(base) + m - 1)
        fix[counter] = (fix[counter] or 0) - amounts[m]
      end
    else
      out[i] = 'n'
      ids[#ids + 1] = string.sub(KEYS[i], group.id_at)
    end
  end
  -- In slices: unpack of more than ~8000 values fails, and a script that
  -- fails here would leave records without their ids and sums.
  for from = 1, #ids, 1000 do
    redis.call('RPUSH', KEYS[group.ids], unpack(ids, from, math.min(from + 999, #ids)))
  end
  -- The sums arrive as BITFIELD arguments; they are rebuilt only when some
  -- records of the group were not new.
  local quads, last = group.sums_at, group.sums_at + 4 * group.count - 1
  if not fix then
    while quads <= last do
      local to = math.min(quads + 999, last)
      redis.call('BITFIELD', KEYS[group.agg], unpack(ARGV, quads, to))
      quads = to + 1
    end
  else
    local args = {}
    for q = quads, last, 4 do
      local sum = tonumber(ARGV[q + 3]) + (fix[ARGV[q + 2]] or 0)
      if sum ~= 0 then
        local k = #args
        args[k + 1], args[k + 2], args[k + 3], args[k + 4] =
            'INCRBY', 'i64', ARGV[q + 2], string.format('%d', sum)
      end
      if #args >= 1000 or (q + 4 > last and #args > 0) then
        redis.call('BITFIELD', KEYS[group.agg], unpack(args))
        args = {}
      end
    end
  end
end
return table.concat(out)
)lua");
  return *script;
}

const redis::Script& AppendReversalScript() {
  static const auto* script = new redis::Script(R"lua(
local prior = redis.call('GET', KEYS[2])
if prior then
  if string.sub(prior, 1, 16) == string.sub(ARGV[1], 1, 16) then return {'replayed', prior} end
  return {'taken'}
end
local original = redis.call('GET', KEYS[1])
if not original then return {'missing'} end
if string.sub(original, 1, 16) ~= ARGV[2] then return {'changed'} end
local by = redis.call('GET', KEYS[3])
if by then return {'reversed', by} end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SET', KEYS[3], ARGV[3])
redis.call('RPUSH', KEYS[5], ARGV[3])
local args = {}
for p = 4, #ARGV - 1, 2 do
  local k = #args
  args[k + 1], args[k + 2], args[k + 3], args[k + 4] = 'INCRBY', 'i64', '#' .. ARGV[p], ARGV[p + 1]
end
if #args > 0 then redis.call('BITFIELD', KEYS[4], unpack(args)) end
return {'applied'}
)lua");
  return *script;
}

}  // namespace vetrack::ledger
