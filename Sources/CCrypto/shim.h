#ifndef TRAILHOUND_CCRYPTO_SHIM_H
#define TRAILHOUND_CCRYPTO_SHIM_H

// Only the EVP digest interface is used: the low-level SHA256_* functions are deprecated in
// OpenSSL 3, and their deprecation attributes would surface as Swift warnings.
#include <openssl/evp.h>

#endif
