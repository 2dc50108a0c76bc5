// `swisssign.*` vector ops mapped onto the Kotlin API (mirrors
// core/tests/vectors/swisssign.rs). An op with a `response` parses it;
// without one it builds the request.
package certbridge.tests

import uniffi.certbridge.DomainListPath
import uniffi.certbridge.ReasonSpelling
import uniffi.certbridge.SwissSignCompat
import uniffi.certbridge.SwissSignConfig
import uniffi.certbridge.SwissSignDomainAction
import uniffi.certbridge.SwissSignIssueRequest
import uniffi.certbridge.SwissSignOrderSearch
import uniffi.certbridge.SwissSignRequestExtensions
import uniffi.certbridge.SwissSignRequestOverrides
import uniffi.certbridge.SwissSignRequestedDns
import uniffi.certbridge.SwissSignRevocationReason
import uniffi.certbridge.SwissSignRevocationRequest
import uniffi.certbridge_ffi.*

object SwissSignOps {
    private val listPath = mapOf("domain" to DomainListPath.DOMAIN, "domains" to DomainListPath.DOMAINS)
    private val spelling = mapOf("upper_snake" to ReasonSpelling.UPPER_SNAKE, "camel_case" to ReasonSpelling.CAMEL_CASE)
    val reasons = mapOf(
        "unused" to SwissSignRevocationReason.UNUSED,
        "key_compromise" to SwissSignRevocationReason.KEY_COMPROMISE,
        "affiliation_changed" to SwissSignRevocationReason.AFFILIATION_CHANGED,
        "superseded" to SwissSignRevocationReason.SUPERSEDED,
        "cessation_of_operation" to SwissSignRevocationReason.CESSATION_OF_OPERATION,
    )
    private val actions = mapOf(
        "validate" to SwissSignDomainAction.VALIDATE,
        "token_reset" to SwissSignDomainAction.RESET_TOKEN,
        "token_delete" to SwissSignDomainAction.DELETE_TOKEN,
    )

    private fun compat(c: Case): SwissSignCompat {
        val given = c.input["compat"] as? Map<*, *> ?: emptyMap<String, Any?>()
        var path = DomainListPath.DOMAIN
        var reason = ReasonSpelling.UPPER_SNAKE
        given["domain_list_path"]?.let { path = listPath[it] ?: throw RunnerInputError("compat", "unknown $it") }
        given["reason_spelling"]?.let { reason = spelling[it] ?: throw RunnerInputError("compat", "unknown $it") }
        return SwissSignCompat(path, reason)
    }

    private fun config(c: Case): SwissSignConfig {
        val base = c.optStr("base_url")
        val cfg = if (base != null) swisssignConfig(base, null) else swisssignProductionConfig()
        cfg.compat = compat(c)
        return cfg
    }

    /** A session from `token`, or a locally signed one from `account`, `api_key` and `now`. */
    private fun session(c: Case): SwissSignSession {
        val account = c.optStr("account")
        if (account != null) {
            val s = SwissSignSession.withApiKey(config(c), account, c.str("api_key"))
            s.prepare(c.nowMillis())
            return s
        }
        return SwissSignSession.withToken(config(c), c.str("token"))
    }

    private fun strings(c: Case, key: String): List<String> =
        (c.input[key] as? List<*> ?: emptyList<Any>()).filterIsInstance<String>()

    private fun u32(c: Case, key: String): UInt? =
        (c.input[key] as? Long)?.takeIf { it in 0..0xFFFF_FFFFL }?.toUInt()

    private fun issueRequest(c: Case): SwissSignIssueRequest {
        val r = swisssignIssueRequest(c.str("product"), c.str("csr"))
        if (c.optStr("csr") == null) r.csr = null
        val dns = strings(c, "dns")
        val emails = strings(c, "emails")
        val ips = strings(c, "ips")
        val subjectDn = c.optStr("subject_dn")
        val validity = u32(c, "validity")
        if (subjectDn != null || validity != null || dns.isNotEmpty() || emails.isNotEmpty() || ips.isNotEmpty()) {
            val ext = SwissSignRequestExtensions(
                requestDns = dns.map { SwissSignRequestedDns(it, null, null) }.ifEmpty { null },
                requestRfc822 = emails.ifEmpty { null },
                requestIp = ips.ifEmpty { null },
                requestUpn = null,
            )
            val hasExt = ext.requestDns != null || ext.requestRfc822 != null || ext.requestIp != null
            r.overrides = SwissSignRequestOverrides(subjectDn, validity, if (hasExt) ext else null)
        }
        r.tags = strings(c, "tags")
        r.note = c.optStr("note")
        r.publishCertificate = c.input["publish_certificate"] as? Boolean
        r.synchronous = c.input["synchronous"] as? Boolean
        r.acceptTerms = c.input["accept_terms"] as? Boolean
        r.includeCertificateChain = c.input["include_certificate_chain"] as? Boolean
        return r
    }

    /** The `search` object (the API's camelCase JSON) as the record; a bad
     *  reference is `invalid_input` on `search`, as serde reports it. */
    private fun orderSearch(c: Case): SwissSignOrderSearch {
        val s = c.input["search"] as? Map<*, *> ?: emptyMap<String, Any?>()
        fun strs(k: String) = (s[k] as? List<*> ?: emptyList<Any>()).filterIsInstance<String>()
        try {
            return SwissSignOrderSearch(
                orderReference = (s["orderReference"] as? String)?.let { swisssignOrderRef(it) },
                serialNumber = s["serialNumber"] as? String,
                orderStatus = strs("orderStatus"),
                revocationReason = strs("revocationReason"),
                clientReferences = strs("clientReferences").map { swisssignClientRef(it) },
                startAfter = s["startAfter"] as? String,
                startBefore = s["startBefore"] as? String,
                attribute = s["attribute"] as? String,
                includeCertificateChain = s["includeCertificateChain"] as? Boolean,
                tags = strs("tags"),
            )
        } catch (e: CertbridgeException) {
            throw RunnerInputError("search", Errors.fields(e).reason)
        }
    }

    private fun revocations(c: Case): List<SwissSignRevocationRequest> =
        (c.input["certificates"] as? List<*> ?: emptyList<Any>()).map {
            val m = it as Map<*, *>
            val reason = reasons[m["reason"]] ?: throw RunnerInputError("certificates", "unknown reason ${m["reason"]}")
            SwissSignRevocationRequest(m["serial_number"] as String, m["issuer_name"] as String, reason,
                m["requestor"] as? String)
        }

    private fun endpoint(build: (Case, SwissSignSession) -> HttpRequest, parse: (HttpResponse) -> Any?): (Case) -> Outcome =
        { c ->
            if (c.response != null) Outcome.Value(Reflect.json(parse(c.httpResponse())))
            else Outcome.Request(build(c, session(c)))
        }

    val ops: Map<String, (Case) -> Outcome> = mapOf(
        "jwt_local" to { c ->
            Outcome.Value(mapOf("token" to swisssignJwtLocal(c.str("account"), c.str("api_key"), c.nowMillis())))
        },
        "jwt" to { c ->
            if (c.response != null) {
                val j = swisssignParseJwt(c.httpResponse(), c.nowMillis())
                Outcome.Value(mapOf("token" to j.token, "expires_at" to j.expiresAt))
            } else {
                Outcome.Request(swisssignJwtRequest(config(c), c.str("user_name"), c.str("user_secret")))
            }
        },
        "api_error" to { c ->
            val e = swisssignParseError(c.httpResponse())
            Outcome.Value(mapOf(
                "provider" to "swisssign", "status" to e.status, "code" to e.code, "message" to e.message,
                "correlation_id" to e.correlationId, "retry_after" to e.retryAfter,
                "details" to mapOf(
                    "provider" to "swisssign", "module" to e.module, "section" to e.section,
                    "error" to e.error, "messages" to e.messages,
                ),
            ))
        },
        "search_clients" to endpoint({ c, s -> swisssignSearchClientsRequest(s, c.optStr("search")) },
            ::swisssignParseSearchClients),
        "search_clients_paged" to endpoint({ c, s ->
            swisssignSearchClientsPagedRequest(s, c.optStr("search"), u32(c, "start"), u32(c, "length"))
        }, ::swisssignParseSearchClientsPaged),
        "get_client" to endpoint({ c, s -> swisssignGetClientRequest(s, c.str("client")) }, ::swisssignParseGetClient),
        "register_domains" to endpoint({ c, s ->
            swisssignRegisterDomainsRequest(s, c.str("client"), strings(c, "domains"))
        }, ::swisssignParseRegisterDomains),
        "list_domains" to endpoint({ c, s -> swisssignListDomainsRequest(s, c.str("client")) },
            ::swisssignParseListDomains),
        "domain" to endpoint({ c, s ->
            swisssignDomainRequest(s, c.str("domain"), actions[c.str("action")] ?: SwissSignDomainAction.GET)
        }, ::swisssignParseDomain),
        "delete_domain" to endpoint({ c, s -> swisssignDeleteDomainRequest(s, c.str("domain")) }, { r ->
            swisssignParseDeleteDomain(r); null
        }),
        "issue_csr" to endpoint({ c, s ->
            swisssignIssueCsrRequest(s, c.str("product"), c.str("csr").toByteArray(Charsets.UTF_8))
        }, ::swisssignParseIssueCsr),
        "issue" to endpoint({ c, s -> swisssignIssueJsonRequest(s, issueRequest(c)) }, ::swisssignParseIssueJson),
        "validate_issue" to endpoint({ c, s -> swisssignValidateRequest(s, issueRequest(c)) }, { r ->
            swisssignParseValidate(r); null
        }),
        "order_status" to endpoint({ c, s -> swisssignOrderStatusRequest(s, c.str("order")) },
            ::swisssignParseOrderStatus),
        "get_order" to endpoint({ c, s -> swisssignGetOrderRequest(s, c.str("order")) }, ::swisssignParseGetOrder),
        "search_orders" to endpoint({ c, s -> swisssignSearchOrdersRequest(s, orderSearch(c)) },
            ::swisssignParseSearchOrders),
        "search_orders_paged" to endpoint({ c, s ->
            swisssignSearchOrdersPagedRequest(s, orderSearch(c), u32(c, "start"), u32(c, "length"))
        }, ::swisssignParseSearchOrdersPaged),
        "chain" to endpoint({ c, s -> swisssignChainRequest(s, c.str("order")) }, ::swisssignParseChain),
        "revoke" to endpoint({ c, s -> swisssignRevokeRequest(s, revocations(c)) }, { r ->
            swisssignParseRevoke(r); null
        }),
    )
}
