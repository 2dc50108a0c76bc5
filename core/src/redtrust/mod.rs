//! Redtrust RA API.
