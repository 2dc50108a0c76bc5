// An IdenTrust issuance at Pebble, from a project that depends on nothing
// but the installed certbridge artifact: the simulator's reseller API hands
// out EAB credentials, Pebble issues, the chain is checked with the JDK's
// X.509 parser, then revoked. Inputs come from the environment
// (scripts/bindings-uniffi.sh sets them from `certbridge-sim --pebble`).
package dev.certbridge.consumer

import java.io.ByteArrayInputStream
import java.io.File
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import kotlin.system.exitProcess
import kotlinx.coroutines.runBlocking
import uniffi.certbridge.AcmeOrderStatus
import uniffi.certbridge.ChallengeTask
import uniffi.certbridge.KeyKind
import uniffi.certbridge_ffi.*

/** Where the HTTP-01 answers would be served; Pebble here accepts every challenge. */
class LoggingSolver : ChallengeSolver {
    val published = ArrayList<ChallengeTask>()
    override suspend fun publish(tasks: List<ChallengeTask>) {
        for (t in tasks) if (t is ChallengeTask.Http01) println("  publish http-01 for ${t.domain}")
        published.addAll(tasks)
    }
    override suspend fun cleanup(tasks: List<ChallengeTask>) {}
}

private fun env(name: String): String =
    System.getenv(name)?.takeIf { it.isNotEmpty() } ?: throw IllegalStateException("$name is not set")

private fun require(what: String, ok: Boolean) {
    if (!ok) { System.err.println("FAIL $what"); exitProcess(1) }
}

fun main() = runBlocking {
    val sim = env("CERTBRIDGE_SIM")
    val config = defaultTransportConfig().copy(extraRootsPem = listOf(File(env("CERTBRIDGE_CA_PEM")).readText()))
    val solver = LoggingSolver()

    val reseller = IdenTrustClient(identrustEnvironment(sim, sim), env("CERTBRIDGE_API_KEY"), null, config, solver)
    val account = reseller.createAccount("consumer@example.com")
    println("IdenTrust account ${account.kid()}")

    val acme = AcmeClient.connect(
        env("CERTBRIDGE_DIRECTORY"), AcmeAccountKey.generate(),
        AcmeAccountOptions(listOf("mailto:consumer@example.com"), true, account.eab()),
        null, null, config, solver,
    )
    val names = listOf("www.consumer.example", "consumer.example")
    val key = PrivateKey.generate(KeyKind.EC_P256)
    val csr = CsrBuilder().subject("cn", names[0]).dnsName(names[0]).dnsName(names[1]).build(key)
    val issued = acme.issueFor(names, csr.der())
    require("order valid", issued.order.status == AcmeOrderStatus.VALID)

    val certs = CertificateFactory.getInstance("X.509")
        .generateCertificates(ByteArrayInputStream(issued.chain.pem.toByteArray()))
        .map { it as X509Certificate }
    val leafNames = certs.first().subjectAlternativeNames.orEmpty().map { it[1] as String }
    require("chain of leaf and issuer", certs.size >= 2)
    require("SANs $leafNames", leafNames.sorted() == names.sorted())
    require("solver saw both names", solver.published.size == names.size)
    acme.revoke(issued.chain.pem.toByteArray(), null)
    println("issued and revoked ${certs.first().subjectX500Principal.name}, ${certs.size} certificates in the chain")
}
