#include "import_pipeline.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"

namespace vetrack::ledger {

struct ImportPipeline::Writer {
  Batch filling;
  std::mutex mu;
  std::condition_variable changed;
  std::deque<Batch> queue;
  bool closed = false;
  std::thread thread;
};

ImportPipeline::ImportPipeline(LedgerStore& store, Settings settings, OutcomeSink sink)
    : store_(store), settings_(settings), sink_(std::move(sink)) {
  if (settings_.writers < 1) settings_.writers = 1;
  if (settings_.batch_size < 1) settings_.batch_size = 1;
  if (settings_.queue_depth < 1) settings_.queue_depth = 1;
  for (int i = 0; i < settings_.writers; ++i) {
    writers_.push_back(std::make_unique<Writer>());
    Writer* writer = writers_.back().get();
    writer->thread = std::thread([this, writer] { Run(*writer); });
  }
}

ImportPipeline::~ImportPipeline() { (void)Finish(); }

void ImportPipeline::Add(PreparedRecord record, int64_t line, int64_t sequence) {
  size_t shard = std::hash<std::string>{}(record.ref.institution_code) % writers_.size();
  Writer& writer = *writers_[shard];
  const std::string id = absl::StrCat(record.ref.institution_code, "/", record.ref.record_id);
  auto [known, first] = writer.filling.year_of.emplace(id, record.year);
  if (!first && known->second != record.year) {
    Enqueue(writer);
    writer.filling.year_of.emplace(id, record.year);
  }
  writer.filling.records.push_back(std::move(record));
  writer.filling.lines.push_back(line);
  writer.filling.sequences.push_back(sequence);
  if (static_cast<int>(writer.filling.records.size()) >= settings_.batch_size) Enqueue(writer);
}

void ImportPipeline::Enqueue(Writer& writer) {
  if (writer.filling.records.empty()) return;
  std::unique_lock<std::mutex> lock(writer.mu);
  writer.changed.wait(lock, [&] {
    return static_cast<int>(writer.queue.size()) < settings_.queue_depth || failed();
  });
  writer.queue.push_back(std::move(writer.filling));
  writer.filling = Batch{};
  writer.changed.notify_all();
}

void ImportPipeline::Run(Writer& writer) {
  for (;;) {
    std::vector<Batch> batches;
    {
      std::unique_lock<std::mutex> lock(writer.mu);
      writer.changed.wait(lock, [&] { return !writer.queue.empty() || writer.closed; });
      if (writer.queue.empty()) return;
      while (!writer.queue.empty()) {
        batches.push_back(std::move(writer.queue.front()));
        writer.queue.pop_front();
      }
      writer.changed.notify_all();
    }
    // After a failure the rest is drained unwritten: the client sends the
    // stream again, and what was written is then found unchanged.
    if (!failed()) Write(batches);
  }
}

void ImportPipeline::Write(std::vector<Batch>& batches) {
  std::vector<std::vector<PreparedRecord>> records;
  records.reserve(batches.size());
  for (Batch& batch : batches) records.push_back(std::move(batch.records));
  auto outcomes = store_.AppendBatches(records);
  if (!outcomes.ok()) {
    Fail(outcomes.status());
    return;
  }
  for (size_t b = 0; b < batches.size(); ++b) {
    for (size_t i = 0; i < records[b].size(); ++i) {
      sink_(records[b][i], batches[b].lines[i], batches[b].sequences[i], (*outcomes)[b][i]);
    }
  }
}

void ImportPipeline::Fail(const absl::Status& status) {
  {
    std::lock_guard<std::mutex> lock(error_mu_);
    if (first_error_.ok()) first_error_ = status;
  }
  failed_ = true;
  for (auto& writer : writers_) {
    std::lock_guard<std::mutex> lock(writer->mu);
    writer->changed.notify_all();
  }
}

absl::Status ImportPipeline::Finish() {
  if (!finished_) {
    finished_ = true;
    for (auto& writer : writers_) {
      Enqueue(*writer);
      {
        std::lock_guard<std::mutex> lock(writer->mu);
        writer->closed = true;
      }
      writer->changed.notify_all();
    }
    for (auto& writer : writers_) writer->thread.join();
  }
  std::lock_guard<std::mutex> lock(error_mu_);
  return first_error_;
}

}  // namespace vetrack::ledger
