#ifndef VETRACK_LIBS_SERVER_SIGNALS_H_
#define VETRACK_LIBS_SERVER_SIGNALS_H_

namespace vetrack {

// Blocks SIGTERM and SIGINT in the calling thread (and the threads it starts
// afterwards). ServiceRunner::RunUntilSignalled takes them with sigwait; a
// thread that did not block them would take them itself, with their default
// action, and end the process in the middle of its drain. Every thread the
// libraries start calls this first: some start before RunUntilSignalled
// (a Redis client's batcher, a work queue built in main).
void BlockShutdownSignals();

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_SIGNALS_H_
