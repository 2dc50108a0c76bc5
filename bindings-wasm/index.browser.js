// Browser (and bundler, Deno, worker) entry: fetches and instantiates the
// .wasm next to this file (served as application/wasm) before the import
// resolves, through top-level await.
import init from './pkg/certbridge_wasm.js';

await init({ module_or_path: new URL('./pkg/certbridge_wasm_bg.wasm', import.meta.url) });

export * from './pkg/certbridge_wasm.js';
export { isCertbridgeError } from './js/errors.js';
