// Runs the shared vectors (tests/vectors/*.json) through the Kotlin API,
// compared as tests/vectors/README.md says. Ops dispatch by provider prefix;
// files of a supported provider run completely and an unknown op fails.
package certbridge.tests

import java.io.File
import java.util.Base64
import uniffi.certbridge_ffi.HeaderField
import uniffi.certbridge_ffi.HttpRequest
import uniffi.certbridge_ffi.HttpResponse
import uniffi.certbridge_ffi.CertbridgeException

class Case(
    val file: String,
    val name: String,
    val op: String,
    val input: Map<String, Any?>,
    val response: Map<String, Any?>?,
    val expect: Map<String, Any?>,
) {
    fun str(key: String): String = input[key] as? String ?: ""
    fun optStr(key: String): String? = input[key] as? String
    fun nowMillis(): ULong = ((input["now"] as? Long) ?: 0L).toULong() * 1000u

    fun httpResponse(): HttpResponse {
        val r = response ?: emptyMap()
        val body = when {
            r.containsKey("body_base64") -> Base64.getDecoder().decode(r["body_base64"] as String)
            r.containsKey("body") -> (r["body"] as String).toByteArray(Charsets.UTF_8)
            r.containsKey("body_json") -> Json.write(r["body_json"]).toByteArray(Charsets.UTF_8)
            else -> ByteArray(0)
        }
        val headers = (r["headers"] as? List<*> ?: emptyList<Any>()).map {
            val pair = it as List<*>
            HeaderField(pair[0] as String, pair[1] as String)
        }
        return HttpResponse(((r["status"] as? Long) ?: 0L).toUShort(), headers, body)
    }
}

/** What an op produced: a request to compare, or a parsed value as JSON. */
sealed class Outcome {
    class Request(val request: HttpRequest) : Outcome()
    class Value(val value: Any?) : Outcome()
}

class UnknownOp(message: String) : Exception(message)

/** The vector's input could not be mapped onto the API (`invalid_input`). */
class RunnerInputError(val field: String, message: String) : Exception(message)

object VectorRunner {
    /** Provider prefix -> op name -> op. */
    val supported: Map<String, Map<String, (Case) -> Outcome>> = mapOf(
        "redtrust" to RedtrustOps.ops,
        "swisssign" to SwissSignOps.ops,
        "crypto" to CryptoOps.ops,
        "acme" to AcmeOps.acme,
        "identrust" to AcmeOps.identrust,
    )

    fun providerOf(fileName: String) = fileName.removeSuffix(".json").substringBefore("-")

    fun load(dir: File): Pair<List<Case>, List<String>> {
        val cases = ArrayList<Case>()
        val skipped = ArrayList<String>()
        val files = dir.listFiles { f -> f.name.endsWith(".json") }?.sortedBy { it.name }
            ?: throw IllegalStateException("no vectors in $dir")
        for (f in files) {
            if (providerOf(f.name) !in supported) { skipped.add(f.name); continue }
            @Suppress("UNCHECKED_CAST")
            val doc = Json.parse(f.readText()) as Map<String, Any?>
            for (c in doc["cases"] as List<*>) {
                @Suppress("UNCHECKED_CAST")
                val m = c as Map<String, Any?>
                @Suppress("UNCHECKED_CAST")
                cases.add(Case(
                    f.name, m["name"] as String, m["op"] as String,
                    (m["input"] as? Map<String, Any?>) ?: emptyMap(),
                    m["response"] as? Map<String, Any?>,
                    m["expect"] as Map<String, Any?>,
                ))
            }
        }
        return cases to skipped
    }

    fun run(case: Case): Outcome {
        val prefix = case.op.substringBefore(".")
        val op = supported[prefix]?.get(case.op.substringAfter("."))
            ?: throw UnknownOp("${case.file}: ${case.name}: no Kotlin mapping for op ${case.op}")
        return op(case)
    }

    private fun requestJson(r: HttpRequest): Map<String, Any?> = mapOf(
        "method" to r.method.name,
        "url" to r.url,
        "headers" to r.headers.map { listOf(it.name, it.value) },
        "body" to String(r.body, Charsets.UTF_8),
    )

    private fun errorJson(e: Exception): Map<String, Any?> = when (e) {
        is RunnerInputError -> mapOf("kind" to "invalid_input", "code" to null, "field" to e.field, "message" to e.message)
        is CertbridgeException -> Errors.fields(e).let {
            mapOf("kind" to it.kind, "code" to it.code, "field" to it.field, "message" to it.reason)
        }
        else -> throw e
    }

    /** JSON numbers from the vectors are Long; API numbers come as unsigned types. */
    private fun norm(v: Any?): Any? = when (v) {
        is ULong -> v.toLong()
        is UInt -> v.toLong()
        is UShort -> v.toLong()
        is Int -> v.toLong()
        else -> v
    }

    fun subsetDiff(path: String, expect: Any?, actual: Any?, out: MutableList<String>) {
        if (expect is Map<*, *> && actual is Map<*, *>) {
            for ((k, ev) in expect) {
                if (actual.containsKey(k)) subsetDiff("$path.$k", ev, actual[k], out)
                else if (ev != null) out.add("$path.$k: missing, expected ${Json.write(ev)}")
            }
        } else if (expect is List<*> && actual is List<*>) {
            if (expect.size != actual.size) {
                out.add("$path: expected ${expect.size} items, got ${actual.size}")
                return
            }
            for (i in expect.indices) subsetDiff("$path[$i]", expect[i], actual[i], out)
        } else if (norm(expect) != norm(actual)) {
            out.add("$path: expected ${Json.write(expect)}, got ${Json.write(norm(actual))}")
        }
    }

    fun check(case: Case): List<String> {
        val diffs = ArrayList<String>()
        val outcome = try {
            run(case)
        } catch (e: CertbridgeException) {
            return errorDiffs(case, errorJson(e))
        } catch (e: RunnerInputError) {
            return errorDiffs(case, errorJson(e))
        }
        when (outcome) {
            is Outcome.Request -> {
                val want = case.expect["request"] as? Map<*, *>
                    ?: return listOf("produced a request, expected ${Json.write(case.expect)}")
                val w = LinkedHashMap<Any?, Any?>(want)
                w.putIfAbsent("body", "")
                subsetDiff("request", w, requestJson(outcome.request), diffs)
            }
            is Outcome.Value -> {
                if (!case.expect.containsKey("value")) return listOf("produced a value, expected ${Json.write(case.expect)}")
                subsetDiff("value", case.expect["value"], outcome.value, diffs)
            }
        }
        return diffs
    }

    private fun errorDiffs(case: Case, got: Map<String, Any?>): List<String> {
        val want = case.expect["error"] as? Map<*, *>
            ?: return listOf("failed with ${Json.write(got)}, expected ${Json.write(case.expect)}")
        val diffs = ArrayList<String>()
        subsetDiff("error", want.filterKeys { it != "message_contains" }, got, diffs)
        val contains = want["message_contains"] as? String
        if (contains != null && !(got["message"] as String).contains(contains)) {
            diffs.add("error message ${got["message"]} lacks $contains")
        }
        return diffs
    }
}
