//! TypeScript declarations of every record crossing the boundary, and the
//! typed `JsValue` wrappers the exported signatures use so that the
//! generated `.d.ts` names these types instead of `any`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** HTTP method of a request certbridge built. */
export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "DELETE";

/** A request certbridge built; send it as is (headers in order). */
export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: [string, string][];
  body: Uint8Array;
}

/** Headers of a response: pairs, a fetch `Headers`, a `Map` or an object. */
export type HeadersInit =
  | [string, string][]
  | Iterable<[string, string]>
  | Record<string, string>;

/** A response to parse (a fetch `Response` has to be read into this first). */
export interface HttpResponse {
  status: number;
  headers?: HeadersInit;
  /** Raw bytes, or text (encoded as UTF-8). */
  body?: Uint8Array | ArrayBuffer | string;
}

/** Sends one request; reject (or throw) when no HTTP answer came. A
 * rejection with a `TimeoutError` becomes kind `timeout`, an `AbortError`
 * kind `cancelled`, anything else kind `transport`. */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** Stable error kinds, identical in every certbridge language. */
export type ErrorKind =
  | "invalid_input" | "transport" | "http_status" | "provider" | "auth"
  | "protocol" | "crypto" | "timeout" | "cancelled";

/** What a provider said beyond code and message. */
export type ProviderDetails =
  | { provider: "none" }
  | { provider: "redtrust"; messageType?: string }
  | { provider: "swisssign"; module?: string; section?: string; error?: string; messages: string[] }
  | { provider: "acme"; problemType: string; detail?: string;
      subproblems: { type: string; detail?: string; identifier?: { type: string; value: string } }[] };

/** Every error certbridge throws is an `Error` with `name` `"CertbridgeError"`. */
export interface CertbridgeError extends Error {
  name: "CertbridgeError";
  kind: ErrorKind;
  /** Provider error code, or the auth error's code. */
  code?: string;
  /** The input field at fault (`invalid_input`), named as in the core (`dn[0].value`). */
  field?: string;
  /** HTTP status (`http_status`, `provider`). */
  status?: number;
  /** The operation (`http_status`, `protocol`). */
  context?: string;
  /** What is wrong (`invalid_input`, `protocol`, `crypto`) or why auth failed
   * (`expired`, `rejected`, `no_refresh_token`). */
  reason?: string;
  provider?: "redtrust" | "swisssign" | "acme" | "identrust";
  correlationId?: string;
  /** When to retry, unix milliseconds. */
  retryAfter?: number;
  details?: ProviderDetails;
}

/** A Redtrust bearer session. Keep it to avoid logging in again. */
export interface Session {
  accessToken: string;
  refreshToken?: string;
  /** Unix milliseconds; taken from the token's JWT `exp` when left out. */
  expiresAt?: number;
}

/** Which Redtrust documentation the server follows (default "v4.42"). */
export type RedtrustCompat = "v4.42" | "v4.33";

/** Where the Redtrust server is. */
export interface RedtrustConfig {
  /** `https://HOST:PORT`, e.g. `https://redtrust.example:8082`. */
  server: string;
  compat?: RedtrustCompat;
}

/** The HMAC-signed browser redirect that starts a login. */
export interface RedtrustLoginUrlOptions {
  /** Partner (client application) name; sent upper-case. */
  partner: string;
  /** Shared HMAC key. */
  hmacKey: string;
  /** Registered redirect URL; Redtrust appends `tkn` to it. */
  redirectUrl: string;
  domain?: string;
}

/** Direct login. */
export interface RedtrustLoginOptions {
  username: string;
  password: string;
  domain?: string;
}

/** One subject attribute, e.g. `{attribute: "cn", value: "John Doe"}`. */
export interface DnEntry {
  attribute: string;
  value: string;
}

export type RedtrustKeyType = "RSA" | "DSA";
export type RedtrustHashType = "SHA256" | "SHA384" | "SHA512";

/** What `csr/create` should make (defaults: RSA 2048, SHA384, CAMERFIRMA). */
export interface RedtrustCsrRequest {
  dn: DnEntry[];
  hashType?: RedtrustHashType;
  keyType?: RedtrustKeyType;
  keyLength?: number;
  /** Certificate provider, e.g. `CAMERFIRMA`, `CA_BRASIL`. */
  provider?: string;
  requestCode?: string;
  info?: Record<string, string>;
  groupIds?: string[];
  /** SHA-1 thumbprint of the certificate a renewal replaces. */
  thumbprintToRenew?: string;
}

/** The answer of `csr/create`. */
export interface RedtrustCreatedCsr {
  requestCode: string;
  csrPem: string;
}

/** `csr/finalize` input. */
export interface RedtrustFinalizeOptions {
  requestCode: string;
  provider: string;
  /** Provider-specific extra data, already base64. */
  dataInB64?: string;
}

/** The answer of `csr/finalize` (the certificate stays on the server). */
export interface RedtrustFinalized {
  /** As the server sent it (number or string), as text. */
  idCertificate?: string;
  /** SHA-1, 40 upper-case hex digits. */
  thumbprint?: string;
}

/** The result of an issuance or renewal. */
export interface RedtrustIssued {
  requestCode: string;
  csrPem: string;
  idCertificate?: string;
  thumbprint?: string;
  /** Thumbprint of the certificate a renewal replaced. */
  renewed?: string;
}

/** Options of `new RedtrustClient(...)`. */
export interface RedtrustClientOptions extends RedtrustConfig {
  /** Direct-login credentials, also used to log in again when a refresh is refused. */
  username?: string;
  password?: string;
  domain?: string;
  /** A session to start from. */
  session?: Session;
  /** Your own HTTP stack; the default is `fetch`. */
  transport?: Transport;
  /** Whole-request timeout of the default transport (default 60000). */
  requestTimeoutMs?: number;
  /** Retries of idempotent requests after 429/502/503/504 or transport errors (default 3). */
  maxRetries?: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `HttpRequest`.
    #[wasm_bindgen(typescript_type = "HttpRequest")]
    pub type JsHttpRequest;
    /// `HttpResponse`.
    #[wasm_bindgen(typescript_type = "HttpResponse")]
    pub type JsHttpResponse;
    /// `Session`.
    #[wasm_bindgen(typescript_type = "Session")]
    pub type JsSession;
    /// `RedtrustConfig`.
    #[wasm_bindgen(typescript_type = "RedtrustConfig")]
    pub type JsRedtrustConfig;
    /// `RedtrustCompat`.
    #[wasm_bindgen(typescript_type = "RedtrustCompat")]
    pub type JsRedtrustCompat;
    /// `RedtrustLoginUrlOptions`.
    #[wasm_bindgen(typescript_type = "RedtrustLoginUrlOptions")]
    pub type JsLoginUrlOptions;
    /// `RedtrustLoginOptions`.
    #[wasm_bindgen(typescript_type = "RedtrustLoginOptions")]
    pub type JsLoginOptions;
    /// `RedtrustCsrRequest`.
    #[wasm_bindgen(typescript_type = "RedtrustCsrRequest")]
    pub type JsCsrRequest;
    /// `RedtrustCreatedCsr`.
    #[wasm_bindgen(typescript_type = "RedtrustCreatedCsr")]
    pub type JsCreatedCsr;
    /// `RedtrustFinalizeOptions`.
    #[wasm_bindgen(typescript_type = "RedtrustFinalizeOptions")]
    pub type JsFinalizeOptions;
    /// `RedtrustFinalized`.
    #[wasm_bindgen(typescript_type = "RedtrustFinalized")]
    pub type JsFinalized;
    /// `DnEntry[]`.
    #[wasm_bindgen(typescript_type = "DnEntry[]")]
    pub type JsDnEntries;
    /// `RedtrustClientOptions`.
    #[wasm_bindgen(typescript_type = "RedtrustClientOptions")]
    pub type JsClientOptions;
    /// Certificate input.
    #[wasm_bindgen(typescript_type = "string | Uint8Array")]
    pub type JsCertificate;
    /// `Promise<Session>`.
    #[wasm_bindgen(typescript_type = "Promise<Session>")]
    pub type PromiseSession;
    /// `Promise<void>`.
    #[wasm_bindgen(typescript_type = "Promise<void>")]
    pub type PromiseVoid;
    /// `Promise<RedtrustIssued>`.
    #[wasm_bindgen(typescript_type = "Promise<RedtrustIssued>")]
    pub type PromiseIssued;
    /// `Promise<RedtrustCreatedCsr>`.
    #[wasm_bindgen(typescript_type = "Promise<RedtrustCreatedCsr>")]
    pub type PromiseCreatedCsr;
    /// `Promise<RedtrustFinalized>`.
    #[wasm_bindgen(typescript_type = "Promise<RedtrustFinalized>")]
    pub type PromiseFinalized;
}
