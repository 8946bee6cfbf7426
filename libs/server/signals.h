#ifndef VETRACK_LIBS_SERVER_SIGNALS_H_
#define VETRACK_LIBS_SERVER_SIGNALS_H_

namespace vetrack {

// Blocks SIGTERM and SIGINT in the calling thread (and the threads it starts
// afterwards). ServiceRunner::RunUntilSignalled takes them with sigwait; a
// thread that did not block them would take them itself, with their default
// action, and end the process in the middle of its drain. Each service's
// main calls it first, so that every thread started in main inherits the
// mask (gRPC's for the channels built there, an audit writer); the threads
// the libraries start call it too, whoever builds them.
void BlockShutdownSignals();

}  // namespace vetrack

#endif  // VETRACK_LIBS_SERVER_SIGNALS_H_
