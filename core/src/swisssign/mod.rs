//! SwissSign RA API v2 (swisssign-ra-api-v2.txt).
