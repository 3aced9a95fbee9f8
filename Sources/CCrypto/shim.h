// OpenSSL's libcrypto (Debian's libssl-dev): only the EVP digest API is used, for SHA-256 (Infrastructure/SHA256.swift).
#include <openssl/evp.h>
