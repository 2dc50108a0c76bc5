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
  /** Whether the same call may succeed later (transport, timeouts, 429/5xx, ACME badNonce ...). */
  retryable: boolean;
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
  /** Accept cleartext `http://` to a non-loopback host (credentials then
   * cross the network unencrypted; issue 14 item 9). Default false. */
  allowInsecureHttp?: boolean;
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

/** How a client sends its requests. */
export interface TransportOptions {
  /** Your own HTTP stack; the default is `fetch`. */
  transport?: Transport;
  /** Whole-request timeout of the default transport (default 60000). */
  requestTimeoutMs?: number;
  /** Largest response body the default transport reads (default 4 MiB);
   * a longer one is a `protocol` error (issue 14 item 3). */
  maxResponseBytes?: number;
  /** Retries of idempotent requests after 429/502/503/504 or transport errors (default 3). */
  maxRetries?: number;
}

/** How a `RedtrustIssueFlow` authenticates: a stored session, a direct
 * login (also used to log in again when a refresh is refused), or the
 * temporary token of an HMAC redirect. */
export type RedtrustCredentials =
  | { session: Session }
  | { username: string; password: string; domain?: string }
  | { tempToken: string };

/** Options of `new RedtrustClient(...)`. */
export interface RedtrustClientOptions extends RedtrustConfig, TransportOptions {
  /** Direct-login credentials, also used to log in again when a refresh is refused. */
  username?: string;
  password?: string;
  domain?: string;
  /** A session to start from. */
  session?: Session;
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
    /// `RedtrustCredentials`.
    #[wasm_bindgen(typescript_type = "RedtrustCredentials")]
    pub type JsRedtrustCredentials;
    /// `FlowStep<RedtrustIssued>`.
    #[wasm_bindgen(typescript_type = "FlowStep<RedtrustIssued>")]
    pub type JsRedtrustIssueStep;
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

#[wasm_bindgen(typescript_custom_section)]
const TS_SWISSSIGN: &'static str = r#"
/** What a provider reported, as a record (e.g. `swissSignParseError`). */
export interface ProviderError {
  provider: "redtrust" | "swisssign" | "acme" | "identrust";
  status: number;
  code: string;
  message: string;
  correlationId?: string;
  /** Unix milliseconds. */
  retryAfter?: number;
  details: ProviderDetails;
}

/** Where the domain list lives and how revocation reasons are spelled
 * (defaults: the current public reference). */
export interface SwissSignCompat {
  domainListPath?: "domain" | "domains";
  reasonSpelling?: "upper_snake" | "camel_case";
}

/** Where the SwissSign RA API is (default: production,
 * `https://api.ra.swisssign.ch`). */
export interface SwissSignConfig {
  baseUrl?: string;
  compat?: SwissSignCompat;
  /** Accept cleartext `http://` to a non-loopback host (credentials then
   * cross the network unencrypted; issue 14 item 9). Default false. */
  allowInsecureHttp?: boolean;
}

/** The session of a sans-IO call: a JWT (`token`), or an API key whose JWT
 * is signed locally for `now` (unix ms, default `Date.now()`). */
export type SwissSignAuth = SwissSignConfig &
  ({ token: string } | { account: string; apiKey: string; now?: number });

/** A server-minted JWT (`/v2/jwt/{userName}`). */
export interface SwissSignJwtOptions {
  userName: string;
  userSecret: string;
}

/** A parsed JWT answer. */
export interface SwissSignJwt {
  token: string;
  /** Unix milliseconds. */
  expiresAt: number;
}

/** Paging of `/v2/.../paged` searches. */
export interface SwissSignPageOptions {
  /** Client name filter (`?` and `*` wildcards; clients only). */
  search?: string;
  start?: number;
  length?: number;
}

export interface SwissSignProductValidity {
  validityType: string;
  validity?: number;
  validityOptions: number[];
}

export interface SwissSignProduct {
  /** `pma-...` */
  uuid: string;
  productName?: string;
  productDescription?: string;
  keyGenerationType?: string;
  keyType?: string;
  authorization?: boolean;
  isCabDnsValidationRequired?: boolean;
  expirationDate?: string;
  productValidity?: SwissSignProductValidity;
}

export interface SwissSignClient {
  /** `cli-...` */
  uuid: string;
  name: string;
  description?: string;
  products: SwissSignProduct[];
}

/** One page of a paged search. */
export interface SwissSignPage<T> {
  draw: number;
  recordsFiltered: number;
  recordsTotal: number;
  data: T[];
}

/** `PENDING`, `EXPIRED`, `VALID`, `NOT_VALIDATED` or what the server sent. */
export type SwissSignDomainStatus = "PENDING" | "EXPIRED" | "VALID" | "NOT_VALIDATED" | (string & {});

export interface SwissSignTxtRecord {
  name: string;
  value: string;
}

/** A pre-validated (or to-be-validated) domain. */
export interface SwissSignDomain {
  /** `cld-...` */
  uuid: string;
  domain?: string;
  domainUnicode?: string;
  validated: boolean;
  trustedDomain: boolean;
  timeValidated?: string;
  validationMethod?: string;
  randomValue?: string;
  randomValueTimeCreated?: string;
  randomValueTimeExpire?: string;
  validationResult?: string;
  expired: boolean;
  randomValueTimeExpired: boolean;
  status?: SwissSignDomainStatus;
  /** The TXT record to publish. */
  txtRecord?: SwissSignTxtRecord;
}

/** `get` (default), `validate`, `token_reset` or `token_delete`. */
export type SwissSignDomainAction = "get" | "validate" | "token_reset" | "token_delete";

/** Order status as sent; unknown values are kept. */
export type SwissSignOrderStatus =
  | "NEW" | "KEY_VALIDATION" | "PRE_VALIDATION" | "GENERATE_TBS" | "PENDING_AUTH"
  | "PRE_ISSUE" | "ISSUE" | "POST_VALIDATION" | "FINALIZE_ISSUANCE" | "ISSUED"
  | "REVOKED" | "FAILED" | "REJECTED" | "PENDING_CSR_RENEWAL" | "UNKNOWN" | (string & {});

export interface SwissSignRevocationStatus {
  revokedOn?: string;
  reason?: string;
  revokedBy?: string;
}

/** The certificate of an order as the server describes it. */
export interface SwissSignOrderCertificate {
  subject?: string;
  issuer?: string;
  serial?: string;
  startValidity?: string;
  endValidity?: string;
  certificate?: string;
  revocationStatus?: SwissSignRevocationStatus;
}

export interface SwissSignOrder {
  /** `ord-...` */
  uuid: string;
  status: SwissSignOrderStatus;
  createdOn?: string;
  clientReference?: string;
  productReference?: string;
  certificate?: SwissSignOrderCertificate;
  certificateChain?: (string | null)[];
  tags?: string[];
  issuedBy?: string;
}

/** Order search; the keys are the API's own (`SearchCertificateOrder`). */
export interface SwissSignOrderSearch {
  orderReference?: string;
  serialNumber?: string;
  orderStatus?: SwissSignOrderStatus[];
  revocationReason?: string[];
  clientReferences?: string[];
  /** RFC 3339. */
  startAfter?: string;
  startBefore?: string;
  attribute?: string;
  includeCertificateChain?: boolean;
  tags?: string[];
}

export interface SwissSignRequestedDns {
  dns: string;
  includeBaseDomainForWildcard?: boolean;
  includeWwwDomain?: boolean;
}

/** SANs overriding the CSR. */
export interface SwissSignRequestExtensions {
  requestDns?: SwissSignRequestedDns[];
  requestRfc822?: string[];
  requestIp?: string[];
  requestUpn?: string[];
}

export interface SwissSignRequestOverrides {
  /** e.g. `CN=www.example.com,O=Example,C=CH`. */
  subjectDn?: string;
  validity?: number;
  requestExtensions?: SwissSignRequestExtensions;
}

/** The body of `/v2/issue` and `/v2/validate`. */
export interface SwissSignIssueRequest {
  /** `pma-...` */
  productReference: string;
  /** PEM CSR; without one the server generates the key if the product allows it. */
  csr?: string;
  overrides?: SwissSignRequestOverrides;
  additionalRecipients?: { email: string; recipientType: string; language: string }[];
  registrationDocuments?: { documentName: string; document: string }[];
  tags?: string[];
  note?: string;
  publishCertificate?: boolean;
  synchronous?: boolean;
  acceptTerms?: boolean;
  includeCertificateChain?: boolean;
}

export type SwissSignRevocationReason =
  | "unused" | "key_compromise" | "affiliation_changed" | "superseded" | "cessation_of_operation";

/** One certificate to revoke. */
export interface SwissSignRevocationRequest {
  /** Hex; `:` and spaces are removed. */
  serialNumber: string;
  issuerName: string;
  reason: SwissSignRevocationReason;
  /** Required for service accounts. */
  requestor?: string;
}

/** A chain, leaf first. */
export interface SwissSignChain {
  certificates: Certificate[];
}

/** A finished SwissSign issuance. */
export interface SwissSignIssued {
  order: string;
  certificate: Certificate;
  chain: SwissSignChain;
  /** Leaf first, concatenated PEM. */
  pemChain: string;
}

/** What a challenge needs published (ACME, SwissSign domain validation). */
export type ChallengeTask =
  | { type: "http01"; domain: string; token: string; body: string }
  | { type: "dns-txt"; domain: string; name: string; value: string }
  | { type: "tls-alpn01"; domain: string; digestHex: string };

/** A step of a sans-IO flow. */
export type FlowStep<T> =
  | { type: "send"; request: HttpRequest }
  | { type: "wait"; until: number }
  | { type: "solve"; tasks: ChallengeTask[] }
  | { type: "done"; value: T };

/** Options of `new SwissSignClient(...)`: the server and one way to get JWTs. */
export type SwissSignClientOptions = SwissSignConfig &
  ({ account: string; apiKey: string } | { userName: string; userSecret: string } | { token: string }) &
  TransportOptions & {
    /** First order poll delay in ms (default 1000, growing 1.5x up to 30000). */
    pollInitialMs?: number;
    /** Longest order poll delay in ms. */
    pollMaxMs?: number;
  };

/** Options of an issuance or resumption. */
export interface SwissSignIssueOptions {
  /** Give up with kind `timeout` after this many ms (default: never). */
  timeoutMs?: number;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `ProviderError`.
    #[wasm_bindgen(typescript_type = "ProviderError")]
    pub type JsProviderError;
    /// `string[]`.
    #[wasm_bindgen(typescript_type = "string[]")]
    pub type JsStrings;
    /// `SwissSignConfig`.
    #[wasm_bindgen(typescript_type = "SwissSignConfig")]
    pub type JsSwissSignConfig;
    /// `SwissSignAuth`.
    #[wasm_bindgen(typescript_type = "SwissSignAuth")]
    pub type JsSwissSignAuth;
    /// `SwissSignJwtOptions`.
    #[wasm_bindgen(typescript_type = "SwissSignJwtOptions")]
    pub type JsSwissSignJwtOptions;
    /// `SwissSignJwt`.
    #[wasm_bindgen(typescript_type = "SwissSignJwt")]
    pub type JsSwissSignJwt;
    /// `SwissSignPageOptions`.
    #[wasm_bindgen(typescript_type = "SwissSignPageOptions")]
    pub type JsSwissSignPageOptions;
    /// `SwissSignClient[]`.
    #[wasm_bindgen(typescript_type = "SwissSignClient[]")]
    pub type JsSwissSignClients;
    /// `SwissSignClient`.
    #[wasm_bindgen(typescript_type = "SwissSignClient")]
    pub type JsSwissSignClient;
    /// `SwissSignPage<SwissSignClient>`.
    #[wasm_bindgen(typescript_type = "SwissSignPage<SwissSignClient>")]
    pub type JsSwissSignClientPage;
    /// `SwissSignDomain[]`.
    #[wasm_bindgen(typescript_type = "SwissSignDomain[]")]
    pub type JsSwissSignDomains;
    /// `SwissSignDomain`.
    #[wasm_bindgen(typescript_type = "SwissSignDomain")]
    pub type JsSwissSignDomain;
    /// `SwissSignDomainAction`.
    #[wasm_bindgen(typescript_type = "SwissSignDomainAction")]
    pub type JsSwissSignDomainAction;
    /// `SwissSignOrder`.
    #[wasm_bindgen(typescript_type = "SwissSignOrder")]
    pub type JsSwissSignOrder;
    /// `SwissSignOrder[]`.
    #[wasm_bindgen(typescript_type = "SwissSignOrder[]")]
    pub type JsSwissSignOrders;
    /// `SwissSignPage<SwissSignOrder>`.
    #[wasm_bindgen(typescript_type = "SwissSignPage<SwissSignOrder>")]
    pub type JsSwissSignOrderPage;
    /// `SwissSignOrderStatus`.
    #[wasm_bindgen(typescript_type = "SwissSignOrderStatus")]
    pub type JsSwissSignOrderStatus;
    /// `SwissSignOrderSearch`.
    #[wasm_bindgen(typescript_type = "SwissSignOrderSearch")]
    pub type JsSwissSignOrderSearch;
    /// `SwissSignOrderCertificate`.
    #[wasm_bindgen(typescript_type = "SwissSignOrderCertificate")]
    pub type JsSwissSignOrderCertificate;
    /// `SwissSignIssueRequest`.
    #[wasm_bindgen(typescript_type = "SwissSignIssueRequest")]
    pub type JsSwissSignIssueRequest;
    /// `SwissSignRevocationRequest[]`.
    #[wasm_bindgen(typescript_type = "SwissSignRevocationRequest[]")]
    pub type JsSwissSignRevocations;
    /// `SwissSignRevocationRequest`.
    #[wasm_bindgen(typescript_type = "SwissSignRevocationRequest")]
    pub type JsSwissSignRevocation;
    /// `SwissSignRevocationReason`.
    #[wasm_bindgen(typescript_type = "SwissSignRevocationReason")]
    pub type JsSwissSignRevocationReason;
    /// `SwissSignChain`.
    #[wasm_bindgen(typescript_type = "SwissSignChain")]
    pub type JsSwissSignChain;
    /// `FlowStep<SwissSignIssued>`.
    #[wasm_bindgen(typescript_type = "FlowStep<SwissSignIssued>")]
    pub type JsSwissSignIssueStep;
    /// `SwissSignClientOptions`.
    #[wasm_bindgen(typescript_type = "SwissSignClientOptions")]
    pub type JsSwissSignClientOptions;
    /// `SwissSignIssueOptions`.
    #[wasm_bindgen(typescript_type = "SwissSignIssueOptions")]
    pub type JsSwissSignIssueOptions;
    /// `Promise<SwissSignClient[]>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignClient[]>")]
    pub type PromiseSwissSignClients;
    /// `Promise<SwissSignClient>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignClient>")]
    pub type PromiseSwissSignClient;
    /// `Promise<SwissSignDomain[]>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignDomain[]>")]
    pub type PromiseSwissSignDomains;
    /// `Promise<SwissSignDomain>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignDomain>")]
    pub type PromiseSwissSignDomain;
    /// `Promise<SwissSignOrder>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignOrder>")]
    pub type PromiseSwissSignOrder;
    /// `Promise<SwissSignOrder[]>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignOrder[]>")]
    pub type PromiseSwissSignOrders;
    /// `Promise<SwissSignOrderStatus>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignOrderStatus>")]
    pub type PromiseSwissSignOrderStatus;
    /// `Promise<SwissSignChain>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignChain>")]
    pub type PromiseSwissSignChain;
    /// `Promise<SwissSignIssued>`.
    #[wasm_bindgen(typescript_type = "Promise<SwissSignIssued>")]
    pub type PromiseSwissSignIssued;
}

#[wasm_bindgen(typescript_custom_section)]
const TS_CRYPTO_ACME: &'static str = r#"
/** Key types certbridge generates and imports. */
export type KeyKind = "ec-p256" | "ec-p384" | "rsa-2048" | "rsa-3072" | "rsa-4096";

/** A public JWK (the members RFC 7638 hashes). */
export type Jwk = Record<string, string>;

/** Any JSON object (JWT claims, JWS parts). */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** What `buildCsr` puts into the request. */
export interface CsrOptions {
  /** Subject attributes in order, e.g. `[{attribute: "CN", value: "www.example.com"}]`. */
  subject?: DnEntry[];
  dnsNames?: string[];
  emails?: string[];
  ips?: string[];
}

/** A PKCS#10 request. */
export interface Csr {
  pem: string;
  der: Uint8Array;
}

/** A subject alternative name. */
export type AltName =
  | { type: "dns" | "email" | "ip" | "uri"; value: string }
  | { type: "other"; value: number };

/** A parsed certificate. Times are unix milliseconds. */
export interface Certificate {
  subject: string;
  issuer: string;
  /** Upper-case hex, no sign byte. */
  serialHex: string;
  notBefore: number;
  notAfter: number;
  sans: AltName[];
  sha1Thumbprint: string;
  sha256Thumbprint: string;
  isCa: boolean;
  pem: string;
}

/** EAB credentials from the CA (the key in any base64 spelling). */
export interface EabCredentials {
  kid: string;
  hmacKey: string;
}

/** EAB credentials in the form JWS uses. */
export interface EabNormalized {
  kid: string;
  hmacKeyB64url: string;
}

/** A flattened JWS. */
export interface Jws {
  protected: string;
  payload: string;
  signature: string;
}

/** A verified JWS: its protected header and JSON payload. */
export interface VerifiedJws {
  header: JsonObject;
  payload: JsonValue;
}

export interface AcmeDirectoryMeta {
  termsOfService?: string;
  website?: string;
  caaIdentities: string[];
  externalAccountRequired: boolean;
  /** Profile name to description. */
  profiles: Record<string, string>;
}

/** An ACME directory (URLs of the server's resources). */
export interface AcmeDirectory {
  newNonce: string;
  newAccount: string;
  newOrder: string;
  newAuthz?: string;
  revokeCert: string;
  keyChange: string;
  renewalInfo?: string;
  meta: AcmeDirectoryMeta;
}

/** `newAccount` options. */
export interface AcmeNewAccountOptions {
  contact?: string[];
  termsOfServiceAgreed?: boolean;
  onlyReturnExisting?: boolean;
  eab?: EabCredentials;
}

export interface AcmeAccount {
  url: string;
  status: "valid" | "deactivated" | "revoked";
  contact: string[];
  orders?: string;
  /** Whether this answer created the account (201) or found it (200). */
  created: boolean;
}

export interface AcmeIdentifier {
  type: "dns" | "ip";
  value: string;
}

/** A DNS name as text, or an identifier. */
export type AcmeIdentifierInput = string | AcmeIdentifier;

export interface AcmeSubproblem {
  type: string;
  detail?: string;
  identifier?: AcmeIdentifier;
}

/** An RFC 7807 problem document. */
export interface AcmeProblem {
  type: string;
  detail?: string;
  status?: number;
  subproblems?: AcmeSubproblem[];
}

/** `newOrder` options. */
export interface AcmeNewOrderOptions {
  identifiers: AcmeIdentifierInput[];
  profile?: string;
  /** ARI certID of the certificate renewed. */
  replaces?: string;
  /** RFC 3339. */
  notBefore?: string;
  notAfter?: string;
}

export interface AcmeOrder {
  url: string;
  status: "pending" | "ready" | "processing" | "valid" | "invalid";
  expires?: string;
  identifiers: AcmeIdentifier[];
  authorizations: string[];
  finalize: string;
  certificate?: string;
  error?: AcmeProblem;
  profile?: string;
  replaces?: string;
  /** Unix milliseconds. */
  retryAfter?: number;
}

export interface AcmeChallenge {
  /** `http-01`, `dns-01`, `tls-alpn-01` or another type as sent. */
  type: string;
  url: string;
  status: "pending" | "processing" | "valid" | "invalid";
  token?: string;
  validated?: string;
  error?: AcmeProblem;
}

export interface AcmeAuthorization {
  url: string;
  identifier: AcmeIdentifier;
  status: "pending" | "valid" | "invalid" | "deactivated" | "expired" | "revoked";
  expires?: string;
  challenges: AcmeChallenge[];
  wildcard: boolean;
  retryAfter?: number;
}

/** A downloaded chain. */
export interface AcmeCertificateChain {
  /** Leaf first, as sent. */
  pem: string;
  /** URLs of alternate chains. */
  alternates: string[];
}

/** A renewal window (RFC 9773); unix milliseconds. */
export interface AcmeRenewalInfo {
  suggestedWindow: { start: number; end: number };
  explanationUrl?: string;
  retryAfter?: number;
}

/** A finished ACME issuance. */
export interface AcmeIssued {
  accountUrl: string;
  order: AcmeOrder;
  chain: AcmeCertificateChain;
  alternates: AcmeCertificateChain[];
  /** The server refused `replaces` and the order was placed without it. */
  replacesDropped: boolean;
}

/** Publishes challenge proofs (an HTTP file, a DNS TXT record) and removes them. */
export interface ChallengeSolver {
  /** Make every task's proof visible; resolve once it is. */
  publish(tasks: ChallengeTask[]): void | Promise<void>;
  /** Remove them again (after the flow, success or not). */
  cleanup?(tasks: ChallengeTask[]): void | Promise<void>;
}

/** Options of `AcmeClient.connect(...)`. */
export interface AcmeClientOptions extends TransportOptions {
  /** External account binding for a new account. */
  eab?: EabCredentials;
  /** Contact URLs (`mailto:...`) for a new account. */
  contact?: string[];
  /** A known account URL (skips the lookup). */
  accountUrl?: string;
  /** Publishes challenges; without one, issuance needs pre-validated authorizations. */
  solver?: ChallengeSolver;
  /** Accept cleartext `http://` to a non-loopback host (credentials then
   * cross the network unencrypted; issue 14 item 9). Default false. */
  allowInsecureHttp?: boolean;
}

export type AcmeChallengeType = "http-01" | "dns-01" | "tls-alpn-01";

/** What to issue. */
export interface AcmeIssueOptions {
  identifiers: AcmeIdentifierInput[];
  /** The CSR (PEM or DER) naming the same identifiers. */
  csr: string | Uint8Array;
  /** In order of preference (default http-01, dns-01, tls-alpn-01). */
  challengeTypes?: AcmeChallengeType[];
  profile?: string;
  replaces?: string;
  notBefore?: string;
  notAfter?: string;
  fetchAlternates?: boolean;
  /** Give up with kind `timeout` after this many ms. */
  timeoutMs?: number;
  /** Account to create if the client has none yet (overrides the client's). */
  eab?: EabCredentials;
  contact?: string[];
}

/** Options of `new AcmeIssueFlow(...)`: what to issue, and a known account. */
export interface AcmeIssueFlowOptions extends AcmeIssueOptions {
  /** A known account URL: no newAccount (without it the account is created with `eab`, or found). */
  accountUrl?: string;
}

/** Where IdenTrust's reseller API and ACME directories are (both, or neither for staging). */
export interface IdenTrustEnvironment {
  resellerBase?: string;
  acmeBase?: string;
  /** Accept cleartext `http://` to a non-loopback host (credentials then
   * cross the network unencrypted; issue 14 item 9). Default false. */
  allowInsecureHttp?: boolean;
}

/** A reseller customer account with its EAB credentials. */
export interface IdenTrustAccount {
  id: number | string | null;
  kid: string;
  resellerCode?: string;
  email?: string;
  revoked: boolean;
  deleted: boolean;
  eabKid: string;
  /** Unpadded base64url. */
  eabHmacKeyB64url: string;
}

/** Options of `new IdenTrustClient(...)`. */
export interface IdenTrustClientOptions extends IdenTrustEnvironment, TransportOptions {
  /** The reseller API key. */
  apiKey: string;
  /** Publishes challenges for the ACME clients made by `acmeClient`. */
  solver?: ChallengeSolver;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `KeyKind`.
    #[wasm_bindgen(typescript_type = "KeyKind")]
    pub type JsKeyKind;
    /// `Jwk`.
    #[wasm_bindgen(typescript_type = "Jwk")]
    pub type JsJwk;
    /// `JsonObject`.
    #[wasm_bindgen(typescript_type = "JsonObject")]
    pub type JsJsonObject;
    /// `JsonValue`.
    #[wasm_bindgen(typescript_type = "JsonValue")]
    pub type JsJsonValue;
    /// `CsrOptions`.
    #[wasm_bindgen(typescript_type = "CsrOptions")]
    pub type JsCsrOptions;
    /// `Csr`.
    #[wasm_bindgen(typescript_type = "Csr")]
    pub type JsCsr;
    /// `Certificate`.
    #[wasm_bindgen(typescript_type = "Certificate")]
    pub type JsParsedCertificate;
    /// `Certificate[]`.
    #[wasm_bindgen(typescript_type = "Certificate[]")]
    pub type JsCertificates;
    /// `EabCredentials`.
    #[wasm_bindgen(typescript_type = "EabCredentials")]
    pub type JsEabCredentials;
    /// `EabNormalized`.
    #[wasm_bindgen(typescript_type = "EabNormalized")]
    pub type JsEabNormalized;
    /// `Jws`.
    #[wasm_bindgen(typescript_type = "Jws")]
    pub type JsJws;
    /// `VerifiedJws`.
    #[wasm_bindgen(typescript_type = "VerifiedJws")]
    pub type JsVerifiedJws;
    /// `AcmeDirectory`.
    #[wasm_bindgen(typescript_type = "AcmeDirectory")]
    pub type JsAcmeDirectory;
    /// `AcmeNewAccountOptions`.
    #[wasm_bindgen(typescript_type = "AcmeNewAccountOptions")]
    pub type JsAcmeNewAccountOptions;
    /// `AcmeAccount`.
    #[wasm_bindgen(typescript_type = "AcmeAccount")]
    pub type JsAcmeAccount;
    /// `AcmeNewOrderOptions`.
    #[wasm_bindgen(typescript_type = "AcmeNewOrderOptions")]
    pub type JsAcmeNewOrderOptions;
    /// `AcmeOrder`.
    #[wasm_bindgen(typescript_type = "AcmeOrder")]
    pub type JsAcmeOrder;
    /// `AcmeIdentifierInput`.
    #[wasm_bindgen(typescript_type = "AcmeIdentifierInput")]
    pub type JsAcmeIdentifierInput;
    /// `AcmeAuthorization`.
    #[wasm_bindgen(typescript_type = "AcmeAuthorization")]
    pub type JsAcmeAuthorization;
    /// `AcmeChallenge`.
    #[wasm_bindgen(typescript_type = "AcmeChallenge")]
    pub type JsAcmeChallenge;
    /// `ChallengeTask`.
    #[wasm_bindgen(typescript_type = "ChallengeTask")]
    pub type JsChallengeTask;
    /// `AcmeCertificateChain`.
    #[wasm_bindgen(typescript_type = "AcmeCertificateChain")]
    pub type JsAcmeCertificateChain;
    /// `AcmeRenewalInfo`.
    #[wasm_bindgen(typescript_type = "AcmeRenewalInfo")]
    pub type JsAcmeRenewalInfo;
    /// `AcmeClientOptions`.
    #[wasm_bindgen(typescript_type = "AcmeClientOptions")]
    pub type JsAcmeClientOptions;
    /// `AcmeIssueOptions`.
    #[wasm_bindgen(typescript_type = "AcmeIssueOptions")]
    pub type JsAcmeIssueOptions;
    /// `AcmeIssueFlowOptions`.
    #[wasm_bindgen(typescript_type = "AcmeIssueFlowOptions")]
    pub type JsAcmeIssueFlowOptions;
    /// `FlowStep<AcmeIssued>`.
    #[wasm_bindgen(typescript_type = "FlowStep<AcmeIssued>")]
    pub type JsAcmeIssueStep;
    /// `IdenTrustEnvironment`.
    #[wasm_bindgen(typescript_type = "IdenTrustEnvironment")]
    pub type JsIdenTrustEnvironment;
    /// `IdenTrustAccount`.
    #[wasm_bindgen(typescript_type = "IdenTrustAccount")]
    pub type JsIdenTrustAccount;
    /// `IdenTrustClientOptions`.
    #[wasm_bindgen(typescript_type = "IdenTrustClientOptions")]
    pub type JsIdenTrustClientOptions;
    /// `Promise<AcmeClient>`.
    #[wasm_bindgen(typescript_type = "Promise<AcmeClient>")]
    pub type PromiseAcmeClient;
    /// `Promise<AcmeAccount>`.
    #[wasm_bindgen(typescript_type = "Promise<AcmeAccount>")]
    pub type PromiseAcmeAccount;
    /// `Promise<AcmeIssued>`.
    #[wasm_bindgen(typescript_type = "Promise<AcmeIssued>")]
    pub type PromiseAcmeIssued;
    /// `Promise<AcmeRenewalInfo | undefined>`.
    #[wasm_bindgen(typescript_type = "Promise<AcmeRenewalInfo | undefined>")]
    pub type PromiseAcmeRenewalInfo;
    /// `Promise<AcmeOrder>`.
    #[wasm_bindgen(typescript_type = "Promise<AcmeOrder>")]
    pub type PromiseAcmeOrder;
    /// `Promise<AcmeAuthorization>`.
    #[wasm_bindgen(typescript_type = "Promise<AcmeAuthorization>")]
    pub type PromiseAcmeAuthorization;
    /// `Promise<AcmeCertificateChain>`.
    #[wasm_bindgen(typescript_type = "Promise<AcmeCertificateChain>")]
    pub type PromiseAcmeCertificateChain;
    /// `Promise<IdenTrustAccount>`.
    #[wasm_bindgen(typescript_type = "Promise<IdenTrustAccount>")]
    pub type PromiseIdenTrustAccount;
}
