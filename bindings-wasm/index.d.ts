// Types of the certbridge npm package: the wasm-bindgen declarations (every
// record typed, see pkg/certbridge_wasm.d.ts) and the error guard. The
// module is initialised on import, so `initSync` and the default `init` are
// not part of the API.
export * from './pkg/certbridge_wasm.js';
import type { CertbridgeError } from './pkg/certbridge_wasm.js';

/** Whether `e` was thrown by certbridge (narrows to `CertbridgeError`). */
export declare function isCertbridgeError(e: unknown): e is CertbridgeError;
