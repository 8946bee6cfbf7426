#ifndef VETRACK_LIBS_TESTING_TEST_CERTIFICATES_H_
#define VETRACK_LIBS_TESTING_TEST_CERTIFICATES_H_

#include <string>

namespace vetrack::testing {

// Writes into `dir`, with the openssl command line, a throw-away CA
// (ca.pem, ca.key), a server certificate it signed for `server_alt_name`
// (e.g. "DNS:localhost" or "IP:127.0.0.1"; server.pem, server.key) and a
// client certificate it signed (client.pem, client.key). False when openssl
// failed.
bool WriteTestCertificates(const std::string& dir, const std::string& server_alt_name);

// Issues a new server certificate and key from the CA in `dir` for
// `server_alt_name`, and moves them over server.pem and server.key (the key
// first), as a certificate manager renews one. False when openssl failed.
bool RenewServerCertificate(const std::string& dir, const std::string& server_alt_name);

}  // namespace vetrack::testing

#endif  // VETRACK_LIBS_TESTING_TEST_CERTIFICATES_H_
