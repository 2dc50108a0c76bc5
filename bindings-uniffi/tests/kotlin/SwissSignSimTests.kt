// SwissSign end to end against the simulator the test script starts
// (`-Dcertbridge.sim=http://127.0.0.1:PORT`), through a Kotlin transport on
// java.net.http: domain pre-validation through the simulated DNS, issuance
// with a key and CSR made in Kotlin, the chain, revocation.
package certbridge.tests

import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JRequest
import java.net.http.HttpResponse as JResponse
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import uniffi.certbridge.Backoff
import uniffi.certbridge.KeyKind
import uniffi.certbridge.SwissSignDomainAction
import uniffi.certbridge.SwissSignRevocationReason
import uniffi.certbridge_ffi.*

/** The host's HTTP stack: java.net.http, no redirects followed. */
class JavaHttpTransport : HttpTransport {
    private val http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
    val sent = ArrayList<String>()

    override suspend fun send(request: HttpRequest): HttpResponse = withContext(Dispatchers.IO) {
        sent.add("${request.method} ${request.url}")
        val body = if (request.body.isEmpty()) JRequest.BodyPublishers.noBody()
        else JRequest.BodyPublishers.ofByteArray(request.body)
        val b = JRequest.newBuilder(URI(request.url)).method(request.method.name, body)
        for (h in request.headers) b.header(h.name, h.value)
        val resp = http.send(b.build(), JResponse.BodyHandlers.ofByteArray())
        val headers = resp.headers().map().flatMap { (n, vs) -> vs.map { HeaderField(n, it) } }
        HttpResponse(resp.statusCode().toUShort(), headers, resp.body())
    }
}

object SwissSignSimTests {
    private const val ACCOUNT = "service.account"
    private const val API_KEY = "n1dNUaDMoOJSG4AkMlMNnOR5C6LtGNm0dfeSdPKy8x1ddyhWqJCmuekK6k41j88w"
    private val fast = Backoff(50u, 500u, 150u)

    private fun sim(): String = System.getProperty("certbridge.sim")?.takeIf { it.isNotEmpty() }
        ?: throw AssertionError("-Dcertbridge.sim is not set (scripts/bindings-uniffi.sh starts the simulator)")

    private fun check(name: String, cond: Boolean, detail: () -> String = { "" }) {
        if (!cond) throw AssertionError("$name ${detail()}")
    }

    private fun publishTxt(name: String, value: String) {
        val body = """{"name":"$name","value":"$value"}"""
        val req = JRequest.newBuilder(URI("${sim()}/sim/dns/txt"))
            .header("Content-Type", "application/json")
            .POST(JRequest.BodyPublishers.ofString(body)).build()
        val resp = HttpClient.newHttpClient().send(req, JResponse.BodyHandlers.discarding())
        check("publish TXT", resp.statusCode() < 300) { "${resp.statusCode()}" }
    }

    fun issueChainRevoke() = runBlocking {
        val transport = JavaHttpTransport()
        val session = SwissSignSession.withApiKey(swisssignConfig(sim(), null), ACCOUNT, API_KEY)
        val c = SwissSignClient(session, transport, null, fast)
        val first = c.clients(null).first()
        val cli = first.uuid
        val pma = first.products.first().uuid
        check("refs", cli.startsWith("cli-") && pma.startsWith("pma-"))

        val registered = c.registerDomains(cli, listOf("kotlin.example")).first()
        val record = registered.txtRecord ?: throw AssertionError("no TXT record")
        check("txt value", record.value.startsWith("swiss-pki="))
        try {
            c.domain(registered.uuid, SwissSignDomainAction.VALIDATE)
            throw AssertionError("validated before the TXT record was published")
        } catch (e: CertbridgeException.Provider) { /* expected */ }
        publishTxt(record.name, record.value)
        check("validated", c.domain(registered.uuid, SwissSignDomainAction.VALIDATE).validated)

        val key = PrivateKey.generate(KeyKind.RSA2048)
        check("pkcs8", key.toPkcs8Pem().startsWith("-----BEGIN PRIVATE KEY-----"))
        val csr = CsrBuilder().subject("cn", "kotlin.example").dnsName("kotlin.example").build(key)
        val issued = c.issue(pma, csr.der(), null)
        check("order", issued.order.startsWith("ord-"))
        check("subject", issued.certificate.subject == "CN=kotlin.example") { issued.certificate.subject }
        check("leaf first", issued.chain.certificates.first() == issued.certificate)
        check("pem chain", issued.pemChain.split("BEGIN CERTIFICATE").size - 1 == issued.chain.certificates.size)
        val chain = c.chain(issued.order)
        check("chain", chain.certificates.map { it.subject } == issued.chain.certificates.map { it.subject })
        check("status", c.orderStatus(issued.order) == "ISSUED")

        c.revokeOrder(issued.order, SwissSignRevocationReason.KEY_COMPROMISE)
        check("revoked", c.orderStatus(issued.order) == "REVOKED")
        try {
            c.revokeOrder(issued.order, SwissSignRevocationReason.KEY_COMPROMISE)
            throw AssertionError("revoked twice")
        } catch (e: CertbridgeException.Provider) {
            check("already revoked", e.code == "011.354.0233") { "${e.code}" }
        }
        check("every call went through the Kotlin transport",
            transport.sent.any { it.endsWith("/v2/revoke") } && transport.sent.all { it.startsWith("POST ") })
    }

    fun badReferenceIsRefused() = runBlocking {
        val session = SwissSignSession.withApiKey(swisssignConfig(sim(), null), ACCOUNT, API_KEY)
        val transport = JavaHttpTransport()
        try {
            SwissSignClient(session, transport, null, null).order("order-uuid")
            throw AssertionError("accepted a malformed order reference")
        } catch (e: CertbridgeException.InvalidInput) {
            check("field", e.field == "order_reference") { "${e.field}" }
        }
        check("nothing sent", transport.sent.isEmpty())
    }

    val all: List<Pair<String, () -> Unit>> = listOf(
        "kotlin/swisssign-sim/issue-chain-revoke" to { issueChainRevoke() },
        "kotlin/swisssign-sim/bad-reference" to { badReferenceIsRefused() },
    )
}
