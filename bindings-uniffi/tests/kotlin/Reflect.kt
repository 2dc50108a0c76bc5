// Foreign records as the vectors' snake_case JSON, by Java reflection on the
// generated data classes (field names camelCase -> snake_case); enums by
// their lower-case name. Test code only: the core is never asked to serialise.
package certbridge.tests

import java.lang.reflect.Modifier
import uniffi.certbridge.AltName

object Reflect {
    fun snake(name: String): String = buildString {
        for (ch in name) if (ch.isUpperCase()) append('_').append(ch.lowercaseChar()) else append(ch)
    }

    fun altName(a: AltName): Map<String, Any?> = when (a) {
        is AltName.Dns -> mapOf("type" to "dns", "value" to a.v1)
        is AltName.Email -> mapOf("type" to "email", "value" to a.v1)
        is AltName.Ip -> mapOf("type" to "ip", "value" to a.v1)
        is AltName.Uri -> mapOf("type" to "uri", "value" to a.v1)
        is AltName.Other -> mapOf("type" to "other", "value" to a.v1.toLong())
    }

    fun json(v: Any?): Any? = when (v) {
        null, is String, is Boolean, is Long, is ULong, is UInt, is UShort, is UByte, is Int -> v
        is Short -> v.toLong()
        is Byte -> v.toLong()
        is ByteArray -> String(v, Charsets.UTF_8)
        is List<*> -> v.map { json(it) }
        is Map<*, *> -> v.entries.associate { (it.key as String) to json(it.value) }
        is Enum<*> -> v.name.lowercase()
        is AltName -> altName(v)
        else -> {
            val out = LinkedHashMap<String, Any?>()
            for (f in v.javaClass.declaredFields) {
                if (Modifier.isStatic(f.modifiers) || f.isSynthetic) continue
                f.isAccessible = true
                out[snake(f.name)] = json(f.get(v))
            }
            out
        }
    }
}
