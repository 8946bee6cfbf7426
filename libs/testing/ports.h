#ifndef VETRACK_LIBS_TESTING_PORTS_H_
#define VETRACK_LIBS_TESTING_PORTS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace vetrack::testing {

// A TCP port on 127.0.0.1 that nothing listens on and that no other caller of
// FreePort on this machine is handed while this process lives.
//
// Ports come from below the kernel's ephemeral range, so an outgoing
// connection cannot take one between this call and the server's bind, and
// each is claimed with a lock file held until the process exits, so two test
// processes running at once (ctest -j) never pick the same one. A port merely
// bound and released (the usual trick) can be handed to the next caller in
// another process too: CI once saw a service fail to start that way.
int FreePort();
// Claims `port` for this process as FreePort does: false if another process
// (or this one) holds it or something listens on it.
bool ClaimPort(int port);
// Whether something accepts connections on 127.0.0.1:port now.
bool PortOpen(int port);
// Waits until 127.0.0.1:port accepts connections; false after `timeout`.
bool WaitForPort(int port, absl::Duration timeout = absl::Seconds(5));
// Bytes waiting unread on the established connections whose local end is
// `port` (/proc/net/tcp's and tcp6's rx_queue): those of a server on that
// port, accepted or still in its backlog. With the server stopped (SIGSTOP),
// this rises once a call is sent to it: a test can wait for that instead of
// sleeping and hoping the call is under way.
int64_t UnreadBytesAt(int port);

}  // namespace vetrack::testing

#endif  // VETRACK_LIBS_TESTING_PORTS_H_
