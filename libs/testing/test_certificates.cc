#include "testing/test_certificates.h"

#include <cstdlib>

namespace vetrack::testing {

bool WriteTestCertificates(const std::string& dir, const std::string& server_alt_name) {
  std::string script =
      "cd '" + dir +
      "' && "
      "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=vetrack-test-ca "
      "-keyout ca.key -out ca.pem && "
      "openssl req -newkey rsa:2048 -nodes -subj /CN=test-server -keyout server.key "
      "-out server.csr && "
      "printf 'subjectAltName=" +
      server_alt_name +
      "' > server.ext && "
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile server.ext -out server.pem && "
      "openssl req -newkey rsa:2048 -nodes -subj /CN=department-system -keyout client.key "
      "-out client.csr && "
      "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-out client.pem";
  return std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
}

bool RenewServerCertificate(const std::string& dir, const std::string& server_alt_name) {
  std::string script =
      "cd '" + dir +
      "' && "
      "openssl req -newkey rsa:2048 -nodes -subj /CN=test-server-renewed -keyout renewed.key "
      "-out renewed.csr && "
      "printf 'subjectAltName=" +
      server_alt_name +
      "' > renewed.ext && "
      "openssl x509 -req -in renewed.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
      "-extfile renewed.ext -out renewed.pem && "
      "mv renewed.key server.key && mv renewed.pem server.pem";
  return std::system(("(" + script + ") >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace vetrack::testing
