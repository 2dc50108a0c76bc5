//! IdenTrust's reseller account API (identrust-reseller-acme.txt).
