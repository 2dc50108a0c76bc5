//! ACME (RFC 8555) with External Account Binding.
