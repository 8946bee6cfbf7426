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
-- Redis does not undo a script's writes when a later one fails, so a key of
-- another type than its write expects (a corrupted store) must stop the batch
-- before its first write, or records would stay without their ids and sums
-- (and a retry, finding them there, would never add those). The id lists and
-- aggregates are asked their type first; a record key is found out by its
-- own SET, and the records this call created are deleted again.
for g = 1, G do
  for _, key in ipairs({{groups[g].ids, 'list'}, {groups[g].agg, 'string'}}) do
    local has = redis.call('TYPE', KEYS[key[1]])['ok']
    if has ~= 'none' and has ~= key[2] then
      return redis.error_reply('WRONGTYPE ' .. KEYS[key[1]] .. ' holds a ' .. has ..
                               '; nothing of the batch was written')
    end
  end
end
local out, created = {}, {}
for g = 1, G do
  local group = groups[g]
  local ids, fix = {}, nil
  for i = group.first, group.last do
    local value = ARGV[records_at + 2 * i]
    local prior = redis.pcall('SET', KEYS[i], value, 'NX', 'GET')
    if type(prior) == 'table' and prior.err then
      for _, key in ipairs(created) do redis.call('DEL', key) end
      return redis.error_reply(prior.err .. ' (' .. KEYS[i] .. '); nothing of the batch was written')
    end
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
      created[#created + 1] = KEYS[i]
    end
  end
  group.new_ids, group.fix = ids, fix
end
for g = 1, G do
  local group = groups[g]
  local ids, fix = group.new_ids, group.fix
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
-- The GETs above checked KEYS[1..3]; the aggregate and the id list are asked
-- before the first write, which Redis would not undo (AppendRecordsScript).
for _, key in ipairs({{4, 'string'}, {5, 'list'}}) do
  local has = redis.call('TYPE', KEYS[key[1]])['ok']
  if has ~= 'none' and has ~= key[2] then
    return redis.error_reply('WRONGTYPE ' .. KEYS[key[1]] .. ' holds a ' .. has ..
                             '; the reversal was not written')
  end
end
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
