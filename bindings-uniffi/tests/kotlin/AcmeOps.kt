// `acme.*` and `identrust.*` vector ops mapped onto the Kotlin API (mirrors
// core/tests/vectors/acme.rs). Signed requests use the committed keys in
// tests/vectors/keys: RS256 signatures are deterministic, so whole bodies
// compare byte for byte; ES256 ones are checked by verification.
package certbridge.tests

import java.io.File
import java.lang.reflect.Modifier
import java.util.Base64
import uniffi.certbridge.AcmeChallenge
import uniffi.certbridge.AcmeChallengeStatus
import uniffi.certbridge_ffi.*

/** uniffi values as the vectors' snake_case JSON, by reflection: records by
 * their fields (`kind` is serde's `type`), enums by lower-case name, enum
 * variants with fields as `{"type": "dns-txt", ...}`. */
object ToJson {
    private fun snake(name: String) = name.replace(Regex("([a-z0-9])([A-Z])"), "$1_$2").lowercase()
    private fun kebab(name: String) = name.replace(Regex("([a-z0-9])([A-Z])"), "$1-$2").lowercase()

    fun of(v: Any?): Any? = when (v) {
        null, is String, is Boolean, is Long -> v
        is Int -> v.toLong()
        is Short -> v.toLong()
        is Byte -> v.toLong()
        is ULong -> v.toLong()
        is UInt -> v.toLong()
        is UShort -> v.toLong()
        is UByte -> v.toLong()
        is List<*> -> v.map { of(it) }
        is Map<*, *> -> v.entries.associate { it.key as String to of(it.value) }
        is Enum<*> -> v.name.lowercase()
        else -> {
            val m = LinkedHashMap<String, Any?>()
            val enclosing = v.javaClass.enclosingClass
            if (enclosing != null && enclosing.isAssignableFrom(v.javaClass)) m["type"] = kebab(v.javaClass.simpleName)
            for (f in v.javaClass.declaredFields) {
                if (Modifier.isStatic(f.modifiers)) continue
                f.isAccessible = true
                val name = if (f.name == "kind") "type" else snake(f.name)
                m[name] = of(f.get(v))
            }
            m
        }
    }
}

object AcmeOps {
    private val keysDir: File get() = File(System.getProperty("certbridge.vectors")?.takeIf { it.isNotEmpty() } ?: "tests/vectors", "keys")

    private fun keyPem(c: Case, field: String = "key"): String {
        val f = File(keysDir, c.str(field))
        if (!f.isFile) throw RunnerInputError(field, "no key file ${f.name}")
        return f.readText()
    }

    private fun key(c: Case, field: String = "key") = AcmeAccountKey.fromPem(keyPem(c, field))
    private fun b64(c: Case, field: String) = Base64.getDecoder().decode(c.str(field))
    private fun value(v: Any?) = Outcome.Value(ToJson.of(v))

    private fun kidRequest(build: (AcmeAccountKey, String, String, String) -> uniffi.certbridge_ffi.HttpRequest) =
        { c: Case -> Outcome.Request(build(key(c), c.str("account_url"), c.str("url"), c.str("nonce"))) }

    @Suppress("UNCHECKED_CAST")
    val acme: Map<String, (Case) -> Outcome> = mapOf(
        "eab_key" to { c ->
            val k = AcmeEabKey(c.str("kid"), c.str("hmac_key"))
            Outcome.Value(mapOf("kid" to k.kid(), "hmac_key_b64url" to k.hmacKeyB64url()))
        },
        "eab_binding" to { c ->
            val k = AcmeEabKey(c.str("kid"), c.str("hmac_key"))
            Outcome.Value(Json.parse(k.bindingForJwk(Json.write(c.input["jwk"]), c.str("url"))))
        },
        "thumbprint" to { c ->
            val k = key(c)
            Outcome.Value(mapOf("jwk" to Json.parse(k.jwkJson()), "thumbprint" to k.thumbprint()))
        },
        "new_account" to { c ->
            val e = c.input["eab"] as? Map<String, Any?>
            val eab = e?.let { AcmeEabKey(it["kid"] as? String ?: "", it["hmac_key"] as? String ?: "") }
            Outcome.Request(acmeNewAccountRequest(key(c), c.str("url"), c.str("nonce"),
                (c.input["contact"] as? List<String>) ?: emptyList(),
                c.input["terms_of_service_agreed"] as? Boolean ?: false,
                c.input["only_return_existing"] as? Boolean ?: false, eab))
        },
        "new_order" to { c ->
            val k = key(c)
            val ids = ((c.input["identifiers"] as? List<String>) ?: emptyList()).map { acmeIdentifierDns(it) }
            Outcome.Request(acmeNewOrderRequest(k, c.str("account_url"), c.str("url"), c.str("nonce"), ids,
                null, null, c.optStr("replaces"), c.optStr("profile")))
        },
        "post_as_get" to kidRequest(::acmeOrderRequest),
        "finalize" to { c ->
            Outcome.Request(acmeFinalizeRequest(key(c), c.str("account_url"), c.str("url"), b64(c, "csr_base64"), c.str("nonce")))
        },
        "respond_challenge" to kidRequest(::acmeRespondChallengeRequest),
        "new_authz" to { c ->
            val k = key(c)
            Outcome.Request(acmeNewAuthzRequest(k, c.str("account_url"), c.str("url"),
                acmeIdentifierDns(c.str("identifier")), c.str("nonce")))
        },
        "deactivate_authz" to kidRequest(::acmeDeactivateAuthorizationRequest),
        "deactivate_account" to { c ->
            Outcome.Request(acmeDeactivateAccountRequest(key(c), c.str("account_url"), c.str("nonce")))
        },
        "revoke" to { c ->
            val cert = b64(c, "certificate_base64")
            val reason = (c.input["reason"] as? Long)?.toUByte()
            if (c.str("account_url").isNotEmpty()) {
                Outcome.Request(acmeRevokeRequest(key(c), c.str("account_url"), c.str("url"), cert, c.str("nonce"), reason))
            } else {
                Outcome.Request(acmeRevokeWithCertificateKeyRequest(keyPem(c), c.str("url"), cert, c.str("nonce"), reason))
            }
        },
        "key_change" to { c ->
            Outcome.Request(acmeKeyChangeRequest(key(c), key(c, "new_key"), c.str("account_url"), c.str("url"), c.str("nonce")))
        },
        "es256_signed" to { c ->
            val k = key(c)
            val payload = if (c.input.containsKey("payload")) Json.write(c.input["payload"]).toByteArray() else null
            val request = acmeSignedRequest(k, c.str("url"), c.str("nonce"), c.optStr("account_url")?.ifEmpty { null }, payload)
            val verified = acmeVerifyJws(request.body, k)
            val signature = (Json.parse(String(request.body)) as Map<String, Any?>)["signature"] as String
            val parsedPayload = if (verified.payload.isEmpty()) null else try { Json.parse(String(verified.payload)) } catch (e: JsonException) { null }
            Outcome.Value(mapOf(
                "header" to Json.parse(verified.headerJson),
                "payload" to parsedPayload,
                "signature_bytes" to Base64.getUrlDecoder().decode(signature).size.toLong(),
                "verified" to true,
                "thumbprint" to k.thumbprint(),
            ))
        },
        "new_nonce" to { c -> Outcome.Request(acmeNewNonceRequest(c.str("url"))) },
        "download_certificate" to kidRequest(::acmeDownloadCertificateRequest),
        "renewal_info_request" to { c -> Outcome.Request(acmeRenewalInfoRequest(c.str("url"), c.str("cert_id"))) },
        "directory" to { c -> value(acmeParseDirectory(c.httpResponse(), c.nowMillis())) },
        "problem" to { c ->
            val info = acmeErrorInfo(c.httpResponse(), c.nowMillis())
            Outcome.Value(info?.let {
                mapOf(
                    "kind" to it.kind, "code" to it.code, "status" to ToJson.of(it.status),
                    "retry_after" to ToJson.of(it.retryAfter), "retryable" to it.retryable,
                    "details" to it.problem?.let { p ->
                        mapOf("provider" to "acme", "problem_type" to p.kind, "detail" to p.detail,
                            "subproblems" to ToJson.of(p.subproblems))
                    },
                )
            })
        },
        "order" to { c ->
            if (c.input["new"] == true) value(acmeParseNewOrder(c.httpResponse(), c.nowMillis()))
            else value(acmeParseOrder(c.httpResponse(), c.nowMillis(), c.str("url")))
        },
        "authorization" to { c ->
            if (c.input["new"] == true) value(acmeParseNewAuthz(c.httpResponse(), c.nowMillis()))
            else value(acmeParseAuthorization(c.httpResponse(), c.nowMillis(), c.str("url")))
        },
        "challenge" to { c -> value(acmeParseChallenge(c.httpResponse(), c.nowMillis())) },
        "challenge_task" to { c ->
            val ch = AcmeChallenge(c.str("type"), "https://ca.example/chall", AcmeChallengeStatus.PENDING,
                c.optStr("token"), null, null)
            value(acmeChallengeTask(ch, acmeIdentifierDns(c.str("identifier")), c.str("thumbprint")))
        },
        "cert_id" to { c -> Outcome.Value(acmeCertId(c.str("certificate").toByteArray())) },
        "renewal_info" to { c -> value(acmeParseRenewalInfo(c.httpResponse(), c.nowMillis())) },
        "certificate" to { c -> value(acmeParseCertificate(c.httpResponse(), c.nowMillis())) },
        "account" to { c -> value(acmeParseAccount(c.httpResponse(), c.nowMillis())) },
    )

    val identrust: Map<String, (Case) -> Outcome> = mapOf(
        "create_account" to { c ->
            Outcome.Request(identrustCreateAccountRequest(c.str("reseller_base"), c.str("api_key"), c.str("customer_email")))
        },
        "create_account_response" to { c ->
            val a = identrustParseCreateAccount(c.httpResponse(), c.nowMillis())
            val eab = a.eab()
            Outcome.Value(mapOf(
                "id" to Json.parse(a.idJson()), "kid" to a.kid(), "reseller_code" to a.resellerCode(),
                "email" to a.email(), "revoked" to a.revoked(), "deleted" to a.deleted(),
                "eab_kid" to eab.kid(), "eab_hmac_key_b64url" to eab.hmacKeyB64url(),
            ))
        },
        "directory_url" to { c ->
            val r = c.optStr("reseller_base")
            val a = c.optStr("acme_base")
            val env = if (r != null && a != null) identrustEnvironment(r, a) else identrustStaging()
            Outcome.Value(identrustDirectoryUrl(env, c.str("profile")))
        },
    )
}
