//! Provider simulator (see issue "Async clients, the provider simulator").
