// The certbridge API from plain Java: top-level functions are static methods
// of Certbridge_ffiKt, object constructors are `new`, companion factories
// are on `.Companion`, errors are CertbridgeException subclasses read
// through getters. (Functions taking or returning Kotlin unsigned types and
// `suspend` functions are meant for Kotlin callers.)
package dev.certbridge.consumer;

import uniffi.certbridge.IdenTrustEnvironment;
import uniffi.certbridge_ffi.AcmeAccountKey;
import uniffi.certbridge_ffi.AcmeEabKey;
import uniffi.certbridge_ffi.CertbridgeException;
import uniffi.certbridge_ffi.Certbridge_ffiKt;

public final class JavaCaller {
    private static void require(String what, boolean ok) {
        if (!ok) {
            System.err.println("FAIL " + what);
            System.exit(1);
        }
    }

    public static void main(String[] args) throws Exception {
        IdenTrustEnvironment env =
            Certbridge_ffiKt.identrustEnvironment(
                "https://reseller.example", "https://acme.example", /* allowInsecureHttp */ false);
        require("environment " + env, env.getAcmeBase().startsWith("https://acme.example"));

        // Functions marked @Throws: catch the typed error directly.
        try {
            Certbridge_ffiKt.identrustEnvironment("not a url", "https://acme.example", false);
            require("a relative reseller URL was accepted", false);
        } catch (CertbridgeException.InvalidInput e) {
            require("kind " + e.getKind(), e.getKind().equals("invalid_input"));
            require("field " + e.getField(), e.getField() != null);
            System.out.println("refused: " + e.getField() + ": " + e.getReason());
        }

        AcmeAccountKey key = AcmeAccountKey.Companion.generate();
        String pem = key.toPkcs8Pem();
        require("PKCS#8 PEM", pem.startsWith("-----BEGIN PRIVATE KEY-----"));
        require("PEM round trip", AcmeAccountKey.Companion.fromPem(pem).thumbprint().equals(key.thumbprint()));
        require("toString redacts the key", !key.toString().contains("PRIVATE"));

        // Constructors carry no @Throws: javac sees no checked exception, so
        // catch Exception and look at its class.
        try {
            new AcmeEabKey("kid", "***");
            require("a bad HMAC key was accepted", false);
        } catch (Exception e) {
            require("typed error " + e, e instanceof CertbridgeException.InvalidInput);
            require("field hmac_key", "hmac_key".equals(((CertbridgeException.InvalidInput) e).getField()));
        }
        System.out.println("Java: account key " + key.thumbprint() + ", typed errors ok");
    }
}
